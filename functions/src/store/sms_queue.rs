//! Notices by SMS: each person's notice settings, and the SMS queue — one item per notice
//! to be texted, keyed by the notice id, on GSI4 while pending.
//!
//! | pattern | operation |
//! |---|---|
//! | `notice_settings` | GetItem `USER#id / NOTICE_SETTINGS` |
//! | `put_notice_settings` | PutItem `USER#id / NOTICE_SETTINGS` |
//! | `enqueue_sms` | PutItem `SMS#notice / SMS` if absent (a second enqueue is a no-op) |
//! | `sms_due` | Query GSI4 `SMSQ#shard`, `GSI4SK <= now` (each shard) |
//! | `claim_sms` | UpdateItem: pending and still due as read → due at the lease's end |
//! | `sms_sent` / `sms_failed` | UpdateItem: status, `REMOVE GSI4PK, GSI4SK` (off the queue) |
//! | `sms_later` | UpdateItem: pending → due later (a retry, or the end of quiet hours) |
//! | `sms_items` | BatchGetItem `SMS#notice / SMS` (the notices of one inbox: "my data") |
//! | `delete_sms` | DeleteItem `SMS#notice / SMS` (a closed account's messages, sent or not) |
//! | `delete_notice_settings` | DeleteItem `USER#id / NOTICE_SETTINGS` (in the closing transaction) |

use super::keys::{self, GSI4PK, GSI4SK};
use super::{Index, ItemKeys, Keyed, QuerySpec, SortKey, Store, StoreError, keyed_item, n, s};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::notice_settings::NoticeSettings;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeSettingsItem {
    pub user_id: UserId,
    pub sms: Vec<NoticeKind>,
    pub quiet_hours: bool,
    pub updated_at: String,
}

impl Keyed for NoticeSettingsItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::user_pk(&self.user_id),
            keys::NOTICE_SETTINGS_SK,
            "notice_settings",
        )
    }
}

