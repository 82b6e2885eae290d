//! Service-record, audit, auto-close queue and certificate access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `write_record` | TransactWriteItems: record (new, or `version = seen`) + audit entry N (new) [+ user totals `SET … stats_rev = seen + 1` + statistics counters `ADD`] [+ auto-close queue entry put/delete] [+ the 补录 application it approves, `status = pending`] |
//! | `get_record` | GetItem `ACT#id / RECORD#nn#user` |
//! | `get_transferred` | GetItem `USER#id / XREC#origin` |
//! | `records_of_shift` | Query `ACT#id`, `begins_with(SK, "RECORD#nn#")` |
//! | `records_of_user` | Query GSI4 `VREC#user`, by service time |
//! | `audit_of` | Query `ACT#id` (or `USER#id`), `begins_with(SK, "AUDIT#<record sk>#")` |
//! | `autoclose_due` | Query `AUTOCLOSE#date`, `SK <= now` |
//! | `leave_autoclose` | DeleteItem of a queue entry whose record is closed |
//! | `put_certificate` / `get_certificate` | PutItem / GetItem `CERT#code / CERT` |
//!
//! Why a confirmed record counts exactly once: the only write that changes a volunteer's
//! total is `write_record`, and it commits the total's change together with the record's
//! new version, on the condition that the record is still at the version the change was
//! computed from. A retry, a crash and a concurrent confirmation all either find that
//! version gone (and change nothing) or are the one write that moved it.

use super::activities::ActivityItem;
use super::keys::{self, GSI4PK, GSI4SK};
use super::stats::{CounterAdd, UserStatsWrite, counter_ops, user_stats_op};
use super::{
    Index, ItemKeys, QuerySpec, ResumeKey, SortKey, Store, StoreError, Tx, TxError, build_err,
    delete_op, keyed_item, n, put,
};
use crate::ids::UserId;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::record::{AuditAction, DisputeStatus, RecordSource, RecordStatus};
use zhiyuan_shared::time::Timestamp;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisputeItem {
    pub reason: String,
    pub raised_at: String,
    pub status: DisputeStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
}

/// A service record: a local one in its activity's partition, a transferred-in one in its
/// volunteer's. Both are on GSI4 under the volunteer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordItem {
    /// `<shift>#<user>` or the transferred-in form: not a ULID.
    pub id: String,
    /// Empty on a transferred-in record, as is `org_id`: so strings, not typed ids.
    pub activity_id: String,
    pub n: u8,
    pub user_id: UserId,
    pub real_name: String,
    pub volunteer_no: String,
    pub id_masked: String,
    pub org_id: String,
    pub org_name: String,
    pub activity_title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_field: Option<ServiceField>,
    /// The content as another deployment worded it (transferred-in records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub address: String,
    /// A `String`, not a `RegionCode`: a transferred-in record keeps the region code its
    /// file gives, which the import does not check against this deployment's codes.
    pub region_code: String,
    pub shift_starts: Timestamp,
    pub shift_ends: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<Timestamp>,
    pub minutes: u32,
    pub status: RecordStatus,
    /// Attendance at a training (培训): recorded and confirmed like service, never counted
    /// as service hours (SPEC §5).
    #[serde(default)]
    pub training: bool,
    pub auto_closed: bool,
    pub location_checked: bool,
    /// How the record came to be: attendance, or an approved 补录 application.
    #[serde(default)]
    pub source: RecordSource,
    /// The 补录 application that created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill_id: Option<String>,
    /// A user's id, or `system` for the scheduled auto-close: not a `UserId`.
    pub recorded_by: String,
    pub recorded_by_name: String,
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute: Option<DisputeItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferred_from: Option<String>,
    /// Unique across deployments; set on transferred-in records, derived for local ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_id: Option<String>,
    pub version: u32,
}

impl RecordItem {
    /// A local record's id: its shift's id and its volunteer's id.
    pub fn local_id(shift_id: &str, user_id: &str) -> String {
        keys::record_id(shift_id, user_id)
    }

    /// A transferred-in record's id, named by its origin id.
    pub fn transferred_id(origin_id: &str) -> String {
        keys::transferred_sk(origin_id)
    }

