//! Identity appeal access patterns (身份证被占用申诉).
//!
//! | pattern | operation |
//! |---|---|
//! | `put_appeal_photo` / `appeal_photo` | PutItem / GetItem `USER#id / APPEALPHOTO#photo` (TTL while unused) |
//! | `file_appeal` | TransactWriteItems: put `APPEAL#id / APPEAL` + put `APPEALGUARD#user#idx` (`attribute_not_exists`) + delete the photo item |
//! | `get_appeal` | GetItem `APPEAL#id / APPEAL` |
//! | `pending_appeals_in` | Query GSI4 `APPEALREG#province`, `begins_with(GSI4SK, "pending#<region prefix>")` |
//! | `appeals_of` | Query GSI1 `APPEALBY#user` (keys), then BatchGetItem |
//! | `refuse_appeal` | TransactWriteItems: appeal `status = pending` → refused + drop the guard + decision entry + notice |
//! | `photos_of` | Query `USER#id`, `begins_with(SK, "APPEALPHOTO#")` (photos not yet named in an appeal) |
//! | `delete_appeal_photo` | DeleteItem `USER#id / APPEALPHOTO#photo` |
//! | `withdraw_appeal` | TransactWriteItems: appeal `status = pending` → withdrawn, personal fields cleared + drop the guard (the appellant closed the account) |
//! | `forget_appeal` | UpdateItem a decided appeal: personal fields cleared (the appellant closed the account) |
//! | `move_identity` | TransactWriteItems: appeal `status = pending` → approved + drop the guard + ID guard `user_id = holder` → appellant + holder `REMOVE volunteer`, totals zeroed (`stats_rev = seen`) + appellant `SET volunteer`, totals (`attribute_not_exists(volunteer)`, `stats_rev = seen`) + group items moved + each record's next version and audit entry + decision entry + notices |
//!
//! One decision only: every decision's transaction is conditional on the appeal still
//! being pending, so of two admins deciding at once one commits and the other is refused.
//! The identity moves in that same transaction (profile, ID guard, totals, compliance
//! groups and every record), so it is never on both accounts nor on neither; the
//! statistics counters are sums over a region's shards and the identity keeps its region,
//! so no counter changes.

use super::accounts::{UserItem, VolunteerItem};
use super::keys::{self, GSI1PK, GSI1SK, GSI4PK, GSI4SK};
use super::notices::NoticeItem;
use super::records::{AuditItem, RecordItem, record_owner_ops};
use super::stats::{GroupMemberItem, YearTotals, group_member_ops};
use super::{
    Index, ItemKeys, Keyed, QuerySpec, SortKey, Store, StoreError, Tx, TxError, delete_op,
    keyed_item, n, put, s, update_op,
};
use crate::ids::{AppealId, AttachmentId, UserId};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zhiyuan_shared::appeal::AppealStatus;

/// An ID card photo uploaded for an appeal, waiting to be named in one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppealPhotoItem {
    pub id: AttachmentId,
    pub user_id: UserId,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Unix seconds (TTL): a photo never used in an appeal disappears.
    pub expires_at: i64,
}

impl Keyed for AppealPhotoItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::user_pk(&self.user_id),
            keys::appeal_photo_sk(&self.id),
            "appeal_photo",
        )
    }
}

/// Who decided, when, why, and what moved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerdictItem {
    pub approved: bool,
    pub by: UserId,
    pub by_name: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub records_moved: u32,
    pub minutes_moved: u64,
}

/// The decision's audit entry: never changed once written, beside the appeal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionItem {
    pub appeal_id: AppealId,
    pub verdict: VerdictItem,
    /// The accounts the identity moved from and to (on approval).
    pub from_user: UserId,
    pub to_user: UserId,
    pub volunteer_no: String,
}

impl Keyed for DecisionItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::appeal_pk(&self.appeal_id),
            keys::APPEAL_DECISION_SK,
            "appeal_decision",
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppealItem {
    pub id: AppealId,
    pub appellant_id: UserId,
    /// The account holding the ID number when the appeal was filed.
    pub holder_id: UserId,
    pub real_name: String,
    pub id_index: String,
    pub id_masked: String,
    pub region_code: String,
    pub reason: String,
    pub photo_key: String,
    pub photo_type: String,
    pub photo_name: String,
    pub status: AppealStatus,
    pub filed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictItem>,
}

