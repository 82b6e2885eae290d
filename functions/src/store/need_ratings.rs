//! Ratings of needs (评单) access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `rate_need` | TransactWriteItems: put `NEED#id / RATING` on `attribute_not_exists(PK)` + check `NEED#id / NEED` is done + `ADD` on `ORG#org / RATINGS` + region counters `ADD` |
//! | `get_need_rating` | GetItem `NEED#id / RATING` |
//! | `reply_to_rating` | UpdateItem `NEED#id / RATING` `SET reply…` on `attribute_exists(PK) AND attribute_not_exists(reply)` |
//! | `org_rating_totals` | GetItem `ORG#org / RATINGS` |
//! | `recent_org_ratings` | Query GSI4 `ORGRATINGS#org`, newest first, one page |
//!
//! One rating per need is the put's condition, so of two racing ratings exactly one
//! lands; the organisation's totals and the region's counters move in the same
//! transaction, so an average is exact and never computed by reading the ratings.

use super::keys::{self, GSI4PK, GSI4SK};
use super::stats::{CounterAdd, counter_ops};
use super::{
    Index, ItemKeys, QuerySpec, SortKey, Store, StoreError, Tx, TxError, check_op, keyed_item, n,
    put, s, update_op,
};
use crate::ids::{NeedId, OrgId, UserId};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::need::NeedStatus;

const ENTITY: &str = "need_rating";
const TOTALS_ENTITY: &str = "org_rating_totals";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedRatingItem {
    pub need_id: NeedId,
    pub need_title: String,
    /// The organisation that served the need (the one that claimed it).
    pub org_id: OrgId,
    pub org_name: String,
    /// The need's region: the satisfaction counters are the region's.
    pub region_code: String,
    pub stars: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub rated_by: UserId,
    /// Masked, as the need's poster is everywhere.
    pub rater_name: String,
    pub rated_at: String,
    pub rated_unix: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_at: Option<String>,
}

impl NeedRatingItem {
    /// In the need's partition (one per need); on GSI4 under its organisation by time.
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(keys::need_pk(&self.need_id), keys::NEED_RATING_SK, ENTITY).indexed(
            (GSI4PK, keys::org_ratings_pk(&self.org_id)),
            (GSI4SK, keys::org_rating_sk(self.rated_unix, &self.need_id)),
        )
    }
}

/// An organisation's rating totals, as kept by `ADD`: every field 0 until its first rating.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct OrgRatingTotals {
    pub count: u64,
    pub stars_sum: u64,
    pub star1: u64,
    pub star2: u64,
    pub star3: u64,
    pub star4: u64,
    pub star5: u64,
}

impl OrgRatingTotals {
    pub fn by_stars(&self) -> [u64; 5] {
        [self.star1, self.star2, self.star3, self.star4, self.star5]
    }
}

/// Why [`Store::rate_need`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateRefused {
    /// The need has a rating already.
    AlreadyRated,
    /// The need is not (or no longer) done.
    NotDone,
}

impl Store {
    /// Writes the need's one rating, with the organisation's totals and the region's
    /// counters, if the need has none yet and is done.
    pub async fn rate_need(
        &self,
        r: &NeedRatingItem,
        adds: &[CounterAdd],
    ) -> Result<(), TxError<RateRefused>> {
        let t = &self.table;
        let mut tx = Tx::new();
        tx.guarded(
            put(
                keyed_item(r, r.keys())?,
                t,
                Some("attribute_not_exists(PK)"),
            )?,
            RateRefused::AlreadyRated,
        );
        tx.guarded(
            check_op(
                t,
                keys::need_pk(&r.need_id),
                keys::NEED_SK,
                "#st = :done",
                &[("#st", "status")],
                vec![(":done", s(NeedStatus::Done.slug()))],
            )?,
            RateRefused::NotDone,
        );
        let star = format!("star{}", r.stars.clamp(1, 5));
        tx.push(update_op(
            t,
            keys::org_pk(&r.org_id),
            keys::ORG_RATING_TOTALS_SK,
            "SET entity_type = :e ADD #count :one, stars_sum :stars, #star :one",
            None,
            &[("#count", "count"), ("#star", &star)],
            vec![
                (":e", s(TOTALS_ENTITY)),
                (":one", n(1)),
                (":stars", n(r.stars)),
            ],
        )?);
        tx.extend(counter_ops(t, adds)?);
        self.commit(tx).await
    }

    pub async fn get_need_rating(
        &self,
        need_id: &str,
    ) -> Result<Option<NeedRatingItem>, StoreError> {
        self.get_item(keys::need_pk(need_id), keys::NEED_RATING_SK)
            .await
    }

    /// Sets the reply if the rating exists and has none: [`StoreError::ConditionFailed`]
    /// otherwise.
    pub async fn reply_to_rating(
        &self,
        need_id: &str,
        text: &str,
        by: &UserId,
        at: &str,
    ) -> Result<(), StoreError> {
        self.update_one(
            keys::need_pk(need_id),
            keys::NEED_RATING_SK,
            "SET reply = :r, replied_by = :b, replied_at = :a",
            Some("attribute_exists(PK) AND attribute_not_exists(reply)"),
            &[],
            vec![(":r", s(text)), (":b", s(by.as_str())), (":a", s(at))],
        )
        .await
    }

    pub async fn org_rating_totals(&self, org_id: &str) -> Result<OrgRatingTotals, StoreError> {
        Ok(self
            .get_item(keys::org_pk(org_id), keys::ORG_RATING_TOTALS_SK)
            .await?
            .unwrap_or_default())
    }

    /// The organisation's latest `limit` ratings, newest first.
    pub async fn recent_org_ratings(
        &self,
        org_id: &str,
        limit: usize,
    ) -> Result<Vec<NeedRatingItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec::index(Index::Gsi4, keys::org_ratings_pk(org_id), SortKey::Any)
                    .newest_first(),
                None,
                limit,
            )
            .await?;
        Ok(items)
    }
}
