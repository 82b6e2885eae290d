//! The in-app inbox: notices in the user's partition by id (a ULID, so newest last).
//!
//! | pattern | operation |
//! |---|---|
//! | `put_notices` | BatchWriteItem (fixed ids, so writing twice leaves one) |
//! | `notices_page` | Query `USER#id`, `begins_with(SK, "NOTICE#")`, newest first |
//! | `unread_notices` | Query `USER#id`, `SK BETWEEN NOTICE#seen… AND NOTICE#~` |
//! | `mark_notices_seen` | UpdateItem user `notices_seen` (only forward) |

use super::keys::{self};
use super::{ItemKeys, Keyed, QuerySpec, ResumeKey, SortKey, Store, StoreError, s};
use crate::ids::{NoticeId, UserId};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::notice::NoticeKind;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeItem {
    pub id: NoticeId,
    pub user_id: UserId,
    pub kind: NoticeKind,
    pub subject: String,
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub created_at: String,
}

impl Keyed for NoticeItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::user_pk(&self.user_id),
            keys::notice_sk(&self.id),
            "notice",
        )
    }
}

impl Store {
    /// Writes notices (idempotent: their ids are fixed or fresh).
    pub async fn put_notices(&self, notices: &[NoticeItem]) -> Result<(), StoreError> {
        self.put_all(notices).await
    }

    pub async fn notices_page(
        &self,
        user_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<NoticeItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::table(keys::user_pk(user_id), SortKey::Prefix(keys::NOTICE_PREFIX))
                .newest_first(),
            resume,
            limit,
        )
        .await
    }

    /// How many notices are newer than `seen`, counted up to `cap`.
    pub async fn unread_notices(
        &self,
        user_id: &str,
        seen: Option<&str>,
        cap: usize,
    ) -> Result<usize, StoreError> {
        // Any id sorts before itself followed by "0", and every later ULID after that.
        let lo = match seen {
            Some(id) => format!("{}0", keys::notice_sk(id)),
            None => keys::NOTICE_PREFIX.to_string(),
        };
        let (items, _) = self
            .query_spec::<NoticeItem>(
                QuerySpec::table(
                    keys::user_pk(user_id),
                    SortKey::Between(lo, keys::NOTICE_END.into()),
                ),
                None,
                cap,
            )
            .await?;
        Ok(items.len())
    }

    /// Marks every notice up to `latest` as seen.
    pub async fn mark_notices_seen(&self, user_id: &str, latest: &str) -> Result<(), StoreError> {
        self.update_one(
            keys::user_pk(user_id),
            keys::USER_SK,
            "SET notices_seen = :id",
            Some("attribute_exists(PK) AND (attribute_not_exists(notices_seen) OR notices_seen < :id)"),
            &[],
            vec![(":id", s(latest))],
        )
        .await
        .or_else(|e| match e {
                // Someone (another tab) marked a later notice seen first: nothing to do.
                StoreError::ConditionFailed => Ok(()),
                other => Err(other),
            })
    }
}
