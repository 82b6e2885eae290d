//! Private calendar feeds (订阅我的日历) and the cancellation markers they show.
//!
//! | pattern | operation |
//! |---|---|
//! | `replace_calendar_feed` | TransactWriteItems: put `CALFEED#newhash` (new) + put `USER#id / CALFEED` (holding the old hash, or absent) [+ delete `CALFEED#oldhash`] |
//! | `calendar_feed_of` | GetItem `USER#id / CALFEED` |
//! | `user_by_feed_hash` | GetItem `CALFEED#hash / CALFEED` |
//! | `calendar_gone_between` | Query `USER#id`, `SK BETWEEN CALGONE#from AND CALGONE#to` |
//! | `activities_by_id` | BatchGetItem `ACT#id / ACT` |
//! | `forget_calendar_gone` | Query `USER#id`, `begins_with(SK, "CALGONE#")`, then DeleteItem each (a closed account) |
//!
//! A withdrawn confirmed sign-up leaves a `CALGONE#` marker in its volunteer's partition,
//! written in the cancellation's own transaction (see `signups::cancel_signup`), so a
//! subscribed phone calendar learns the shift is off; it expires (TTL) half a year after
//! the shift.

use super::activities::{ActivityItem, ShiftItem};
use super::keys;
use super::{
    ItemKeys, QuerySpec, SortKey, Store, StoreError, Tx, TxError, delete_op, keyed_item, put, s,
};
use crate::ids::{ActivityId, UserId};
use aws_sdk_dynamodb::types::TransactWriteItem;
use serde::{Deserialize, Serialize};
use zhiyuan_shared::time::Timestamp;

/// How long a cancellation marker outlives its shift: as long as the feed looks back.
pub const GONE_KEPT_SECS: i64 = 180 * 24 * 3600;

/// The user's current feed, by the hash of its token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarFeedItem {
    pub hash: String,
    pub created_at: String,
}

fn feed_keys(user_id: &str) -> ItemKeys {
    ItemKeys::new(
        keys::user_pk(user_id),
        keys::CALENDAR_FEED_SK,
        "calendar_feed",
    )
}

/// Finds the feed's owner by the token's hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FeedLookupItem {
    user_id: UserId,
}

fn lookup_keys(hash: &str) -> ItemKeys {
    ItemKeys::new(
        keys::calendar_feed_pk(hash),
        keys::CALENDAR_FEED_SK,
        "calendar_feed_lookup",
    )
}

/// A confirmed sign-up its volunteer withdrew, kept for the feed's cancelled event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarGoneItem {
    pub activity_id: ActivityId,
    pub shift_id: String,
    pub title: String,
    pub address: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// TTL (Unix seconds).
    expires_at: i64,
}

/// The marker a withdrawn confirmed sign-up leaves, as one operation of the cancellation.
pub(crate) fn gone_op(
    table: &str,
    activity: &ActivityItem,
    shift: &ShiftItem,
    user_id: &str,
) -> Result<TransactWriteItem, StoreError> {
    let shift_id = shift.id();
    let item = CalendarGoneItem {
        activity_id: activity.id.clone(),
        shift_id: shift_id.clone(),
        title: activity.title.clone(),
        address: activity.address.clone(),
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
        expires_at: shift.ends_at.unix() + GONE_KEPT_SECS,
    };
    let k = ItemKeys::new(
        keys::user_pk(user_id),
        keys::calendar_gone_sk(shift.starts_at.unix(), &shift_id),
        "calendar_gone",
    );
    put(keyed_item(&item, k)?, table, None)
}

/// Why [`Store::replace_calendar_feed`] refused: another new feed was made meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedRefused {
    Changed,
}

impl Store {
    /// Makes `new_hash` the user's feed and revokes `old_hash` (the one read), all at once.
    pub async fn replace_calendar_feed(
        &self,
        user_id: &UserId,
        new_hash: &str,
        old_hash: Option<&str>,
        created_at: String,
    ) -> Result<(), TxError<FeedRefused>> {
        let t = &self.table;
        let lookup = FeedLookupItem {
            user_id: user_id.clone(),
        };
        let feed = CalendarFeedItem {
            hash: new_hash.to_string(),
            created_at,
        };
        let mut tx = Tx::new();
        tx.guarded(
            put(
                keyed_item(&lookup, lookup_keys(new_hash))?,
                t,
                Some("attribute_not_exists(PK)"),
            )?,
            FeedRefused::Changed,
        );
        let mine = keyed_item(&feed, feed_keys(user_id))?;
        match old_hash {
            None => tx.guarded(
                put(mine, t, Some("attribute_not_exists(PK)"))?,
                FeedRefused::Changed,
            ),
            Some(old) => {
                let put_mine = aws_sdk_dynamodb::types::Put::builder()
                    .table_name(t)
                    .set_item(Some(mine))
                    .condition_expression("#h = :old")
                    .expression_attribute_names("#h", "hash")
                    .expression_attribute_values(":old", s(old))
                    .build()
                    .map_err(super::build_err)?;
                tx.guarded(
                    TransactWriteItem::builder().put(put_mine).build(),
                    FeedRefused::Changed,
                );
                let k = lookup_keys(old);
                tx.push(delete_op(t, k.pk().to_string(), k.sk(), None, &[], vec![])?);
            }
        }
        self.commit(tx).await
    }

    pub async fn calendar_feed_of(
        &self,
        user_id: &str,
    ) -> Result<Option<CalendarFeedItem>, StoreError> {
        self.get_item(keys::user_pk(user_id), keys::CALENDAR_FEED_SK)
            .await
    }

    pub async fn user_by_feed_hash(&self, hash: &str) -> Result<Option<UserId>, StoreError> {
        let l: Option<FeedLookupItem> = self
            .get_item(keys::calendar_feed_pk(hash), keys::CALENDAR_FEED_SK)
            .await?;
        Ok(l.map(|l| l.user_id))
    }

    /// The volunteer's withdrawn confirmed sign-ups starting within `[from, to]`.
    pub async fn calendar_gone_between(
        &self,
        user_id: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<CalendarGoneItem>, StoreError> {
        self.query_all(QuerySpec::table(
            keys::user_pk(user_id),
            SortKey::Between(
                keys::calendar_gone_from(from.unix()),
                keys::calendar_gone_from(to.unix()),
            ),
        ))
        .await
    }

    /// Deletes every cancellation marker of a closed account: they name its shifts and
    /// serve no feed any more.
    pub async fn forget_calendar_gone(&self, user_id: &str) -> Result<(), StoreError> {
        let gone: Vec<CalendarGoneItem> = self
            .query_all(QuerySpec::table(
                keys::user_pk(user_id),
                SortKey::Prefix(keys::CALENDAR_GONE_PREFIX),
            ))
            .await?;
        for g in gone {
            self.delete_one(
                keys::user_pk(user_id),
                &keys::calendar_gone_sk(g.starts_at.unix(), &g.shift_id),
            )
            .await?;
        }
        Ok(())
    }

    /// Activities by id (missing ones left out).
    pub async fn activities_by_id(
        &self,
        ids: &[ActivityId],
    ) -> Result<Vec<ActivityItem>, StoreError> {
        self.batch_get(
            ids.iter()
                .map(|id| (keys::activity_pk(id), keys::ACTIVITY_SK.to_string()))
                .collect(),
        )
        .await
    }
}