impl From<NoticeSettingsItem> for NoticeSettings {
    fn from(i: NoticeSettingsItem) -> Self {
        Self {
            sms: i.sms,
            quiet_hours: i.quiet_hours,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsStatus {
    /// On the queue: due at `due_at` (or claimed until then).
    Pending,
    /// The provider took it; never sent again.
    Sent,
    /// Given up (refused for good, or out of attempts).
    Failed,
}

/// One notice to be texted. Holds what the template needs, not the phone number: that is
/// opened from the user's sealed phone when the message goes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmsQueueItem {
    pub notice_id: String,
    pub user_id: UserId,
    pub kind: NoticeKind,
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    pub status: SmsStatus,
    /// Unix seconds: when it may be sent next (while claimed: when the claim lapses).
    pub due_at: i64,
    /// Sends tried so far (a claim counts one).
    pub attempts: u32,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// Queue items spread over a few partitions by notice id, so a burst (an activity with
/// hundreds of volunteers cancelled) does not make one hot index partition.
fn shard(notice_id: &str) -> u8 {
    Sha256::digest(notice_id.as_bytes())[0] % keys::SMS_QUEUE_SHARDS
}

impl Keyed for SmsQueueItem {
    fn keys(&self) -> ItemKeys {
        let k = ItemKeys::new(keys::sms_pk(&self.notice_id), keys::SMS_SK, "sms");
        if self.status == SmsStatus::Pending {
            k.indexed(
                (GSI4PK, keys::sms_queue_pk(shard(&self.notice_id))),
                (GSI4SK, keys::sms_queue_sk(self.due_at, &self.notice_id)),
            )
        } else {
            k
        }
    }
}

impl Store {
    pub async fn notice_settings(
        &self,
        user_id: &str,
    ) -> Result<Option<NoticeSettingsItem>, StoreError> {
        self.get_item(keys::user_pk(user_id), keys::NOTICE_SETTINGS_SK)
            .await
    }

    pub async fn put_notice_settings(&self, item: &NoticeSettingsItem) -> Result<(), StoreError> {
        self.put_one(keyed_item(item, item.keys())?, None).await
    }

    /// Queues one SMS unless its notice is queued already (then, whatever became of that
    /// one — sent, pending or failed — stands).
    pub async fn enqueue_sms(&self, item: &SmsQueueItem) -> Result<(), StoreError> {
        match self
            .put_one(
                keyed_item(item, item.keys())?,
                Some("attribute_not_exists(PK)"),
            )
            .await
        {
            Ok(()) | Err(StoreError::ConditionFailed) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The queue items of these notices (notices never texted have none).
    pub async fn sms_items(&self, notice_ids: &[&str]) -> Result<Vec<SmsQueueItem>, StoreError> {
        self.batch_get(
            notice_ids
                .iter()
                .map(|id| (keys::sms_pk(id), keys::SMS_SK.to_string()))
                .collect(),
        )
        .await
    }

    /// Deletes a notice's text message, sent or pending: a pending one is never sent (a
    /// dispatcher holding its claim finds the account closed, or its finish refused).
    pub async fn delete_sms(&self, notice_id: &str) -> Result<(), StoreError> {
        self.delete_one(keys::sms_pk(notice_id), keys::SMS_SK).await
    }

    pub async fn sms_item(&self, notice_id: &str) -> Result<Option<SmsQueueItem>, StoreError> {
        self.get_item(keys::sms_pk(notice_id), keys::SMS_SK).await
    }

    /// Queue items due at or before `now`, up to `limit` from each shard, soonest first.
    /// The index is eventually consistent: a claim re-checks each against the table.
    pub async fn sms_due(&self, now: i64, limit: usize) -> Result<Vec<SmsQueueItem>, StoreError> {
        let shards = (0..keys::SMS_QUEUE_SHARDS).map(|shard| {
            self.query_spec::<SmsQueueItem>(
                QuerySpec::index(
                    Index::Gsi4,
                    keys::sms_queue_pk(shard),
                    SortKey::Between(keys::sms_queue_sk(0, ""), keys::sms_queue_until(now)),
                ),
                None,
                limit,
            )
        });
        let mut out = Vec::new();
        for page in futures_util::future::try_join_all(shards).await? {
            out.extend(page.0);
        }
        Ok(out)
    }

    /// Claims a due item for one send: it stays pending but is due only when the claim
    /// lapses (`lease_until`), so a sender that dies mid-send leaves it to a later run.
    /// Fails with `ConditionFailed` when another run claimed it first or it was sent.
    pub async fn claim_sms(&self, item: &SmsQueueItem, lease_until: i64) -> Result<(), StoreError> {
        self.update_one(
            keys::sms_pk(&item.notice_id),
            keys::SMS_SK,
            "SET due_at = :lease, GSI4SK = :sk, attempts = attempts + :one",
            Some("#status = :pending AND due_at = :seen"),
            &[("#status", "status")],
            vec![
                (":lease", n(lease_until)),
                (":sk", s(keys::sms_queue_sk(lease_until, &item.notice_id))),
                (":one", n(1)),
                (":pending", s("pending")),
                (":seen", n(item.due_at)),
            ],
        )
        .await
    }

    /// The provider took it: off the queue for good.
    pub async fn sms_sent(&self, notice_id: &str, at: &str) -> Result<(), StoreError> {
        self.finish_sms(notice_id, "sent", "sent_at", at).await
    }

    /// Given up: off the queue, with the last error kept for whoever looks.
    pub async fn sms_failed(&self, notice_id: &str, error: &str) -> Result<(), StoreError> {
        self.finish_sms(notice_id, "failed", "last_error", error)
            .await
    }

    async fn finish_sms(
        &self,
        notice_id: &str,
        status: &str,
        attr: &'static str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.update_one(
            keys::sms_pk(notice_id),
            keys::SMS_SK,
            "SET #status = :status, #attr = :value REMOVE GSI4PK, GSI4SK",
            Some("#status = :pending"),
            &[("#status", "status"), ("#attr", attr)],
            vec![
                (":status", s(status)),
                (":value", s(value)),
                (":pending", s("pending")),
            ],
        )
        .await
    }

    /// Puts a pending item back on the queue, due at `due_at`; `retry` carries the error
    /// of a failed send (a hold for quiet hours has none, and gives its claim back).
    pub async fn sms_later(
        &self,
        notice_id: &str,
        due_at: i64,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let (expression, mut values) = match error {
            Some(e) => (
                "SET due_at = :due, GSI4SK = :sk, last_error = :error",
                vec![(":error", s(e))],
            ),
            None => (
                "SET due_at = :due, GSI4SK = :sk, attempts = attempts - :one",
                vec![(":one", n(1))],
            ),
        };
        values.extend([
            (":due", n(due_at)),
            (":sk", s(keys::sms_queue_sk(due_at, notice_id))),
            (":pending", s("pending")),
        ]);
        self.update_one(
            keys::sms_pk(notice_id),
            keys::SMS_SK,
            expression,
            Some("#status = :pending"),
            &[("#status", "status")],
            values,
        )
        .await
    }
}
