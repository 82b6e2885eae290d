//! The items the personal-data key rotation reads and writes.
//!
//! | pattern | operation |
//! |---|---|
//! | `sealed_users_page` | Scan, `SK = USER`, projecting the id and the three sealed fields (operator command only: no function role may Scan) |
//! | `reseal_user` | UpdateItem `SET` of the changed sealed fields, conditional on each still holding the value that was read |
//! | `rotation_cursor` / `save_rotation_cursor` / `clear_rotation_cursor` | GetItem / PutItem / DeleteItem `META / PII_ROTATION` |

use super::keys;
use super::{ResumeKey, Store, StoreError, classify, keyed_item, s};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A user's sealed personal fields as read by the scan: the phone, and a volunteer's ID
/// number and guardian's phone when there are any.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedFields {
    pub user_id: String,
    pub phone: String,
    pub id_number: Option<String>,
    pub guardian_phone: Option<String>,
}

// Ciphertexts only, but still personal data: never printed whole.
impl std::fmt::Debug for SealedFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedFields({})", self.user_id)
    }
}

/// Where a rotation run has got to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RotationCursor {
    /// The key version the run re-seals into; a cursor for another version is stale.
    pub version: u32,
    /// The scan's resume key after the last finished page.
    pub resume: ResumeKey,
    /// Values re-sealed so far in this run (all pages).
    pub resealed: u64,
}

fn string_at(item: &HashMap<String, AttributeValue>, path: &[&str]) -> Option<String> {
    let (last, parents) = path.split_last()?;
    let mut map = item;
    for p in parents {
        map = map.get(*p)?.as_m().ok()?;
    }
    map.get(*last)?.as_s().ok().cloned()
}

impl SealedFields {
    fn from_projection(item: &HashMap<String, AttributeValue>) -> Option<Self> {
        Some(Self {
            user_id: string_at(item, &["id"])?,
            phone: string_at(item, &["phone_sealed"]).unwrap_or_default(),
            id_number: string_at(item, &["volunteer", "id_sealed"]),
            guardian_phone: string_at(item, &["volunteer", "guardian", "phone_sealed"]),
        })
    }
}

impl Store {
    /// One page of user items' sealed fields, from `resume` (a Scan: this is what an
    /// operator's rotation reads; no request path ever scans).
    pub async fn sealed_users_page(
        &self,
        resume: Option<ResumeKey>,
        limit: i32,
    ) -> Result<(Vec<SealedFields>, Option<ResumeKey>), StoreError> {
        self.calls
            .scans
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let page = self
            .client
            .scan()
            .table_name(&self.table)
            .set_exclusive_start_key(
                resume.map(|k| k.into_iter().map(|(k, v)| (k, s(v))).collect()),
            )
            .limit(limit)
            .filter_expression("SK = :user")
            .projection_expression("id, phone_sealed, #v.id_sealed, #v.#g.phone_sealed")
            .expression_attribute_names("#v", "volunteer")
            .expression_attribute_names("#g", "guardian")
            .expression_attribute_values(":user", s(keys::USER_SK))
            .send()
            .await
            .map_err(classify)?;
        self.calls.read_items(page.scanned_count.max(0) as u64);
        let users = page
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(SealedFields::from_projection)
            .collect();
        let next = page.last_evaluated_key.filter(|k| !k.is_empty()).map(|k| {
            k.into_iter()
                .filter_map(|(k, v)| v.as_s().ok().map(|v| (k, v.clone())))
                .collect()
        });
        Ok((users, next))
    }

    /// The sealed fields of one user now (after a re-seal lost a race).
    pub async fn sealed_fields(&self, user_id: &str) -> Result<Option<SealedFields>, StoreError> {
        self.calls.get();
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::user_pk(user_id)))
            .key(keys::SK, s(keys::USER_SK))
            .consistent_read(true)
            .projection_expression("id, phone_sealed, #v.id_sealed, #v.#g.phone_sealed")
            .expression_attribute_names("#v", "volunteer")
            .expression_attribute_names("#g", "guardian")
            .send()
            .await
            .map_err(classify)?;
        Ok(out.item.as_ref().and_then(SealedFields::from_projection))
    }

    /// Writes the fields of `new` that differ from `old`, only if each still holds its
    /// `old` value: a change made since the read (a new phone, a removed guardian) fails
    /// the write with `ConditionFailed` rather than being overwritten.
    pub async fn reseal_user(
        &self,
        old: &SealedFields,
        new: &SealedFields,
    ) -> Result<(), StoreError> {
        let mut sets = Vec::new();
        let mut conds = vec!["attribute_exists(PK)".to_string()];
        let mut names: Vec<(&str, &str)> = Vec::new();
        let mut values = Vec::new();
        let mut field = |path: &'static str, tag: &'static str, old: &str, new: &str| {
            sets.push(format!("{path} = :n{tag}"));
            conds.push(format!("{path} = :o{tag}"));
            values.push((tag, old.to_string(), new.to_string()));
        };
        if old.phone != new.phone {
            field("phone_sealed", "p", &old.phone, &new.phone);
        }
        if let (Some(o), Some(n)) = (&old.id_number, &new.id_number)
            && o != n
        {
            field("#v.id_sealed", "i", o, n);
        }
        if let (Some(o), Some(n)) = (&old.guardian_phone, &new.guardian_phone)
            && o != n
        {
            field("#v.#g.phone_sealed", "g", o, n);
        }
        if values.is_empty() {
            return Ok(());
        }
        if values.iter().any(|(t, ..)| *t != "p") {
            names.push(("#v", "volunteer"));
        }
        if values.iter().any(|(t, ..)| *t == "g") {
            names.push(("#g", "guardian"));
        }
        let tags: Vec<(String, String)> = values
            .iter()
            .map(|(t, ..)| (format!(":o{t}"), format!(":n{t}")))
            .collect();
        let mut attr_values = Vec::new();
        for ((o_tag, n_tag), (_, o, n)) in tags.iter().zip(&values) {
            attr_values.push((o_tag.as_str(), s(o.clone())));
            attr_values.push((n_tag.as_str(), s(n.clone())));
        }
        self.update_one(
            keys::user_pk(&old.user_id),
            keys::USER_SK,
            &format!("SET {}", sets.join(", ")),
            Some(&conds.join(" AND ")),
            &names,
            attr_values,
        )
        .await
    }

    pub async fn rotation_cursor(&self) -> Result<Option<RotationCursor>, StoreError> {
        self.get_item(keys::PII_ROTATION_PK.to_string(), keys::PII_ROTATION_SK)
            .await
    }

    pub async fn save_rotation_cursor(&self, c: &RotationCursor) -> Result<(), StoreError> {
        let item = keyed_item(
            c,
            super::ItemKeys::new(
                keys::PII_ROTATION_PK.to_string(),
                keys::PII_ROTATION_SK,
                "pii_rotation",
            ),
        )?;
        self.put_one(item, None).await
    }

    pub async fn clear_rotation_cursor(&self) -> Result<(), StoreError> {
        self.delete_one(keys::PII_ROTATION_PK.to_string(), keys::PII_ROTATION_SK)
            .await
    }
}
