//! Activity archive access patterns (活动档案, SPEC §11). The files' bytes live in
//! `files`; these items describe them, in the activity's own partition.
//!
//! | pattern | operation |
//! |---|---|
//! | `put_attachment` | PutItem `ACT#activity / FILE#id`, `attribute_not_exists(PK)` |
//! | `get_attachment` | GetItem `ACT#activity / FILE#id` |
//! | `attachments_of` | Query `ACT#activity`, `begins_with(SK, "FILE#")` |
//! | `mark_attachment_stored` | UpdateItem status pending → stored, drops the expiry |
//! | `delete_attachment` | DeleteItem |
//!
//! A pending item carries `expires_at` (the table's TTL attribute): an upload that never
//! completes disappears on its own.

use super::keys::{self};
use super::{ItemKeys, QuerySpec, SortKey, Store, StoreError, keyed_item, s};
use crate::ids::{ActivityId, AttachmentId, UserId};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::archive::{AttachmentKind, AttachmentStatus};

const ENTITY: &str = "attachment";

/// More than the archive may hold (stored and pending together), so a full archive is
/// seen as full.
pub const READ_LIMIT: usize = 200;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttachmentItem {
    pub id: AttachmentId,
    pub activity_id: ActivityId,
    pub kind: AttachmentKind,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub status: AttachmentStatus,
    pub uploaded_by: UserId,
    pub uploaded_by_name: String,
    pub uploaded_at: String,
    /// Unix seconds; only while pending (TTL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl AttachmentItem {
    /// An archive file sits in its activity's partition.
    pub(crate) fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::activity_pk(&self.activity_id),
            keys::attachment_sk(&self.id),
            ENTITY,
        )
    }
}

impl Store {
    pub async fn put_attachment(&self, item: &AttachmentItem) -> Result<(), StoreError> {
        self.put_one(
            keyed_item(item, item.keys())?,
            Some("attribute_not_exists(PK)"),
        )
        .await
    }

    pub async fn get_attachment(
        &self,
        activity_id: &str,
        id: &str,
    ) -> Result<Option<AttachmentItem>, StoreError> {
        self.get_item(keys::activity_pk(activity_id), &keys::attachment_sk(id))
            .await
    }

    /// Every file item of an activity (pending ones included), oldest first.
    pub async fn attachments_of(
        &self,
        activity_id: &str,
    ) -> Result<Vec<AttachmentItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec::table(
                    keys::activity_pk(activity_id),
                    SortKey::Prefix(keys::ATTACHMENT_PREFIX),
                ),
                None,
                READ_LIMIT,
            )
            .await?;
        Ok(items)
    }

    /// Pending → stored, once: a second completion finds it stored and fails the condition.
    pub async fn mark_attachment_stored(
        &self,
        activity_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        self.update_one(
            keys::activity_pk(activity_id),
            &keys::attachment_sk(id),
            "SET #st = :stored REMOVE expires_at",
            Some("#st = :pending"),
            &[("#st", "status")],
            vec![
                (":stored", s(AttachmentStatus::Stored.slug())),
                (":pending", s(AttachmentStatus::Pending.slug())),
            ],
        )
        .await
    }

    pub async fn delete_attachment(&self, activity_id: &str, id: &str) -> Result<(), StoreError> {
        self.delete_one(keys::activity_pk(activity_id), &keys::attachment_sk(id))
            .await
    }
}
