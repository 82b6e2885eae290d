//! "My account" access patterns: a password change, the closing of an account, and the
//! reads and renames that closing and "my data" need.
//!
//! | pattern | operation |
//! |---|---|
//! | `set_password` | UpdateItem user: `SET password_hash`, `token_gen + 1`, on the generation read and not closed |
//! | `close_account` | TransactWriteItems: put the anonymised user on the revision, sign-up sequence and generation read, `attribute_not_exists(closed_at)` + delete `PHONE#index` guard + delete `IDNO#index` guard (each only while it names this user) + put `CLOSING / <user id>` + delete `USER#id / CALFEED` (as read: absent, or holding the hash read) and its `CALFEED#hash` lookup + delete `USER#id / NOTICE_SETTINGS` + delete the phone's `CODE#index / <purpose>` items |
//! | `closings_pending` | Query `CLOSING` (accounts whose tidying is unfinished) |
//! | `closing_done` | DeleteItem `CLOSING / <user id>` |
//! | `all_my_shifts` | Query `USER#id`, `begins_with(SK, "MYSHIFT#")` |
//! | `all_notices` | Query `USER#id`, `begins_with(SK, "NOTICE#")` |
//! | `delete_notices` | DeleteItem each (the inbox of a closed account) |
//! | `uploads_to_org` | Query the organisation's activity listing (GSI4 `ACTORG#`), then each activity's `FILE#` items, kept when `uploaded_by` is the user |
//! | `rename_record` / `rename_signup` / `rename_member` / `rename_need` / `rename_upload` | UpdateItem `SET` the copied name, `attribute_exists(PK)` |

use super::accounts::UserItem;
use super::activities::{ListFilter, ListScope};
use super::attachments::AttachmentItem;
use super::keys;
use super::needs::NeedItem;
use super::notices::NoticeItem;
use super::orgs::MemberItem;
use super::records::RecordItem;
use super::signups::{MyShiftItem, signup_keys};
use super::{
    ItemKeys, QuerySpec, SortKey, Store, StoreError, Tx, TxError, delete_op, keyed_item, n, put, s,
};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::my_account::CLOSED_NAME;
use zhiyuan_shared::time::Timestamp;

/// A closed account whose tidying is not finished (see `keys::CLOSING_PK`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClosingItem {
    pub user_id: UserId,
}

impl ClosingItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::CLOSING_PK.to_string(),
            self.user_id.as_str(),
            "closing",
        )
    }
}

/// Why [`Store::close_account`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseRefused {
    /// The user item changed since it was read (a sign-up, a confirmed record, a password
    /// change) or was closed already: read it again.
    UserChanged,
}

/// A guard is released only while it still names this user (an appeal may have moved an
/// ID number to another account); an absent guard is released already.
const OWN_GUARD: &str = "attribute_not_exists(PK) OR user_id = :me";

impl Store {
    /// Replaces the password hash and ends every session issued under `seen_gen`; the
    /// caller's new token carries the returned generation.
    pub async fn set_password(
        &self,
        user_id: &str,
        seen_gen: u32,
        password_hash: &str,
    ) -> Result<u32, StoreError> {
        self.update_one(
            keys::user_pk(user_id),
            keys::USER_SK,
            "SET password_hash = :h, token_gen = :next",
            Some("attribute_exists(PK) AND token_gen = :seen AND attribute_not_exists(closed_at)"),
            &[],
            vec![
                (":h", s(password_hash)),
                (":seen", n(seen_gen)),
                (":next", n(seen_gen + 1)),
            ],
        )
        .await?;
        Ok(seen_gen + 1)
    }

