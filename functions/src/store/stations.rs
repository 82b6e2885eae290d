//! Station access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `put_new_station` | TransactWriteItems: put, `attribute_not_exists(PK)` + station counters `ADD` |
//! | `replace_station` | TransactWriteItems: put, `updated_at = seen` + counters moved from the old state to the new |
//! | `get_station` | GetItem `STATION#id / STATION` |
//! | `stations_in_cell` | Query GSI1 `GEO#cell3` (cells of precision 3–4) or GSI3 `GEO5#cell5` (precision ≥ 5), `begins_with` on the sort key for finer cells |
//! | `stations_in_region_page` | Query GSI2 `STREG#province`, `begins_with(GSI2SK, prefix)` |

use super::keys::{self, GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, PK, SK};
use super::stats::{Counter, CounterAdd, counter_ops};
use super::{Index, ItemKeys, QuerySpec, SortKey, Store, StoreError, classify, keyed_item, put, s};
use crate::ids::StationId;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zhiyuan_shared::geo::LatLng;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::station::{FiveHave, StationStatus, StationType};

/// The coarsest geohash cell a station search may read (the coarse geo index's partition):
/// a covering never uses coarser cells.
pub const MIN_CELL_PRECISION: u8 = keys::GEO_PARTITION_PRECISION;

/// A station as stored: the base item carries everything; the index keys are present only
/// while the station is approved, so pending stations stay out of public lists (sparse
/// indexes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationItem {
    pub id: StationId,
    pub name: String,
    pub station_type: StationType,
    pub region_code: RegionCode,
    pub address: String,
    /// Stored as the item's own `lat` and `lng` attributes, checked once when read.
    #[serde(flatten)]
    pub at: LatLng,
    pub geohash: String,
    pub five_have_complete: bool,
    pub demonstration: bool,
    pub opening_hours: String,
    pub contact: String,
    pub description: String,
    pub five_have: FiveHave,
    pub status: StationStatus,
    pub created_at: String,
    pub updated_at: String,
}

impl StationItem {
    /// The station; while approved also on the coarse and fine geo indexes (GSI1, GSI3)
    /// and the region index (GSI2).
    fn keys(&self) -> ItemKeys {
        let k = ItemKeys::new(keys::station_pk(&self.id), keys::STATION_SK, "station");
        if self.status != StationStatus::Approved {
            return k;
        }
        let hash = &self.geohash;
        k.indexed(
            (GSI1PK, keys::geo_pk(hash)),
            (GSI1SK, keys::geo_sk(hash, &self.id)),
        )
        .indexed(
            (GSI2PK, keys::region_pk(self.region_code.province())),
            (GSI2SK, keys::region_sk(&self.region_code, &self.id)),
        )
        .indexed(
            (GSI3PK, keys::fine_geo_pk(hash)),
            (GSI3SK, keys::geo_sk(hash, &self.id)),
        )
    }
}

/// Whether a listing cursor a client sent back is one [`Store::stations_in_region_page`]
/// returned for `region`.
pub fn region_cursor_fits(key: &ResumeKey, region: &RegionCode) -> bool {
    let expected_pk = keys::region_pk(region.province());
    key.get(GSI2PK) == Some(&expected_pk)
        && key
            .get(GSI2SK)
            .is_some_and(|sk| sk.starts_with(region.prefix()))
        && key.len() == 4
}

/// What the station indexes project: a list entry plus the keys a cursor needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationSummaryItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI2PK", default)]
    pub gsi2pk: Option<String>,
    #[serde(rename = "GSI2SK", default)]
    pub gsi2sk: Option<String>,
    pub id: String,
    pub name: String,
    pub station_type: StationType,
    pub region_code: RegionCode,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub five_have_complete: bool,
    pub demonstration: bool,
}

pub use super::ResumeKey;

