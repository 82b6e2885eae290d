//! Need access patterns (SPEC §8).
//!
//! | pattern | operation |
//! |---|---|
//! | `post_need` | TransactWriteItems: put `NEED#id` (new) + mirror `USER#poster / MYNEED#id` + counters `ADD` |
//! | `get_need` | GetItem `NEED#id / NEED` |
//! | `update_need` | TransactWriteItems: put `NEED#id` on `version = seen` + mirror + counters `ADD` |
//! | `needs_in_cell` | Query GSI4 `NEEDGEO#cell3`, `begins_with(GSI4SK, "status#cell")`, to its end |
//! | `needs_in_region_page` | Query GSI1 `NEEDREG#province`, `begins_with(GSI1SK, "status#region-prefix")`, then BatchGetItem of the page |
//! | `my_needs` | Query `USER#id`, `begins_with(SK, "MYNEED#")`, newest first |
//! | `needs_dispatch_due` | Query GSI2 `NEEDDUE`, `GSI2SK <= <now>#~` (keys only) |
//! | `needs_dispatched_to_page` | Query GSI3 `NEEDTO#org`, by deadline, then BatchGetItem of the page |

use super::keys::{self, GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, GSI4PK, GSI4SK};
use super::stats::{CounterAdd, counter_ops};
use super::{
    Index, ItemKeys, QuerySpec, ResumeKey, SortKey, Store, StoreError, Tx, TxError, build_err,
    keyed_item, n, put,
};
use crate::ids::{ActivityId, NeedId, OrgId, UserId};
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::activity::ServiceTarget;
use zhiyuan_shared::geo::LatLng;
use zhiyuan_shared::need::{DispatchOutcome, NeedStatus};
use zhiyuan_shared::region::RegionCode;

const ENTITY: &str = "need";
/// The coarsest geohash cell a needs search may read (the geo index's partition).
pub const MIN_CELL_PRECISION: u8 = keys::GEO_PARTITION_PRECISION;
const MIRROR_ENTITY: &str = "my_need";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeedItem {
    pub id: NeedId,
    pub title: String,
    pub description: String,
    pub service_target: ServiceTarget,
    pub address: String,
    /// Stored as the item's own `lat` and `lng` attributes, checked once when read.
    #[serde(flatten)]
    pub at: LatLng,
    pub geohash: String,
    pub region_code: RegionCode,
    pub when: String,
    pub status: NeedStatus,
    pub posted_by: UserId,
    /// Masked: lists are public.
    pub poster_name: String,
    pub posted_at: String,
    pub posted_unix: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by_org_id: Option<OrgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by_org_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<ActivityId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<String>,
    /// Every dispatch (派单), oldest first; while the need is dispatched the last one is
    /// awaiting its answer. Its length is the need's dispatch version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispatches: Vec<DispatchEntry>,
    pub version: u32,
}

/// One dispatch of a need, kept in the need's item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchEntry {
    pub org_id: OrgId,
    pub org_name: String,
    pub by: UserId,
    /// Masked.
    pub by_name: String,
    pub at: String,
    pub answer_by: String,
    pub answer_by_unix: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<DispatchOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl NeedItem {
    /// The need, on the geo index (GSI4) and the region index (GSI1) by its status, so its
    /// place in the lists moves with it.
    /// While dispatched, also on the deadline index (GSI2) and its organisation's (GSI3);
    /// any other status writes the item without them, so it leaves both.
    pub(crate) fn keys(&self) -> ItemKeys {
        let status = self.status.slug();
        let k = ItemKeys::new(keys::need_pk(&self.id), keys::NEED_SK, ENTITY);
        let k = match self.awaiting() {
            Some(d) => k
                .indexed(
                    (GSI2PK, keys::NEED_DUE_PK.to_string()),
                    (GSI2SK, keys::need_due_sk(d.answer_by_unix, &self.id)),
                )
                .indexed(
                    (GSI3PK, keys::need_to_pk(&d.org_id)),
                    (GSI3SK, keys::need_due_sk(d.answer_by_unix, &self.id)),
                ),
            None => k,
        };
        k.indexed(
            (GSI1PK, keys::need_region_pk(self.region_code.province())),
            (
                GSI1SK,
                keys::need_region_sk(
                    status,
                    self.region_code.as_str(),
                    self.posted_unix,
                    &self.id,
                ),
            ),
        )
        .indexed(
            (GSI4PK, keys::need_geo_pk(&self.geohash)),
            (GSI4SK, keys::need_geo_sk(status, &self.geohash, &self.id)),
        )
    }

    /// The dispatch awaiting its answer, while the need is dispatched.
    pub fn awaiting(&self) -> Option<&DispatchEntry> {
        self.dispatches
            .last()
            .filter(|d| self.status == NeedStatus::Dispatched && d.outcome.is_none())
    }

    /// The copy in the poster's partition: the same content, no index keys.
    pub(crate) fn mirror_keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::user_pk(&self.posted_by),
            keys::my_need_sk(&self.id),
            MIRROR_ENTITY,
        )
    }
}

/// A need as the region index gives it back: enough to fetch the whole item.
#[derive(Debug, Clone, Deserialize)]
struct NeedKey {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
}