    /// The shift a local record belongs to; empty for a transferred-in one.
    pub fn shift_id(&self) -> String {
        if self.activity_id.is_empty() {
            String::new()
        } else {
            keys::shift_id(&self.activity_id, self.n)
        }
    }

    /// A local record sits in its activity's partition, a transferred-in one in its
    /// volunteer's (keyed by origin id, so importing it twice is refused); both are on
    /// GSI4 under the volunteer, by service time.
    ///
    /// A local record's key names the account it was made for (the user part of its id),
    /// not its current owner: when a volunteer identity moves to another account (an
    /// identity appeal) the record changes owner (`user_id`, GSI4) but keeps its id and key.
    pub(crate) fn keys(&self) -> ItemKeys {
        let (pk, sk) = match self.transferred_from {
            Some(_) => (keys::user_pk(&self.user_id), self.id.clone()),
            None => (
                keys::activity_pk(&self.activity_id),
                keys::record_sk(self.n, self.key_user()),
            ),
        };
        ItemKeys::new(pk, sk, "record").indexed(
            (GSI4PK, keys::records_of_user(&self.user_id)),
            (
                GSI4SK,
                keys::record_list_sk(self.shift_starts.unix(), &self.id),
            ),
        )
    }

    /// The account a local record was made for: the user part of its id.
    fn key_user(&self) -> &str {
        keys::parse_record_id(&self.id).map_or(&self.user_id, |(_, user)| user)
    }

    /// Audit entry `version` of this record: beside it, numbered by version.
    fn audit_keys(&self, version: u32) -> ItemKeys {
        let k = self.keys();
        ItemKeys::new(
            k.pk().to_string(),
            keys::audit_sk(k.sk(), version),
            "record_audit",
        )
    }

    /// The record's entry in the auto-close queue, by when its shift ends.
    fn autoclose_keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::autoclose_pk(&self.shift_ends.cst_date().iso()),
            keys::autoclose_sk(self.shift_ends.unix(), &self.id),
            "autoclose",
        )
    }

    /// Whether this record is service that counts (confirmed or corrected, not training).
    pub fn counts(&self) -> bool {
        self.status.counts() && !self.training
    }

    /// Minutes this record adds to its volunteer's service total in its current state.
    pub fn counted_minutes(&self) -> i64 {
        if self.counts() {
            i64::from(self.minutes)
        } else {
            0
        }
    }

    /// A confirmed attendance at a training.
    pub fn trained(&self) -> bool {
        self.training && self.status.counts()
    }

    /// What the volunteer's totals see of this record: counted minutes, whether it
    /// counts, whether it is a training attended. A change that moves none of these
    /// leaves the totals alone.
    pub fn footprint(&self) -> (i64, bool, bool) {
        (self.counted_minutes(), self.counts(), self.trained())
    }

    pub fn is_open(&self) -> bool {
        self.check_in.is_some() && self.check_out.is_none()
    }
}

/// The state a record was in before or after a change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StateItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<Timestamp>,
    pub minutes: u32,
    pub status: RecordStatus,
}

impl From<&RecordItem> for StateItem {
    fn from(r: &RecordItem) -> Self {
        Self {
            check_in: r.check_in,
            check_out: r.check_out,
            minutes: r.minutes,
            status: r.status,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditItem {
    pub record_id: String,
    pub version: u32,
    pub action: AuditAction,
    /// A user's id, or `system` for the scheduled auto-close: not a `UserId`.
    pub by: String,
    pub by_name: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<StateItem>,
    pub after: StateItem,
}

/// An open record waiting to be closed at its shift's end.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AutocloseItem {
    pub activity_id: String,
    pub n: u8,
    pub user_id: UserId,
    /// Where the entry was found, so it can be dropped.
    #[serde(rename = "PK", skip_serializing)]
    pk: String,
    #[serde(rename = "SK", skip_serializing)]
    sk: String,
}

impl CertificateItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::certificate_pk(&self.code),
            keys::CERTIFICATE_SK,
            "certificate",
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CertificateItem {
    pub code: String,
    pub number: String,
    pub issued_on: String,
    pub user_id: UserId,
    /// Masked already: the verification page is public.
    pub holder_name: String,
    pub volunteer_no: String,
    pub record_count: u32,
    pub total_minutes: u64,
    pub issuer: String,
}

/// What a change does to the auto-close queue: an open record waits in it.
pub enum Queue {
    Unchanged,
    Enter,
    Leave,
}

/// One change to a record, written all or nothing.
pub struct RecordWrite<'a> {
    pub record: &'a RecordItem,
    /// The version the change was computed from; None for a new record.
    pub seen_version: Option<u32>,
    pub audit: &'a AuditItem,
    /// The volunteer's new totals and the counters the change moves (see
    /// `service::stats::record_effect`); None when nothing counted changes.
    pub stats: Option<(UserStatsWrite, Vec<CounterAdd>)>,
    pub queue: Queue,
    /// The 补录 application this write approves: written with the record, only if it is
    /// still pending (see `store::backfills`).
    pub backfill: Option<&'a super::backfills::BackfillItem>,
}

/// Why [`Store::write_record`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordRefused {
    /// The record changed (or, for a new one, exists) since it was read.
    RecordChanged,
    /// The volunteer's totals changed since they were read (another of their records).
    UserChanged,
    /// The 补录 application being approved was decided meanwhile.
    BackfillDecided,
}