impl Keyed for AppealItem {
    /// Its own partition; on GSI4 by province, then status and region (an admin's queue
    /// is one `begins_with`); on GSI1 by appellant ("my appeals").
    fn keys(&self) -> ItemKeys {
        let province = self.region_code.get(..2).unwrap_or_default();
        ItemKeys::new(keys::appeal_pk(&self.id), keys::APPEAL_SK, "appeal")
            .indexed(
                (GSI4PK, keys::appeals_of_province(province)),
                (
                    GSI4SK,
                    keys::appeal_queue_sk(self.status.slug(), &self.region_code, &self.id),
                ),
            )
            .indexed(
                (GSI1PK, keys::appeals_of_user(&self.appellant_id)),
                (GSI1SK, self.id.to_string()),
            )
    }
}

/// A GSI1 entry: the appeal's id is enough to read it.
#[derive(Deserialize)]
struct AppealRef {
    id: AppealId,
}

/// One pending appeal per appellant and ID number: this item exists while it is pending.
#[derive(Serialize)]
struct AppealGuardItem {
    appeal_id: AppealId,
}

/// Why an appeal transaction was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealRefused {
    /// The appellant has a pending appeal for this ID number already.
    AlreadyPending,
    /// Another decision came first.
    AlreadyDecided,
    /// The ID number is no longer held by the account the appeal names.
    HolderChanged,
    /// A total or a record changed since it was read: read again and retry.
    Changed,
}

/// A record as it leaves the holder: before, after, its audit trail (moved with a
/// transferred-in record) and its new entry.
pub struct RecordMove {
    pub before: RecordItem,
    pub after: RecordItem,
    pub trail: Vec<AuditItem>,
    pub audit: AuditItem,
}

/// Everything one approval writes.
pub struct IdentityMove<'a> {
    pub appeal: &'a AppealItem,
    pub decision: &'a DecisionItem,
    pub holder: &'a UserItem,
    pub appellant: &'a UserItem,
    /// The appellant's profile: the holder's, with the appellant's real name.
    pub volunteer: &'a VolunteerItem,
    pub records: &'a [RecordMove],
    pub groups_out: &'a [GroupMemberItem],
    pub groups_in: &'a [GroupMemberItem],
    pub notices: &'a [NoticeItem],
}

/// The most items one `TransactWriteItems` may hold.
pub const MAX_TX_ITEMS: usize = 100;

fn guard_keys(appellant: &str, id_index: &str) -> (String, &'static str) {
    (
        keys::appeal_guard_pk(appellant, id_index),
        keys::APPEAL_GUARD_SK,
    )
}

/// Two years' totals added together.
fn merged(
    a: &BTreeMap<String, YearTotals>,
    b: &BTreeMap<String, YearTotals>,
) -> BTreeMap<String, YearTotals> {
    let mut out = a.clone();
    for (y, t) in b {
        let e = out.entry(y.clone()).or_default();
        e.minutes += t.minutes;
        e.records += t.records;
    }
    out
}

/// What a closed appellant's appeal keeps: its id, status, region and times, no person.
const FORGET: &str = "SET real_name = :name, id_index = :none, id_masked = :none, \
                      reason = :none, photo_key = :none, photo_name = :none";

fn forgotten_values(cleared_name: &str) -> Vec<(&'static str, AttributeValue)> {
    vec![(":name", s(cleared_name)), (":none", s(""))]
}

fn attr<T: Serialize>(v: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value::<_, AttributeValue>(v)
        .map_err(|e| StoreError::Decode(e.to_string()))
}

impl IdentityMove<'_> {
    /// How many items the transaction holds.
    pub fn size(&self) -> usize {
        let records: usize = self
            .records
            .iter()
            .map(|m| {
                if m.before.transferred_from.is_some() {
                    3 + 2 * m.trail.len()
                } else {
                    2
                }
            })
            .sum();
        6 + records + self.groups_out.len() + self.groups_in.len() + self.notices.len()
    }
}

impl Store {
    pub async fn put_appeal_photo(&self, p: &AppealPhotoItem) -> Result<(), StoreError> {
        self.put_one(keyed_item(p, p.keys())?, None).await
    }

    pub async fn appeal_photo(
        &self,
        user_id: &str,
        photo_id: &str,
    ) -> Result<Option<AppealPhotoItem>, StoreError> {
        self.get_item(keys::user_pk(user_id), &keys::appeal_photo_sk(photo_id))
            .await
    }

    /// Photos the user uploaded and has not named in an appeal yet.
    pub async fn photos_of(&self, user_id: &str) -> Result<Vec<AppealPhotoItem>, StoreError> {
        self.query_all(QuerySpec::table(
            keys::user_pk(user_id),
            SortKey::Prefix(keys::APPEAL_PHOTO_PREFIX),
        ))
        .await
    }

    pub async fn delete_appeal_photo(&self, p: &AppealPhotoItem) -> Result<(), StoreError> {
        let k = p.keys();
        self.delete_one(k.pk().to_string(), k.sk()).await
    }