/// Why [`Store::update_need`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedRefused {
    /// The need moved past the version the change was decided from.
    Changed,
}

impl Store {
    pub async fn post_need(&self, need: &NeedItem, adds: &[CounterAdd]) -> Result<(), StoreError> {
        let t = &self.table;
        let mut ops = vec![
            put(
                keyed_item(need, need.keys())?,
                t,
                Some("attribute_not_exists(PK)"),
            )?,
            put(keyed_item(need, need.mirror_keys())?, t, None)?,
        ];
        ops.extend(counter_ops(t, adds)?);
        self.transact(ops).await
    }

    pub async fn get_need(&self, id: &str) -> Result<Option<NeedItem>, StoreError> {
        self.get_item(keys::need_pk(id), keys::NEED_SK).await
    }

    /// Writes the need's next version if it is still at `seen_version`.
    pub async fn update_need(
        &self,
        need: &NeedItem,
        seen_version: u32,
        adds: &[CounterAdd],
    ) -> Result<(), TxError<NeedRefused>> {
        let t = &self.table;
        let p = Put::builder()
            .table_name(t)
            .set_item(Some(keyed_item(need, need.keys())?))
            .condition_expression("#v = :seen")
            .expression_attribute_names("#v", "version")
            .expression_attribute_values(":seen", n(seen_version))
            .build()
            .map_err(build_err)?;
        let mut tx = Tx::new();
        tx.guarded(
            TransactWriteItem::builder().put(p).build(),
            NeedRefused::Changed,
        );
        tx.push(put(keyed_item(need, need.mirror_keys())?, t, None)?);
        tx.extend(counter_ops(t, adds)?);
        self.commit(tx).await
    }

    /// Every need with a status in a geo cell (precision ≥ 3): a "near" list pages through
    /// the circle's cells by distance, so it reads them to their end (needs are few beside
    /// volunteers: a cell holds a neighbourhood's requests).
    pub async fn needs_in_cell(
        &self,
        cell: &str,
        status: NeedStatus,
    ) -> Result<Vec<NeedItem>, StoreError> {
        let prefix = format!("{}#{cell}", status.slug());
        self.query_all(QuerySpec::index(
            Index::Gsi4,
            keys::need_geo_pk(cell),
            SortKey::Prefix(&prefix),
        ))
        .await
    }

    /// One page of a region's needs with a status, oldest first, as whole items.
    pub async fn needs_in_region_page(
        &self,
        province: &str,
        status: NeedStatus,
        region_prefix: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<NeedItem>, Option<ResumeKey>), StoreError> {
        let prefix = format!("{}#{region_prefix}", status.slug());
        let (found, next): (Vec<NeedKey>, _) = self
            .query_spec(
                QuerySpec::index(
                    Index::Gsi1,
                    keys::need_region_pk(province),
                    SortKey::Prefix(&prefix),
                ),
                resume,
                limit,
            )
            .await?;
        Ok((self.whole_needs(&found).await?, next))
    }

    /// The needs an index page named, as whole items in the page's order.
    async fn whole_needs(&self, found: &[NeedKey]) -> Result<Vec<NeedItem>, StoreError> {
        let mut items: Vec<NeedItem> = self
            .batch_get(found.iter().map(|k| (k.pk.clone(), k.sk.clone())).collect())
            .await?;
        // A batch answers in any order; the page's order is the index's.
        items.sort_by_key(|i| found.iter().position(|k| k.pk == keys::need_pk(&i.id)));
        Ok(items)
    }

    /// The ids of the dispatched needs whose deadline to answer is at or before `unix`.
    /// Few at a time (a dispatch lasts at most 14 days and most are answered), so the
    /// partition is read to its end.
    pub async fn needs_dispatch_due(&self, unix: i64) -> Result<Vec<String>, StoreError> {
        let found: Vec<NeedKey> = self
            .query_all(QuerySpec::index(
                Index::Gsi2,
                keys::NEED_DUE_PK.to_string(),
                SortKey::Between("0".into(), keys::need_due_until(unix)),
            ))
            .await?;
        Ok(found
            .into_iter()
            .filter_map(|k| {
                k.pk.strip_prefix(keys::need_pk("").as_str())
                    .map(str::to_string)
            })
            .collect())
    }

    /// One page of the needs dispatched to an organisation and awaiting its answer, the
    /// nearest deadline first.
    pub async fn needs_dispatched_to_page(
        &self,
        org_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<NeedItem>, Option<ResumeKey>), StoreError> {
        let (found, next): (Vec<NeedKey>, _) = self
            .query_spec(
                QuerySpec::index(Index::Gsi3, keys::need_to_pk(org_id), SortKey::Any),
                resume,
                limit,
            )
            .await?;
        Ok((self.whole_needs(&found).await?, next))
    }

    /// The needs a user posted, newest first.
    pub async fn my_needs(
        &self,
        user_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<NeedItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::table(
                keys::user_pk(user_id),
                SortKey::Prefix(keys::MY_NEED_PREFIX),
            )
            .newest_first(),
            resume,
            limit,
        )
        .await
    }
}