impl Store {
    pub async fn write_record(&self, w: RecordWrite<'_>) -> Result<(), TxError<RecordRefused>> {
        let t = &self.table;
        let item = keyed_item(w.record, w.record.keys())?;
        let record = match w.seen_version {
            None => put(item, t, Some("attribute_not_exists(PK)"))?,
            Some(v) => TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(t)
                        .set_item(Some(item))
                        .condition_expression("#v = :seen")
                        .expression_attribute_names("#v", "version")
                        .expression_attribute_values(":seen", n(v))
                        .build()
                        .map_err(build_err)?,
                )
                .build(),
        };
        let audit = keyed_item(w.audit, w.record.audit_keys(w.audit.version))?;
        let mut tx = Tx::new();
        tx.guarded(record, RecordRefused::RecordChanged);
        // Entry N exists only if the record reached version N: another change won.
        tx.guarded(
            put(audit, t, Some("attribute_not_exists(PK)"))?,
            RecordRefused::RecordChanged,
        );
        if let Some((user, counters)) = &w.stats {
            tx.guarded(user_stats_op(t, user)?, RecordRefused::UserChanged);
            tx.extend(counter_ops(t, counters)?);
        }
        if let Some(b) = w.backfill {
            tx.guarded(
                super::backfills::decided_op(t, b)?,
                RecordRefused::BackfillDecided,
            );
        }
        let queued = w.record.autoclose_keys();
        match w.queue {
            Queue::Unchanged => {}
            Queue::Enter => {
                let entry = AutocloseItem {
                    activity_id: w.record.activity_id.clone(),
                    n: w.record.n,
                    // The record is found by the account it was made for (its key).
                    user_id: UserId::trusted(w.record.key_user()),
                    pk: String::new(),
                    sk: String::new(),
                };
                tx.push(put(keyed_item(&entry, queued)?, t, None)?);
            }
            Queue::Leave => tx.push(delete_op(
                t,
                queued.pk().to_string(),
                queued.sk(),
                None,
                &[],
                vec![],
            )?),
        }
        self.commit(tx).await
    }

    /// A local record by its id, with its activity (None for anything that is not one).
    pub async fn record_with_activity(
        &self,
        record_id: &str,
    ) -> Result<Option<(RecordItem, ActivityItem)>, StoreError> {
        let Some((shift_id, user_id)) = keys::parse_record_id(record_id) else {
            return Ok(None);
        };
        let Some((aid, n)) = keys::parse_shift_id(shift_id) else {
            return Ok(None);
        };
        let Some(activity) = crate::ids::ActivityId::parse(aid) else {
            return Ok(None);
        };
        let (r, a) = tokio::join!(
            self.get_record(aid, n, user_id),
            self.get_activity(&activity)
        );
        Ok(r?.zip(a?))
    }

    pub async fn get_record(
        &self,
        activity_id: &str,
        n: u8,
        user_id: &str,
    ) -> Result<Option<RecordItem>, StoreError> {
        self.get_item(keys::activity_pk(activity_id), &keys::record_sk(n, user_id))
            .await
    }

    pub async fn get_transferred(
        &self,
        user_id: &str,
        origin_id: &str,
    ) -> Result<Option<RecordItem>, StoreError> {
        self.get_item(keys::user_pk(user_id), &keys::transferred_sk(origin_id))
            .await
    }

    pub async fn records_of_shift(
        &self,
        activity_id: &str,
        n: u8,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<RecordItem>, Option<ResumeKey>), StoreError> {
        let prefix = keys::record_prefix(n);
        self.query_spec(
            QuerySpec::table(keys::activity_pk(activity_id), SortKey::Prefix(&prefix)),
            resume,
            limit,
        )
        .await
    }

    /// A volunteer's records by service time (newest first when `descending`).
    pub async fn records_of_user(
        &self,
        user_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
        descending: bool,
    ) -> Result<(Vec<RecordItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::index(
                Index::Gsi4,
                keys::records_of_user(user_id),
                SortKey::Between("0".into(), "~".into()),
            )
            .newest_first_if(descending),
            resume,
            limit,
        )
        .await
    }

    /// Every audit entry of a record, oldest first.
    pub async fn audit_of(&self, record: &RecordItem) -> Result<Vec<AuditItem>, StoreError> {
        let k = record.keys();
        let prefix = keys::audit_prefix(k.sk());
        self.query_all(QuerySpec::table(
            k.pk().to_string(),
            SortKey::Prefix(&prefix),
        ))
        .await
    }

    /// Open records of shifts that ended on `cst_date` at or before `now`.
    pub async fn autoclose_due(
        &self,
        cst_date: &str,
        now: i64,
    ) -> Result<Vec<AutocloseItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec::table(
                    keys::autoclose_pk(cst_date),
                    SortKey::Between(keys::list_from(0), keys::list_from(now + 1)),
                ),
                None,
                100,
            )
            .await?;
        Ok(items)
    }

    /// Drops a queue entry whose record is closed already.
    pub async fn leave_autoclose(&self, entry: &AutocloseItem) -> Result<(), StoreError> {
        self.delete_one(entry.pk.clone(), &entry.sk).await
    }

    /// Stores a certificate under its code; the same code always carries the same content.
    pub async fn put_certificate(&self, cert: &CertificateItem) -> Result<(), StoreError> {
        self.put_one(keyed_item(cert, cert.keys())?, None).await
    }

    pub async fn get_certificate(&self, code: &str) -> Result<Option<CertificateItem>, StoreError> {
        self.get_item(keys::certificate_pk(code), keys::CERTIFICATE_SK)
            .await
    }
}