    /// The appellant closed their account while the appeal was pending: it is withdrawn
    /// (no admin can decide it any more), its guard goes, and what names the person (name,
    /// masked and indexed ID number, reason, photo) is cleared. Refused as
    /// `AlreadyDecided` when a decision came first: then [`Store::forget_appeal`] it.
    pub async fn withdraw_appeal(
        &self,
        a: &AppealItem,
        cleared_name: &str,
    ) -> Result<(), TxError<AppealRefused>> {
        let t = &self.table;
        let withdrawn = AppealStatus::Withdrawn.slug();
        let mut values = forgotten_values(cleared_name);
        values.extend([
            (":s", s(withdrawn)),
            (
                ":sk",
                s(keys::appeal_queue_sk(withdrawn, &a.region_code, &a.id)),
            ),
            (":pending", s(AppealStatus::Pending.slug())),
        ]);
        let mut tx = Tx::new();
        tx.guarded(
            update_op(
                t,
                keys::appeal_pk(&a.id),
                keys::APPEAL_SK,
                &format!("{FORGET}, #s = :s, GSI4SK = :sk"),
                Some("#s = :pending"),
                &[("#s", "status")],
                values,
            )?,
            AppealRefused::AlreadyDecided,
        );
        let (gpk, gsk) = guard_keys(&a.appellant_id, &a.id_index);
        tx.push(delete_op(t, gpk, gsk, None, &[], vec![])?);
        self.commit(tx).await
    }

    /// Clears what names the appellant from a decided appeal; its decision entry (accounts
    /// by id, the volunteer number) stays as the audit of what moved.
    pub async fn forget_appeal(
        &self,
        a: &AppealItem,
        cleared_name: &str,
    ) -> Result<(), StoreError> {
        match self
            .update_one(
                keys::appeal_pk(&a.id),
                keys::APPEAL_SK,
                FORGET,
                Some("attribute_exists(PK)"),
                &[],
                forgotten_values(cleared_name),
            )
            .await
        {
            Err(StoreError::ConditionFailed) => Ok(()),
            other => other,
        }
    }

    /// Files an appeal: one pending appeal per appellant and ID number.
    pub async fn file_appeal(
        &self,
        a: &AppealItem,
        photo: &AppealPhotoItem,
    ) -> Result<(), TxError<AppealRefused>> {
        let t = &self.table;
        let (gpk, gsk) = guard_keys(&a.appellant_id, &a.id_index);
        let guard = keyed_item(
            &AppealGuardItem {
                appeal_id: a.id.clone(),
            },
            ItemKeys::new(gpk, gsk, "appeal_guard"),
        )?;
        let mut tx = Tx::new();
        tx.guarded(
            put(guard, t, Some("attribute_not_exists(PK)"))?,
            AppealRefused::AlreadyPending,
        );
        tx.push(put(
            keyed_item(a, a.keys())?,
            t,
            Some("attribute_not_exists(PK)"),
        )?);
        let pk = photo.keys();
        tx.push(delete_op(
            t,
            pk.pk().to_string(),
            pk.sk(),
            None,
            &[],
            vec![],
        )?);
        self.commit(tx).await
    }

    pub async fn get_appeal(&self, id: &str) -> Result<Option<AppealItem>, StoreError> {
        self.get_item(keys::appeal_pk(id), keys::APPEAL_SK).await
    }

    pub async fn decision_of(&self, id: &str) -> Result<Option<DecisionItem>, StoreError> {
        self.get_item(keys::appeal_pk(id), keys::APPEAL_DECISION_SK)
            .await
    }

    /// Pending appeals whose region is `prefix` or inside it, oldest first.
    pub async fn pending_appeals_in(
        &self,
        province: &str,
        prefix: &str,
    ) -> Result<Vec<AppealItem>, StoreError> {
        let sk = keys::appeal_queue_sk(AppealStatus::Pending.slug(), prefix, "");
        let sk = sk.trim_end_matches('#');
        self.query_all(QuerySpec::index(
            Index::Gsi4,
            keys::appeals_of_province(province),
            SortKey::Prefix(sk),
        ))
        .await
    }

    /// The appeals an account filed, newest first.
    pub async fn appeals_of(&self, user_id: &str) -> Result<Vec<AppealItem>, StoreError> {
        let refs: Vec<AppealRef> = self
            .query_all(
                QuerySpec::index(Index::Gsi1, keys::appeals_of_user(user_id), SortKey::Any)
                    .newest_first(),
            )
            .await?;
        let mut items: Vec<AppealItem> = self
            .batch_get(
                refs.iter()
                    .map(|r| (keys::appeal_pk(&r.id), keys::APPEAL_SK.to_string()))
                    .collect(),
            )
            .await?;
        items.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(items)
    }

