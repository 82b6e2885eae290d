//! Account access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_user` | TransactWriteItems: put `PHONE#index` guard + put `USER#id`, both `attribute_not_exists` |
//! | `get_user` | GetItem `USER#id / USER` |
//! | `user_id_by_phone` | GetItem `PHONE#index / PHONE` |
//! | `user_id_by_id_index` | GetItem `IDNO#index / IDNO` |
//! | `make_volunteer` | TransactWriteItems: put `IDNO#index` guard + update user `attribute_not_exists(volunteer)` + registration counters `ADD` + compliance-group items |
//! | `next_volunteer_serial` | UpdateItem `ADD n 1` on `COUNTER#VOLUNTEER_NO / region` |
//! | `end_sessions` | UpdateItem `ADD token_gen 1` |
//! | `grant_role` | UpdateItem `list_append` with `NOT contains(roles, grant)` |

use super::keys::{self, PK, SK};
use super::{ItemKeys, Store, StoreError, Tx, TxError, build_err, classify, keyed_item, n, put, s};
use crate::ids::UserId;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::account::{Role, RoleGrant, ServiceField, VolunteerGroup};
use zhiyuan_shared::identity::{Date, Gender};
use zhiyuan_shared::region::RegionCode;

const USER_ENTITY: &str = "user";

/// A user as stored. The phone and ID number are sealed (AES-GCM) with their blind
/// indexes beside them; `Debug` is not derived so the item cannot be logged by accident.
#[derive(Clone, Serialize, Deserialize)]
pub struct UserItem {
    pub id: UserId,
    pub display_name: String,
    pub phone_sealed: String,
    pub phone_index: String,
    pub password_hash: String,
    /// Tokens carry the generation they were issued under; bumping it ends every session.
    #[serde(default)]
    pub token_gen: u32,
    /// `role:scope` strings (a list, so a grant is one `list_append`).
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer: Option<VolunteerItem>,
    /// Confirmed service minutes: changed only together with a record's state (see
    /// `store::records`), so it always equals the sum of the counted records.
    #[serde(default)]
    pub served_minutes: u64,
    /// Confirmed service per calendar year ("2026" → minutes, records), for the yearly
    /// statistics and compliance lists; written with `served_minutes` (see `store::stats`).
    #[serde(default)]
    pub years: std::collections::BTreeMap<String, super::stats::YearTotals>,
    /// Trainings attended (confirmed training records), for "who is trained".
    #[serde(default)]
    pub trainings_done: u32,
    /// Bumped by every write of the totals above, which is conditional on it.
    #[serde(default)]
    pub stats_rev: u64,
    pub created_at: String,
    /// Bumped by each sign-up, so two sign-ups of one person are serialised and the
    /// overlap check cannot be raced.
    #[serde(default)]
    pub signup_seq: u64,
    /// The newest notice the user has seen; later ones are unread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notices_seen: Option<String>,
    /// When the account was closed (注销): a closed user is refused by every signed-in
    /// route and its personal fields are anonymised (see `store::my_account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    /// Set when a helper registered the account for its owner (代注册).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assisted: Option<AssistedItem>,
}

/// Who registered an account for its owner, when, and on what proof; and when the owner
/// took it over (set a password with a code on the phone). The helper never holds a
/// credential of the account: this is a record, not a grant.
#[derive(Clone, Serialize, Deserialize)]
pub struct AssistedItem {
    pub by: UserId,
    pub at: String,
    /// Registered with the resident's phone (proved by a code); else on paper consent.
    pub with_phone: bool,
    /// Without a phone: where the signed paper consent form is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_over_at: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct VolunteerItem {
    pub volunteer_no: String,
    pub real_name: String,
    pub id_sealed: String,
    pub id_index: String,
    pub id_masked: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub region_code: RegionCode,
    pub service_fields: Vec<ServiceField>,
    pub groups: Vec<VolunteerGroup>,
    pub skills: Vec<String>,
    pub registered_at: String,
    /// When the volunteer accepted the personal-information notice.
    pub consent_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<GuardianItem>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct GuardianItem {
    pub name: String,
    pub phone_sealed: String,
    pub relation: String,
    pub consent_at: String,
}

/// A uniqueness guard (a phone or an ID number, by its blind index): written in the same
/// transaction as what it guards, so a second claim fails the whole transaction.
#[derive(Serialize, Deserialize)]
struct GuardItem {
    user_id: UserId,
}

pub fn grant_string(g: &RoleGrant) -> String {
    format!("{}:{}", g.role.slug(), g.scope)
}

/// A user item as written, with its keys (the store writes users itself; benchmarks that
/// bulk-load users use this too).
pub fn user_item(
    user: &UserItem,
) -> Result<std::collections::HashMap<String, AttributeValue>, StoreError> {
    keyed_item(user, user.keys())
}

/// What a new account is made of: the sealed phone, its blind index and the password hash.
pub struct NewAccount {
    pub display_name: String,
    pub phone_sealed: String,
    pub phone_index: String,
    pub password_hash: String,
}

impl UserItem {
    /// A new account: no roles, no real-name profile, nothing served yet.
    pub fn new(id: &UserId, account: NewAccount, created_at: String) -> Self {
        Self {
            id: id.clone(),
            display_name: account.display_name,
            phone_sealed: account.phone_sealed,
            phone_index: account.phone_index,
            password_hash: account.password_hash,
            token_gen: 0,
            roles: vec![],
            volunteer: None,
            served_minutes: 0,
            years: Default::default(),
            stats_rev: 0,
            trainings_done: 0,
            created_at,
            signup_seq: 0,
            notices_seen: None,
            closed_at: None,
            assisted: None,
        }
    }