/// The items of one transaction that give a record to another account (an identity
/// appeal): `after` is `before` with its new owner and next version, `audit` its entry for
/// that version. A local record keeps its key and changes owner in place; a transferred-in
/// one lives in its owner's partition, so it and its audit trail move there.
pub(crate) fn record_owner_ops(
    table: &str,
    before: &RecordItem,
    after: &RecordItem,
    trail: &[AuditItem],
    audit: &AuditItem,
) -> Result<Vec<TransactWriteItem>, StoreError> {
    let mut ops = Vec::new();
    let item = keyed_item(after, after.keys())?;
    if before.transferred_from.is_some() {
        let old = before.keys();
        ops.push(delete_op(
            table,
            old.pk().to_string(),
            old.sk(),
            Some("#v = :seen"),
            &[("#v", "version")],
            vec![(":seen", n(before.version))],
        )?);
        ops.push(put(item, table, Some("attribute_not_exists(PK)"))?);
        for entry in trail {
            let from = before.audit_keys(entry.version);
            ops.push(delete_op(
                table,
                from.pk().to_string(),
                from.sk(),
                None,
                &[],
                vec![],
            )?);
            ops.push(put(
                keyed_item(entry, after.audit_keys(entry.version))?,
                table,
                None,
            )?);
        }
    } else {
        ops.push(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(table)
                        .set_item(Some(item))
                        .condition_expression("#v = :seen")
                        .expression_attribute_names("#v", "version")
                        .expression_attribute_values(":seen", n(before.version))
                        .build()
                        .map_err(build_err)?,
                )
                .build(),
        );
    }
    ops.push(put(
        keyed_item(audit, after.audit_keys(audit.version))?,
        table,
        Some("attribute_not_exists(PK)"),
    )?);
    Ok(ops)
}