/// What a station counts for in its region's statistics (only while approved).
pub fn station_counters(item: &StationItem, sign: i64) -> Vec<CounterAdd> {
    if item.status != StationStatus::Approved {
        return Vec::new();
    }
    let region = item.region_code.to_string();
    let add = |c, on: bool| on.then(|| CounterAdd::now(&region, &item.id, c, sign));
    [
        add(Counter::Stations, true),
        add(Counter::StationsFiveHave, item.five_have_complete),
        add(Counter::StationsDemonstration, item.demonstration),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn to_item(item: &StationItem) -> Result<HashMap<String, AttributeValue>, StoreError> {
    keyed_item(item, item.keys())
}

fn from_items<T: for<'de> Deserialize<'de>>(
    items: Vec<HashMap<String, AttributeValue>>,
) -> Result<Vec<T>, StoreError> {
    serde_dynamo::from_items(items).map_err(|e| StoreError::Decode(e.to_string()))
}

impl Store {
    /// A new station with the counters it adds, in one transaction.
    pub async fn put_new_station(&self, item: &StationItem) -> Result<(), StoreError> {
        let mut ops = vec![put(
            to_item(item)?,
            &self.table,
            Some("attribute_not_exists(PK)"),
        )?];
        ops.extend(counter_ops(&self.table, &station_counters(item, 1))?);
        self.transact(ops).await
    }

    /// Replaces `old` with `item` if no one changed it since it was read (its `updated_at`),
    /// moving the counters from the old state to the new; `ConditionFailed` otherwise.
    pub async fn replace_station(
        &self,
        old: &StationItem,
        item: &StationItem,
    ) -> Result<(), StoreError> {
        let p = aws_sdk_dynamodb::types::Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(item)?))
            .condition_expression("updated_at = :seen")
            .expression_attribute_values(":seen", s(&old.updated_at))
            .build()
            .map_err(super::build_err)?;
        let mut ops = vec![
            aws_sdk_dynamodb::types::TransactWriteItem::builder()
                .put(p)
                .build(),
        ];
        let mut adds = station_counters(old, -1);
        adds.extend(station_counters(item, 1));
        ops.extend(counter_ops(&self.table, &adds)?);
        self.transact(ops).await
    }

    pub async fn get_station(&self, id: &str) -> Result<Option<StationItem>, StoreError> {
        self.calls.get();
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(PK, s(keys::station_pk(id)))
            .key(SK, s(keys::STATION_SK))
            .send()
            .await
            .map_err(classify)?;
        out.item
            .map(|i| serde_dynamo::from_item(i).map_err(|e| StoreError::Decode(e.to_string())))
            .transpose()
    }

    /// Every approved station in one geohash cell (precision 3 or finer): the coarse geo
    /// index for cells of precision 3–4, the fine one from precision 5. Loops over pages
    /// only when a cell holds more than 1 MB of summaries.
    pub async fn stations_in_cell(
        &self,
        cell: &str,
    ) -> Result<Vec<StationSummaryItem>, StoreError> {
        let fine = cell.len() >= usize::from(keys::FINE_GEO_PARTITION_PRECISION);
        let (index, pk, partition_len) = if fine {
            (
                Index::Gsi3,
                keys::fine_geo_pk(cell),
                usize::from(keys::FINE_GEO_PARTITION_PRECISION),
            )
        } else {
            (
                Index::Gsi1,
                keys::geo_pk(cell),
                usize::from(keys::GEO_PARTITION_PRECISION),
            )
        };
        // A finer cell is a prefix of the full geohash in the sort key.
        let sort = if cell.len() > partition_len {
            SortKey::Prefix(cell)
        } else {
            SortKey::Any
        };
        self.query_all(QuerySpec::index(index, pk, sort)).await
    }

    /// One page of approved stations whose region code starts with `prefix`, in region
    /// code order, optionally of one type. Returns at most `limit` items and the key to
    /// resume after the last of them (None when the listing is exhausted).
    pub async fn stations_in_region_page(
        &self,
        province: &str,
        prefix: &str,
        station_type: Option<StationType>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<StationSummaryItem>, Option<ResumeKey>), StoreError> {
        let region_pk = keys::region_pk(province);
        if let Some(k) = &resume
            && !super::query::resume_fits(
                k,
                &[PK, SK, GSI2PK, GSI2SK],
                (GSI2PK, &region_pk),
                (GSI2SK, &SortKey::Prefix(prefix)),
            )
        {
            return Err(StoreError::BadResumeKey);
        }
        let mut out: Vec<StationSummaryItem> = Vec::with_capacity(limit + 1);
        let mut start = resume.map(|k| {
            k.into_iter()
                .map(|(k, v)| (k, s(v)))
                .collect::<HashMap<_, _>>()
        });
        loop {
            self.calls.query();
            // Ask for one more than needed, so a full page knows whether anything follows.
            let want = (limit + 1 - out.len()) as i32;
            let mut q = self
                .client
                .query()
                .table_name(&self.table)
                .index_name("GSI2")
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#pk", GSI2PK)
                .expression_attribute_names("#sk", GSI2SK)
                .expression_attribute_values(":pk", s(region_pk.clone()))
                .expression_attribute_values(":prefix", s(prefix))
                .set_exclusive_start_key(start.take());
            if let Some(t) = station_type {
                // With a filter DynamoDB's Limit counts items read, not returned: read a
                // larger slice, still bounded, and cut the page below.
                q = q
                    .filter_expression("station_type = :t")
                    .expression_attribute_values(":t", s(t.slug()))
                    .limit(want.max(100));
            } else {
                q = q.limit(want);
            }
            let page = q.send().await.map_err(classify)?;
            out.extend(from_items::<StationSummaryItem>(
                page.items.unwrap_or_default(),
            )?);
            let more = matches!(&page.last_evaluated_key, Some(k) if !k.is_empty());
            if out.len() > limit {
                out.truncate(limit);
                let resume = out.last().map(resume_key);
                return Ok((out, resume));
            }
            if !more {
                return Ok((out, None));
            }
            start = page.last_evaluated_key;
        }
    }
}

fn resume_key(item: &StationSummaryItem) -> ResumeKey {
    let mut k = HashMap::new();
    k.insert(PK.to_string(), item.pk.clone());
    k.insert(SK.to_string(), item.sk.clone());
    if let (Some(p), Some(sk)) = (&item.gsi2pk, &item.gsi2sk) {
        k.insert(GSI2PK.to_string(), p.clone());
        k.insert(GSI2SK.to_string(), sk.clone());
    }
    k
}

impl Store {
    /// Writes many stations with BatchWriteItem (seeding and benchmarks only; requests
    /// never batch-write).
    pub async fn put_stations_batch(&self, items: &[StationItem]) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
        for chunk in items.chunks(25) {
            let mut writes = Vec::with_capacity(chunk.len());
            for item in chunk {
                let put = PutRequest::builder()
                    .set_item(Some(to_item(item)?))
                    .build()
                    .map_err(|e| StoreError::Decode(e.to_string()))?;
                writes.push(WriteRequest::builder().put_request(put).build());
            }
            self.batch_write(writes).await?;
        }
        // The statistics count them too (after the stations: a crash in between is
        // mended by seeding again into an empty table).
        let adds: Vec<CounterAdd> = items.iter().flat_map(|i| station_counters(i, 1)).collect();
        self.add_counters(&adds).await
    }
}