    pub(crate) fn keys(&self) -> ItemKeys {
        ItemKeys::new(keys::user_pk(&self.id), keys::USER_SK, USER_ENTITY)
    }

    pub fn grants(&self) -> Vec<RoleGrant> {
        self.roles
            .iter()
            .filter_map(|r| {
                let (role, scope) = r.split_once(':')?;
                Some(RoleGrant {
                    role: Role::from_slug(role)?,
                    scope: scope.to_string(),
                })
            })
            .collect()
    }
}

/// A guard item with its keys, claiming the guarded value for `user_id`.
pub(super) fn guard(
    k: ItemKeys,
    user_id: &UserId,
) -> Result<std::collections::HashMap<String, AttributeValue>, StoreError> {
    keyed_item(
        &GuardItem {
            user_id: user_id.clone(),
        },
        k,
    )
}

/// Why [`Store::create_user`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterRefused {
    /// Another account holds the phone number.
    PhoneTaken,
}

/// Why [`Store::make_volunteer`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolunteerRefused {
    /// Another volunteer holds the ID number.
    IdNumberTaken,
    /// This user is a volunteer already (or is gone).
    AlreadyVolunteer,
}

impl Store {
    /// Creates a user and claims the phone in one transaction: if the phone is taken
    /// nothing is written.
    pub async fn create_user(&self, user: &UserItem) -> Result<(), TxError<RegisterRefused>> {
        let g = guard(
            ItemKeys::new(
                keys::phone_guard_pk(&user.phone_index),
                keys::PHONE_GUARD_SK,
                "phone_guard",
            ),
            &user.id,
        )?;
        let cond = Some("attribute_not_exists(PK)");
        let mut tx = Tx::new();
        tx.guarded(put(g, &self.table, cond)?, RegisterRefused::PhoneTaken);
        tx.push(put(user_item(user)?, &self.table, cond)?);
        self.commit(tx).await
    }

    pub async fn get_user(&self, id: &str) -> Result<Option<UserItem>, StoreError> {
        self.get_item(keys::user_pk(id), keys::USER_SK).await
    }

    /// Users by id (missing ones left out), 100 to a call.
    pub async fn users(&self, ids: &[UserId]) -> Result<Vec<UserItem>, StoreError> {
        self.batch_get(
            ids.iter()
                .map(|id| (keys::user_pk(id), keys::USER_SK.to_string()))
                .collect(),
        )
        .await
    }

    pub async fn user_id_by_phone(&self, phone_index: &str) -> Result<Option<UserId>, StoreError> {
        let g: Option<GuardItem> = self
            .get_item(keys::phone_guard_pk(phone_index), keys::PHONE_GUARD_SK)
            .await?;
        Ok(g.map(|g| g.user_id))
    }

    /// The volunteer holding an ID number (by its blind index), from its guard item.
    pub async fn user_id_by_id_index(&self, id_index: &str) -> Result<Option<UserId>, StoreError> {
        let g: Option<GuardItem> = self
            .get_item(keys::id_guard_pk(id_index), keys::ID_GUARD_SK)
            .await?;
        Ok(g.map(|g| g.user_id))
    }