    /// Closes an account in one transaction: the user item becomes `closed` (its personal
    /// fields as the service anonymised them), and its phone and ID-number guards are
    /// released so the person can register again. Conditional on the item as read, so a
    /// racing sign-up, record confirmation or second close makes one of them read again.
    ///
    /// The same transaction ends what other features keep for the person, so nothing of
    /// it outlives the closing even for a moment: the calendar feed (its lookup too: the
    /// feed URL answers 404 at once; conditional on the feed as read, `feed_hash`, so a
    /// feed made meanwhile makes the close read again), the notice settings and the
    /// phone's verification codes.
    pub async fn close_account(
        &self,
        before: &UserItem,
        closed: &UserItem,
        feed_hash: Option<&str>,
    ) -> Result<(), TxError<CloseRefused>> {
        let user = keyed_item(closed, closed.keys())?;
        let user_op = {
            let put = aws_sdk_dynamodb::types::Put::builder()
                .table_name(&self.table)
                .set_item(Some(user))
                .condition_expression(
                    "attribute_exists(PK) AND attribute_not_exists(closed_at) \
                     AND token_gen = :gen AND stats_rev = :rev AND signup_seq = :seq",
                )
                .expression_attribute_values(":gen", n(before.token_gen))
                .expression_attribute_values(":rev", n(before.stats_rev))
                .expression_attribute_values(":seq", n(before.signup_seq))
                .build()
                .map_err(super::build_err)?;
            aws_sdk_dynamodb::types::TransactWriteItem::builder()
                .put(put)
                .build()
        };
        let mut tx = Tx::new();
        tx.guarded(user_op, CloseRefused::UserChanged);
        let me = || vec![(":me", s(before.id.as_str()))];
        if !before.phone_index.is_empty() {
            tx.push(delete_op(
                &self.table,
                keys::phone_guard_pk(&before.phone_index),
                keys::PHONE_GUARD_SK,
                Some(OWN_GUARD),
                &[],
                me(),
            )?);
        }
        let pending = ClosingItem {
            user_id: before.id.clone(),
        };
        tx.push(put(
            keyed_item(&pending, pending.keys())?,
            &self.table,
            None,
        )?);
        if let Some(v) = before.volunteer.as_ref().filter(|v| !v.id_index.is_empty()) {
            tx.push(delete_op(
                &self.table,
                keys::id_guard_pk(&v.id_index),
                keys::ID_GUARD_SK,
                Some(OWN_GUARD),
                &[],
                me(),
            )?);
        }
        let user_pk = keys::user_pk(&before.id);
        let feed = match feed_hash {
            None => delete_op(
                &self.table,
                user_pk.clone(),
                keys::CALENDAR_FEED_SK,
                Some("attribute_not_exists(PK)"),
                &[],
                vec![],
            )?,
            Some(h) => delete_op(
                &self.table,
                user_pk.clone(),
                keys::CALENDAR_FEED_SK,
                Some("#h = :h"),
                &[("#h", "hash")],
                vec![(":h", s(h))],
            )?,
        };
        tx.guarded(feed, CloseRefused::UserChanged);
        if let Some(h) = feed_hash {
            tx.push(delete_op(
                &self.table,
                keys::calendar_feed_pk(h),
                keys::CALENDAR_FEED_SK,
                None,
                &[],
                vec![],
            )?);
        }
        tx.push(delete_op(
            &self.table,
            user_pk,
            keys::NOTICE_SETTINGS_SK,
            None,
            &[],
            vec![],
        )?);
        if !before.phone_index.is_empty() {
            for purpose in CodePurpose::ALL {
                tx.push(delete_op(
                    &self.table,
                    keys::code_pk(&before.phone_index),
                    purpose.slug(),
                    None,
                    &[],
                    vec![],
                )?);
            }
        }
        self.commit(tx).await
    }

    /// Closed accounts whose tidying did not finish, oldest first (a few at most).
    pub async fn closings_pending(&self, limit: usize) -> Result<Vec<UserId>, StoreError> {
        let (items, _): (Vec<ClosingItem>, _) = self
            .query_spec(
                QuerySpec::table(keys::CLOSING_PK.to_string(), SortKey::Any),
                None,
                limit,
            )
            .await?;
        Ok(items.into_iter().map(|c| c.user_id).collect())
    }

    /// The tidying of a closed account is done.
    pub async fn closing_done(&self, user_id: &UserId) -> Result<(), StoreError> {
        self.delete_one(keys::CLOSING_PK.to_string(), user_id.as_str())
            .await
    }

