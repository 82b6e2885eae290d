//! Stations: nearby search, region listing, station pages, and the admin writes.

use super::regions::ensure_known_region;
use super::{cursor, looks_like_id, nonblank};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::StationId;
use crate::store::Store;
use crate::store::activities::{ListFilter, ListScope};
use crate::store::stations::{
    MIN_CELL_PRECISION, ResumeKey, StationItem, StationSummaryItem, region_cursor_fits,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use zhiyuan_shared::api::{Limit, Page};
use zhiyuan_shared::geo::{self, LatLng, Radius, STORED_PRECISION};
use zhiyuan_shared::query::StationsQuery;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::station::{
    ActivityBrief, StationDetail, StationDraft, StationStatus, StationSummary, StationType,
};
use zhiyuan_shared::text::mask_contact;

/// A validated `GET /api/stations` query.
#[derive(Debug, Clone)]
pub struct StationQuery {
    pub near: Option<(LatLng, Radius)>,
    pub station_type: Option<StationType>,
    pub region: Option<RegionCode>,
    pub limit: Limit,
    pub cursor: Option<String>,
    /// Only stations with a published activity that has a shift in the next 7 days.
    pub this_week: bool,
}

impl StationQuery {
    /// Validates the request's query, naming the first bad field.
    pub fn parse(q: &StationsQuery) -> Result<Self, ApiError> {
        let num = |name: &str, v: &Option<String>| -> Result<Option<f64>, ApiError> {
            match nonblank(v) {
                None => Ok(None),
                Some(v) => v
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| ApiError::invalid(name, "must be a number")),
            }
        };
        let (lat, lng) = (num("lat", &q.lat)?, num("lng", &q.lng)?);
        let near = match (lat, lng) {
            (None, None) => {
                if q.radius_km.is_some() {
                    return Err(ApiError::invalid("radius_km", "needs lat and lng"));
                }
                None
            }
            (Some(_), None) => return Err(ApiError::invalid("lng", "is required with lat")),
            (None, Some(_)) => return Err(ApiError::invalid("lat", "is required with lng")),
            (Some(lat), Some(lng)) => {
                let point = LatLng::new(lat, lng).map_err(|e| match e {
                    geo::GeoError::Longitude => ApiError::invalid("lng", e),
                    _ => ApiError::invalid("lat", e),
                })?;
                let radius = match num("radius_km", &q.radius_km)? {
                    None => Radius::default(),
                    Some(km) => {
                        Radius::from_km(km).map_err(|e| ApiError::invalid("radius_km", e))?
                    }
                };
                Some((point, radius))
            }
        };
        let station_type = match nonblank(&q.station_type) {
            None => None,
            Some(t) => Some(
                StationType::from_slug(t)
                    .ok_or_else(|| ApiError::invalid("type", "is not a known station type"))?,
            ),
        };
        let region = match nonblank(&q.region) {
            None => None,
            Some(r) => Some(RegionCode::parse(r).map_err(|e| ApiError::invalid("region", e))?),
        };
        let limit = match nonblank(&q.limit) {
            None => Limit::default(),
            Some(v) => {
                let n: i64 = v
                    .parse()
                    .map_err(|_| ApiError::invalid("limit", zhiyuan_shared::api::LimitError))?;
                Limit::new(n).map_err(|e| ApiError::invalid("limit", e))?
            }
        };
        let cursor = q.cursor.clone().filter(|c| !c.is_empty());
        let this_week = match q.this_week.as_deref().map_or("", str::trim) {
            "" | "false" | "0" => false,
            "true" | "1" => true,
            _ => return Err(ApiError::invalid("this_week", "must be true or false")),
        };
        Ok(Self {
            near,
            station_type,
            region,
            limit,
            cursor,
            this_week,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct NearCursor {
    /// Kind tag, so a region cursor cannot be replayed on a nearby search.
    k: String,
    /// The last returned station's exact distance (f64 bits, so it round-trips exactly).
    d: u64,
    id: String,
}

#[derive(Serialize, Deserialize)]
struct RegionCursor {
    k: String,
    key: ResumeKey,
}

fn summary(item: StationSummaryItem, distance_m: Option<f64>) -> Result<StationSummary, ApiError> {
    Ok(StationSummary {
        id: item.id,
        name: item.name,
        station_type: item.station_type,
        region_code: item.region_code,
        address: item.address,
        lat: item.lat,
        lng: item.lng,
        five_have_complete: item.five_have_complete,
        demonstration: item.demonstration,
        distance_m: distance_m.map(|d| d.round() as u32),
    })
}

pub async fn list(store: &Store, q: StationQuery) -> Result<Page<StationSummary>, ApiError> {
    let only = if q.this_week {
        let region = match &q.region {
            Some(r) => r.clone(),
            None => RegionCode::inner_mongolia(),
        };
        let now = crate::clock::now_unix();
        Some(super::this_week::stations_with_activity_this_week(store, &region, now).await?)
    } else {
        None
    };
    match q.near {
        Some((point, radius)) => nearby(store, point, radius, &q, only.as_ref()).await,
        None => in_region(store, &q, only.as_ref()).await,
    }
}

/// Geohash precision of the density probe: a cell of about 4 × 5 km around the point.
const PROBE_PRECISION: u8 = 5;
/// Up to this many expected stations in its covering cells, the whole circle is read at once.
const SPARSE_READ_BUDGET: f64 = 300.0;
/// Fewer stations than this in the probe cell say too little about density.
const MIN_PROBE_SAMPLE: usize = 4;

/// Nearest first, reading a bounded number of stations wherever the point is.
///
/// 1. One Query reads the ≈ 4 × 5 km probe cell (geohash precision 5) around the point.
/// 2. If the probe's density puts few stations in the whole circle, it is cheap to read
///    at once — at most 8 more Queries cover it (the probe cell is not read twice).
/// 3. Otherwise the 8 neighbouring cells complete a 3 × 3 block that holds
///    every station within a known distance (≥ one cell) of the point. If those fill the
///    page, it is exact. If not (the edge of a cluster, deep pages), the 16 cells of the
///    next ring (≥ two cells), and only then the whole radius (≤ 9 more Queries).
///
/// Candidates are filtered by exact distance and sorted by (distance, id); the cursor holds
/// the last (distance, id), so pages neither repeat nor skip.
async fn nearby(
    store: &Store,
    point: LatLng,
    radius: Radius,
    q: &StationQuery,
    only: Option<&HashSet<String>>,
) -> Result<Page<StationSummary>, ApiError> {
    let after = match &q.cursor {
        None => None,
        Some(raw) => {
            let c: NearCursor = cursor::decode(raw)?;
            if c.k != "near" {
                return Err(ApiError::invalid(
                    "cursor",
                    "is not a cursor this list returned",
                ));
            }
            Some((f64::from_bits(c.d), c.id))
        }
    };
    let limit = q.limit.get();
    let need = limit + 1;
    let matches = |item: &StationSummaryItem| {
        q.station_type.is_none_or(|t| item.station_type == t)
            && q.region
                .as_ref()
                .is_none_or(|r| r.covers(&item.region_code))
            && only.is_none_or(|ids| ids.contains(&item.id))
    };

    let probe_cell = geo::geohash(point, PROBE_PRECISION);
    let probe = store.stations_in_cell(&probe_cell).await?;
    let in_probe = probe.iter().filter(|i| matches(i)).count();
    // Reading the whole radius is cheap when its covering cells are expected to hold few
    // stations; a probe with only a few is too noisy to say otherwise (a sparse area).
    // The cells come from our own covering, not from a request or a stored item: an
    // unreadable one is a bug here.
    let internal = |e: geo::GeoError| ApiError::Internal(e.to_string());
    let whole = geo::covering_with_at_most(
        point,
        radius,
        MIN_CELL_PRECISION,
        geo::MAX_COVERING_CELLS - 1,
    );
    let mut whole_area = 0.0;
    for cell in &whole.cells {
        whole_area += geo::cell_area_m2(cell).map_err(internal)?;
    }
    let expected_read =
        in_probe as f64 / geo::cell_area_m2(&probe_cell).map_err(internal)? * whole_area;
    let mut found = if in_probe < MIN_PROBE_SAMPLE || expected_read <= SPARSE_READ_BUDGET {
        // The covering just estimated is the one to read: no need to compute it again.
        let items = cells_in_parallel(store, &whole.cells, &probe_cell, probe).await?;
        nearest_first(items, point, radius.metres(), &matches, &after)
    } else {
        // Ring 1 (3 × 3), then ring 2 (the 16 cells around it), then the whole radius:
        // each step is exact for the stations within its sure radius.
        let (inner, sure1) = geo::block_around(point, &probe_cell, 1).map_err(internal)?;
        let mut items = cells_in_parallel(store, &inner, &probe_cell, probe).await?;
        let mut found = nearest_first(
            items.clone(),
            point,
            sure1.min(radius.metres()),
            &matches,
            &after,
        );
        if found.len() < need && sure1 < radius.metres() {
            let (outer, sure2) = geo::block_around(point, &probe_cell, 2).map_err(internal)?;
            let ring: Vec<String> = outer.into_iter().filter(|c| !inner.contains(c)).collect();
            items.extend(cells_in_parallel(store, &ring, "", Vec::new()).await?);
            found = nearest_first(items, point, sure2.min(radius.metres()), &matches, &after);
            if found.len() < need && sure2 < radius.metres() {
                found = stations_within(store, point, radius.metres(), &matches, &after).await?;
            }
        }
        found
    };
    found.truncate(need);
    let next_cursor = if found.len() > limit {
        let (d, item) = &found[limit - 1];
        Some(cursor::encode(&NearCursor {
            k: "near".into(),
            d: d.to_bits(),
            id: item.id.clone(),
        })?)
    } else {
        None
    };
    let items = found
        .into_iter()
        .take(limit)
        .map(|(d, item)| summary(item, Some(d)))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, next_cursor })
}

/// Matching stations within `radius_m` of `point` and past the cursor, nearest first:
/// the whole circle, in at most 9 Queries.
async fn stations_within(
    store: &Store,
    point: LatLng,
    radius_m: f64,
    matches: &impl Fn(&StationSummaryItem) -> bool,
    after: &Option<(f64, String)>,
) -> Result<Vec<(f64, StationSummaryItem)>, ApiError> {
    let covering = geo::covering(point, Radius::clamped_metres(radius_m), MIN_CELL_PRECISION);
    let items = cells_in_parallel(store, &covering.cells, "", Vec::new()).await?;
    Ok(nearest_first(items, point, radius_m, matches, after))
}

/// Every station of the given cells, one Query per cell, in parallel; `known_cell`'s
/// items are reused if it is among them.
async fn cells_in_parallel(
    store: &Store,
    cells: &[String],
    known_cell: &str,
    known: Vec<StationSummaryItem>,
) -> Result<Vec<StationSummaryItem>, ApiError> {
    let mut items = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for cell in cells {
        if cell == known_cell {
            items.extend(known.iter().cloned());
            continue;
        }
        let (store, cell) = (store.clone(), cell.clone());
        tasks.spawn(async move { store.stations_in_cell(&cell).await });
    }
    while let Some(joined) = tasks.join_next().await {
        items.extend(joined.map_err(|e| ApiError::Internal(e.to_string()))??);
    }
    Ok(items)
}

/// The matching items within `radius_m` and past the cursor, each once, by (distance, id).
fn nearest_first(
    items: Vec<StationSummaryItem>,
    point: LatLng,
    radius_m: f64,
    matches: &impl Fn(&StationSummaryItem) -> bool,
    after: &Option<(f64, String)>,
) -> Vec<(f64, StationSummaryItem)> {
    let mut seen = HashSet::new();
    let mut found: Vec<(f64, StationSummaryItem)> = Vec::new();
    for item in items {
        if !matches(&item) {
            continue;
        }
        let Ok(at) = LatLng::new(item.lat, item.lng) else {
            continue;
        };
        let d = geo::distance_m(point, at);
        let past_cursor = after
            .as_ref()
            .is_none_or(|(ad, aid)| d.total_cmp(ad).then_with(|| item.id.cmp(aid)).is_gt());
        if d <= radius_m && past_cursor && seen.insert(item.id.clone()) {
            found.push((d, item));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    found
}

/// A region's stations in listing order. With `only`, a page keeps just those stations, so
/// it may hold fewer than `limit` (even none) while `next_cursor` goes on.
async fn in_region(
    store: &Store,
    q: &StationQuery,
    only: Option<&HashSet<String>>,
) -> Result<Page<StationSummary>, ApiError> {
    let region = match &q.region {
        Some(r) => r.clone(),
        None => RegionCode::inner_mongolia(),
    };
    let resume = match &q.cursor {
        None => None,
        Some(raw) => {
            let c: RegionCursor = cursor::decode(raw)?;
            let fits = c.k == "region" && region_cursor_fits(&c.key, &region);
            if !fits {
                return Err(ApiError::invalid(
                    "cursor",
                    "is not a cursor this list returned",
                ));
            }
            Some(c.key)
        }
    };
    let (items, resume) = store
        .stations_in_region_page(
            region.province(),
            region.prefix(),
            q.station_type,
            resume,
            q.limit.get(),
        )
        .await?;
    let next_cursor = resume
        .map(|key| {
            cursor::encode(&RegionCursor {
                k: "region".into(),
                key,
            })
        })
        .transpose()?;
    let items = items
        .into_iter()
        .filter(|i| only.is_none_or(|ids| ids.contains(&i.id)))
        .map(|i| summary(i, None))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, next_cursor })
}

fn detail(item: StationItem) -> Result<StationDetail, ApiError> {
    Ok(StationDetail {
        region_code: item.region_code,
        contact_masked: mask_contact(&item.contact),
        id: item.id.into(),
        name: item.name,
        station_type: item.station_type,
        address: item.address,
        lat: item.at.lat(),
        lng: item.at.lng(),
        opening_hours: item.opening_hours,
        description: item.description,
        five_have_complete: item.five_have.complete(),
        five_have: item.five_have,
        demonstration: item.demonstration,
        status: item.status,
        upcoming_activities: Vec::new(),
        updated_at: item.updated_at,
        schedule: Vec::new(),
    })
}

/// A public station page: approved stations only.
pub async fn get(store: &Store, id: &str) -> Result<StationDetail, ApiError> {
    let not_found = || ApiError::NotFound(format!("no station with id {id}"));
    if !looks_like_id(id) {
        return Err(not_found());
    }
    match store.get_station(id).await? {
        Some(item) if item.status == StationStatus::Approved => {
            let mut d = detail(item)?;
            d.upcoming_activities = upcoming_at(store, id).await?;
            d.schedule = super::series::schedule_of(store, id).await?;
            Ok(d)
        }
        _ => Err(not_found()),
    }
}

/// Builds the stored item for a draft.
pub fn station_item(
    id: &str,
    draft: &StationDraft,
    status: StationStatus,
    created_at: &str,
    now: &str,
) -> StationItem {
    let hash = geo::geohash(draft.location, STORED_PRECISION);
    StationItem {
        id: StationId::trusted(id),
        name: draft.name.clone(),
        station_type: draft.station_type,
        region_code: draft.region_code.clone(),
        address: draft.address.clone(),
        at: draft.location,
        geohash: hash,
        five_have_complete: draft.five_have.complete(),
        demonstration: draft.demonstration,
        opening_hours: draft.opening_hours.clone(),
        contact: draft.contact.clone(),
        description: draft.description.clone(),
        five_have: draft.five_have,
        status,
        created_at: created_at.to_string(),
        updated_at: now.to_string(),
    }
}

/// Creates a station as a region admin of its region: approved at once, so it is on the
/// map.
pub async fn create(
    store: &Store,
    caller: &Caller,
    draft: StationDraft,
) -> Result<StationDetail, ApiError> {
    ensure_known_region(store, &draft.region_code).await?;
    caller.require_region_admin(&draft.region_code)?;
    let id = ulid::Ulid::new().to_string();
    let now = crate::clock::now_rfc3339();
    let item = station_item(&id, &draft, StationStatus::Approved, &now, &now);
    store.put_new_station(&item).await?;
    detail(item)
}

/// Edits a station: a region admin covering both its old and new region, or its station
/// manager (who may not move it to another region).
pub async fn update(
    store: &Store,
    caller: &Caller,
    id: &str,
    draft: StationDraft,
) -> Result<StationDetail, ApiError> {
    let not_found = || ApiError::NotFound(format!("no station with id {id}"));
    if !looks_like_id(id) {
        return Err(not_found());
    }
    let existing = store.get_station(id).await?.ok_or_else(not_found)?;
    ensure_known_region(store, &draft.region_code).await?;
    let old_region = existing.region_code.clone();
    let admin = caller.administers(&old_region) && caller.administers(&draft.region_code);
    let manager = caller.manages_station(id) && old_region == draft.region_code;
    if !(admin || manager) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only the station's manager or a region admin of its region may edit it",
        ));
    }
    let now = crate::clock::now_rfc3339();
    let item = station_item(id, &draft, existing.status, &existing.created_at, &now);
    store
        .replace_station(&existing, &item)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::ConditionFailed => ApiError::conflict(
                "changed_meanwhile",
                "someone else changed this station meanwhile: reload it and edit again",
            ),
            other => other.into(),
        })?;
    detail(item)
}

/// The next few activities at a station, each with its next shift's start.
async fn upcoming_at(store: &Store, station_id: &str) -> Result<Vec<ActivityBrief>, ApiError> {
    let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
    let filter = ListFilter {
        published_only: true,
        ..Default::default()
    };
    let (items, _) = store
        .activities_page(ListScope::Station(station_id), now, filter, None, 5)
        .await?;
    Ok(items
        .into_iter()
        .map(|a| {
            let next = a
                .shifts
                .iter()
                .filter(|s| s.ends_at >= now)
                .map(|s| s.starts_at)
                .min()
                .unwrap_or(a.first_start);
            ActivityBrief {
                id: a.id.into(),
                title: a.title,
                starts_at: next.rfc3339_cst(),
            }
        })
        .collect())
}