    /// Adds the real-name profile and claims the ID number in one transaction.
    pub async fn make_volunteer(
        &self,
        user_id: &UserId,
        volunteer: &VolunteerItem,
        counters: &[super::stats::CounterAdd],
        groups: &[super::stats::GroupMemberItem],
    ) -> Result<(), TxError<VolunteerRefused>> {
        let g = guard(
            ItemKeys::new(
                keys::id_guard_pk(&volunteer.id_index),
                keys::ID_GUARD_SK,
                "id_guard",
            ),
            user_id,
        )?;
        let v = serde_dynamo::to_attribute_value::<_, AttributeValue>(volunteer)
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        let update = Update::builder()
            .table_name(&self.table)
            .key(PK, s(keys::user_pk(user_id)))
            .key(SK, s(keys::USER_SK))
            .update_expression("SET volunteer = :v")
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(volunteer)")
            .expression_attribute_values(":v", v)
            .build()
            .map_err(build_err)?;
        let mut tx = Tx::new();
        tx.guarded(
            put(g, &self.table, Some("attribute_not_exists(PK)"))?,
            VolunteerRefused::IdNumberTaken,
        );
        tx.guarded(
            TransactWriteItem::builder().update(update).build(),
            VolunteerRefused::AlreadyVolunteer,
        );
        tx.extend(super::stats::counter_ops(&self.table, counters)?);
        tx.extend(super::stats::group_member_ops(&self.table, groups)?);
        self.commit(tx).await
    }

    /// The next serial for volunteer numbers in a region. Numbers stay unique; a failed
    /// registration leaves a gap, which is harmless.
    pub async fn next_volunteer_serial(&self, region: &str) -> Result<u64, StoreError> {
        self.calls.write();
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(PK, s(keys::VOLUNTEER_SERIAL_PK))
            .key(SK, s(region))
            .update_expression("ADD n :one")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(classify)?;
        out.attributes
            .and_then(|a| a.get("n").cloned())
            .and_then(|n| n.as_n().ok().and_then(|n| n.parse().ok()))
            .ok_or_else(|| StoreError::Decode("counter without n".into()))
    }

    /// Ends every session of the user (their tokens carry the old generation).
    pub async fn end_sessions(&self, user_id: &str) -> Result<(), StoreError> {
        self.update_one(
            keys::user_pk(user_id),
            keys::USER_SK,
            "ADD token_gen :one",
            Some("attribute_exists(PK)"),
            &[],
            vec![(":one", n(1))],
        )
        .await
    }

    /// Adds a role grant once (a second identical grant is a no-op).
    pub async fn grant_role(&self, user_id: &str, grant: &RoleGrant) -> Result<(), StoreError> {
        let g = grant_string(grant);
        let res = self
            .update_one(
                keys::user_pk(user_id),
                keys::USER_SK,
                "SET #r = list_append(if_not_exists(#r, :empty), :g)",
                Some("attribute_exists(PK) AND NOT contains(#r, :one)"),
                &[("#r", "roles")],
                vec![
                    (":empty", AttributeValue::L(vec![])),
                    (":g", AttributeValue::L(vec![s(g.clone())])),
                    (":one", s(g)),
                ],
            )
            .await;
        match res {
            Ok(_) => Ok(()),
            // Already granted, or no such user: tell them apart with one read.
            Err(StoreError::ConditionFailed) => match self.get_user(user_id).await? {
                Some(_) => Ok(()),
                None => Err(StoreError::ConditionFailed),
            },
            Err(e) => Err(e),
        }
    }
}

/// An update of a user's roles inside a larger transaction (e.g. registering an org).
pub(crate) fn append_role(
    table: &str,
    user_id: &str,
    grant: &RoleGrant,
) -> Result<TransactWriteItem, StoreError> {
    let update = Update::builder()
        .table_name(table)
        .key(PK, s(keys::user_pk(user_id)))
        .key(SK, s(keys::USER_SK))
        .update_expression("SET #r = list_append(if_not_exists(#r, :empty), :g)")
        .condition_expression("attribute_exists(PK)")
        .expression_attribute_names("#r", "roles")
        .expression_attribute_values(":empty", AttributeValue::L(vec![]))
        .expression_attribute_values(":g", AttributeValue::L(vec![s(grant_string(grant))]))
        .build()
        .map_err(build_err)?;
    Ok(TransactWriteItem::builder().update(update).build())
}