    /// Every sign-up mirror in the user's partition, past and future.
    pub async fn all_my_shifts(&self, user_id: &str) -> Result<Vec<MyShiftItem>, StoreError> {
        self.query_all(QuerySpec::table(
            keys::user_pk(user_id),
            SortKey::Prefix(keys::MY_SHIFT_PREFIX),
        ))
        .await
    }

    /// Every notice in the user's inbox.
    pub async fn all_notices(&self, user_id: &str) -> Result<Vec<NoticeItem>, StoreError> {
        self.query_all(
            QuerySpec::table(keys::user_pk(user_id), SortKey::Prefix(keys::NOTICE_PREFIX))
                .newest_first(),
        )
        .await
    }

    /// Deletes the inbox of a closed account: the notices name nobody else and serve
    /// nobody once the account is gone.
    pub async fn delete_notices(&self, user_id: &UserId) -> Result<(), StoreError> {
        for notice in self.all_notices(user_id).await? {
            self.delete_one(keys::user_pk(user_id), &keys::notice_sk(&notice.id))
                .await?;
        }
        Ok(())
    }

    /// Shows a closed volunteer's record under [`CLOSED_NAME`].
    /// The record's copy of the masked ID number goes too.
    pub async fn rename_record(&self, record: &RecordItem) -> Result<(), StoreError> {
        let k = record.keys();
        match self
            .update_one(
                k.pk().to_string(),
                k.sk(),
                "SET real_name = :closed, id_masked = :none",
                Some("attribute_exists(PK)"),
                &[],
                vec![(":closed", s(CLOSED_NAME)), (":none", s(""))],
            )
            .await
        {
            Err(StoreError::ConditionFailed) => Ok(()),
            other => other,
        }
    }

    /// Shows a closed volunteer's sign-up (a roster or check-in list) under [`CLOSED_NAME`].
    pub async fn rename_signup(
        &self,
        activity_id: &str,
        n: u8,
        user_id: &str,
    ) -> Result<(), StoreError> {
        self.rename(signup_keys(activity_id, n, user_id), "real_name")
            .await
    }

    /// Shows a closed volunteer in an organisation's member list under [`CLOSED_NAME`].
    pub async fn rename_member(&self, member: &MemberItem) -> Result<(), StoreError> {
        self.rename(member.keys(), "real_name").await
    }

    /// The archive files `user_id` uploaded to the activities of `org_id` (an organizer's
    /// uploads are indexed by activity only: read the organisation's activities).
    pub async fn uploads_to_org(
        &self,
        org_id: &str,
        user_id: &str,
    ) -> Result<Vec<AttachmentItem>, StoreError> {
        let mut out = Vec::new();
        let mut resume = None;
        loop {
            let (page, next) = self
                .activities_page(
                    ListScope::Org(org_id),
                    Timestamp::from_unix(0),
                    ListFilter::default(),
                    resume,
                    100,
                )
                .await?;
            for a in page {
                let files = self.attachments_of(&a.id).await?;
                out.extend(
                    files
                        .into_iter()
                        .filter(|f| f.uploaded_by.as_str() == user_id),
                );
            }
            match next {
                Some(k) => resume = Some(k),
                None => return Ok(out),
            }
        }
    }

    /// Shows a closed account's archive upload as made by [`CLOSED_NAME`].
    pub async fn rename_upload(&self, file: &AttachmentItem) -> Result<(), StoreError> {
        self.rename(file.keys(), "uploaded_by_name").await
    }

    /// Shows a closed account's need (and its mirror) as posted by [`CLOSED_NAME`].
    pub async fn rename_need(&self, need: &NeedItem) -> Result<(), StoreError> {
        self.rename(need.keys(), "poster_name").await?;
        self.rename(need.mirror_keys(), "poster_name").await
    }

    /// One item's copied name becomes [`CLOSED_NAME`]; an item gone meanwhile is skipped.
    async fn rename(&self, k: ItemKeys, attr: &str) -> Result<(), StoreError> {
        match self
            .update_one(
                k.pk().to_string(),
                k.sk(),
                "SET #n = :closed",
                Some("attribute_exists(PK)"),
                &[("#n", attr)],
                vec![(":closed", s(CLOSED_NAME))],
            )
            .await
        {
            Err(StoreError::ConditionFailed) => Ok(()),
            other => other,
        }
    }
}
