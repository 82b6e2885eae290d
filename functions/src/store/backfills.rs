//! Hours with evidence (补录) access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `put_backfill` | PutItem `BACKFILL#id / BACKFILL`, `attribute_not_exists(PK)` |
//! | `get_backfill` | GetItem `BACKFILL#id / BACKFILL` |
//! | `backfills_of_org` | Query GSI4 `BACKFILLORG#org`, `begins_with(GSI4SK, "<status>#")` |
//! | `backfills_of_user` | Query GSI1 `BACKFILLBY#user` newest first (keys), then BatchGetItem |
//! | `refuse_backfill` | PutItem the refused application, condition `status = pending` |
//! | approval | in `write_record`'s transaction: the approved application, condition `status = pending`, beside the new confirmed record, its audit entry and the totals |
//!
//! One decision only: approving and refusing both write the application on the condition
//! that it is still pending, and an approval writes it in the same transaction as the
//! record it creates, so of two decisions one commits and the record is made at most once.

use super::keys::{self, GSI1PK, GSI1SK, GSI4PK, GSI4SK};
use super::{
    Index, ItemKeys, Keyed, QuerySpec, ResumeKey, SortKey, Store, StoreError, Tx, TxError,
    keyed_item, put_if, s,
};
use crate::ids::{ActivityId, AttachmentId, BackfillId, OrgId, UserId};
use aws_sdk_dynamodb::types::TransactWriteItem;
use serde::{Deserialize, Serialize};
use zhiyuan_shared::backfill::BackfillStatus;
use zhiyuan_shared::time::Timestamp;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackfillItem {
    pub id: BackfillId,
    pub org_id: OrgId,
    pub org_name: String,
    pub activity_id: ActivityId,
    /// The shift's number in its activity.
    pub n: u8,
    pub activity_title: String,
    pub user_id: UserId,
    pub real_name: String,
    pub volunteer_no: String,
    pub shift_starts: Timestamp,
    pub shift_ends: Timestamp,
    pub check_in: Timestamp,
    pub check_out: Timestamp,
    /// What the record will count, computed when applying (shown to the reviewer).
    pub minutes: u32,
    pub content: String,
    /// Evidence files in the activity's archive.
    pub evidence: Vec<AttachmentId>,
    pub status: BackfillStatus,
    pub applied_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
}

impl Keyed for BackfillItem {
    /// Its own partition; on GSI4 by organisation then status (an organizer's queue is one
    /// `begins_with`); on GSI1 by applicant.
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(keys::backfill_pk(&self.id), keys::BACKFILL_SK, "backfill")
            .indexed(
                (GSI4PK, keys::backfills_of_org(&self.org_id)),
                (
                    GSI4SK,
                    keys::backfill_queue_sk(self.status.slug(), &self.id),
                ),
            )
            .indexed(
                (GSI1PK, keys::backfills_of_user(&self.user_id)),
                (GSI1SK, self.id.to_string()),
            )
    }
}

/// A GSI1 entry: the application's id is enough to read it.
#[derive(Deserialize)]
struct BackfillRef {
    id: BackfillId,
}

/// Why a decision was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackfillRefused {
    /// Another decision came first.
    AlreadyDecided,
}

/// The decided application, written only if it is still pending: a transaction's item.
pub(crate) fn decided_op(
    table: &str,
    decided: &BackfillItem,
) -> Result<TransactWriteItem, StoreError> {
    put_if(
        keyed_item(decided, decided.keys())?,
        table,
        "#s = :pending",
        &[("#s", "status")],
        vec![(":pending", s(BackfillStatus::Pending.slug()))],
    )
}

impl Store {
    pub async fn put_backfill(&self, b: &BackfillItem) -> Result<(), StoreError> {
        self.put_one(keyed_item(b, b.keys())?, Some("attribute_not_exists(PK)"))
            .await
    }

    pub async fn get_backfill(&self, id: &str) -> Result<Option<BackfillItem>, StoreError> {
        self.get_item(keys::backfill_pk(id), keys::BACKFILL_SK)
            .await
    }

    /// One page of an organisation's applications in `status`, oldest first.
    pub async fn backfills_of_org(
        &self,
        org_id: &str,
        status: BackfillStatus,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<BackfillItem>, Option<ResumeKey>), StoreError> {
        let prefix = keys::backfill_queue_sk(status.slug(), "");
        self.query_spec(
            QuerySpec::index(
                Index::Gsi4,
                keys::backfills_of_org(org_id),
                SortKey::Prefix(&prefix),
            ),
            resume,
            limit,
        )
        .await
    }

    /// One page of a volunteer's applications, newest first.
    pub async fn backfills_of_user(
        &self,
        user_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<BackfillItem>, Option<ResumeKey>), StoreError> {
        let (refs, next): (Vec<BackfillRef>, _) = self
            .query_spec(
                QuerySpec::index(Index::Gsi1, keys::backfills_of_user(user_id), SortKey::Any)
                    .newest_first(),
                resume,
                limit,
            )
            .await?;
        let mut items: Vec<BackfillItem> = self
            .batch_get(
                refs.iter()
                    .map(|r| (keys::backfill_pk(&r.id), keys::BACKFILL_SK.to_string()))
                    .collect(),
            )
            .await?;
        items.sort_by(|a, b| b.id.cmp(&a.id));
        Ok((items, next))
    }

    /// Every application of a volunteer made at or after `since` (ids are ULIDs, so by
    /// time): what a new application must not overlap.
    pub async fn backfills_of_user_since(
        &self,
        user_id: &str,
        since: Timestamp,
    ) -> Result<Vec<BackfillItem>, StoreError> {
        let from = ulid::Ulid::from_parts(since.unix().max(0) as u64 * 1000, 0).to_string();
        let refs: Vec<BackfillRef> = self
            .query_all(QuerySpec::index(
                Index::Gsi1,
                keys::backfills_of_user(user_id),
                SortKey::Between(from, keys::LIST_END.to_string()),
            ))
            .await?;
        self.batch_get(
            refs.iter()
                .map(|r| (keys::backfill_pk(&r.id), keys::BACKFILL_SK.to_string()))
                .collect(),
        )
        .await
    }

    /// Writes the refused application if it is still pending.
    pub async fn refuse_backfill(
        &self,
        refused: &BackfillItem,
    ) -> Result<(), TxError<BackfillRefused>> {
        let mut tx = Tx::new();
        tx.guarded(
            decided_op(&self.table, refused)?,
            BackfillRefused::AlreadyDecided,
        );
        self.commit(tx).await
    }
}