    /// The appeal's pending → decided step, the guard's release and the decision entry:
    /// the part every decision shares.
    fn decision_ops(
        &self,
        tx: &mut Tx<AppealRefused>,
        a: &AppealItem,
        decision: &DecisionItem,
    ) -> Result<(), StoreError> {
        let t = &self.table;
        let status = if decision.verdict.approved {
            AppealStatus::Approved
        } else {
            AppealStatus::Refused
        };
        tx.guarded(
            update_op(
                t,
                keys::appeal_pk(&a.id),
                keys::APPEAL_SK,
                "SET #s = :s, verdict = :v, GSI4SK = :sk",
                Some("#s = :pending"),
                &[("#s", "status")],
                vec![
                    (":s", s(status.slug())),
                    (":v", attr(&decision.verdict)?),
                    (
                        ":sk",
                        s(keys::appeal_queue_sk(status.slug(), &a.region_code, &a.id)),
                    ),
                    (":pending", s(AppealStatus::Pending.slug())),
                ],
            )?,
            AppealRefused::AlreadyDecided,
        );
        let (gpk, gsk) = guard_keys(&a.appellant_id, &a.id_index);
        tx.push(delete_op(t, gpk, gsk, None, &[], vec![])?);
        tx.push(put(
            keyed_item(decision, decision.keys())?,
            t,
            Some("attribute_not_exists(PK)"),
        )?);
        Ok(())
    }

    pub async fn refuse_appeal(
        &self,
        a: &AppealItem,
        decision: &DecisionItem,
        notice: &NoticeItem,
    ) -> Result<(), TxError<AppealRefused>> {
        let mut tx = Tx::new();
        self.decision_ops(&mut tx, a, decision)?;
        tx.push(put(keyed_item(notice, notice.keys())?, &self.table, None)?);
        self.commit(tx).await
    }

    /// Approves an appeal and moves the volunteer identity, all in one transaction.
    pub async fn move_identity(&self, m: &IdentityMove<'_>) -> Result<(), TxError<AppealRefused>> {
        let t = &self.table;
        let mut tx = Tx::new();
        self.decision_ops(&mut tx, m.appeal, m.decision)?;
        tx.guarded(
            update_op(
                t,
                keys::id_guard_pk(&m.appeal.id_index),
                keys::ID_GUARD_SK,
                "SET user_id = :to",
                Some("user_id = :from"),
                &[],
                vec![
                    (":to", s(m.appellant.id.as_str())),
                    (":from", s(m.holder.id.as_str())),
                ],
            )?,
            AppealRefused::HolderChanged,
        );
        let rev_ok = "(attribute_not_exists(stats_rev) OR stats_rev = :seen)";
        tx.guarded(
            update_op(
                t,
                keys::user_pk(&m.holder.id),
                keys::USER_SK,
                "REMOVE volunteer SET served_minutes = :zero, years = :none, trainings_done = :zero, stats_rev = :next",
                Some(&format!(
                    "attribute_exists(PK) AND volunteer.id_index = :idx AND {rev_ok}"
                )),
                &[],
                vec![
                    (":zero", n(0)),
                    (":none", AttributeValue::M(Default::default())),
                    (":next", n(m.holder.stats_rev + 1)),
                    (":seen", n(m.holder.stats_rev)),
                    (":idx", s(m.appeal.id_index.as_str())),
                ],
            )?,
            AppealRefused::Changed,
        );
        let (h, a) = (m.holder, m.appellant);
        tx.guarded(
            update_op(
                t,
                keys::user_pk(&a.id),
                keys::USER_SK,
                "SET volunteer = :v, served_minutes = :m, years = :y, trainings_done = :t, stats_rev = :next",
                Some(&format!(
                    "attribute_exists(PK) AND attribute_not_exists(volunteer) AND {rev_ok}"
                )),
                &[],
                vec![
                    (":v", attr(m.volunteer)?),
                    (":m", n(h.served_minutes + a.served_minutes)),
                    (":y", attr(&merged(&h.years, &a.years))?),
                    (":t", n(h.trainings_done + a.trainings_done)),
                    (":next", n(a.stats_rev + 1)),
                    (":seen", n(a.stats_rev)),
                ],
            )?,
            AppealRefused::Changed,
        );
        for g in m.groups_out {
            tx.push(delete_op(
                t,
                keys::user_pk(&g.user_id),
                &keys::group_member_sk(&g.group),
                None,
                &[],
                vec![],
            )?);
        }
        tx.extend(group_member_ops(t, m.groups_in)?);
        for r in m.records {
            for op in record_owner_ops(t, &r.before, &r.after, &r.trail, &r.audit)? {
                tx.guarded(op, AppealRefused::Changed);
            }
        }
        for notice in m.notices {
            tx.push(put(keyed_item(notice, notice.keys())?, t, None)?);
        }
        self.commit(tx).await
    }
}
