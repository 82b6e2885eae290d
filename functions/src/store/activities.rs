//! Activities and their shifts: publishing, the listings, cancelling.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_activity` | TransactWriteItems: activity + listing copies (org, station, city, banner, geo cell, start) + shifts + `ADD activities [trainings]` on its year's counters |
//! | `get_activity` | GetItem `ACT#id / ACT` |
//! | `get_shift` | GetItem `ACT#id / SHIFT#nn`, then BatchGetItem of its `PLACES#shift#i` counters and `WAITLIST#shift` |
//! | `shifts_of` | Query `ACT#id`, `begins_with(SK, "SHIFT#")`, then BatchGetItem of their counters |
//! | `shift_counts` | BatchGetItem of the shifts a listing page shows, then of their counters |
//! | `activities_page` | Query GSI4 `ACTFIELD#15#field` / `ACTREG#city-or-banner` / `ACTORG#id` / `ACTSTATION#id`, `GSI4SK >= from`, filters |
//! | `activities_near_page` | Query GSI4 `ACTGEO#cell4` for each cell covering the circle, `GSI4SK > after`, merged by time |
//! | `activities_of_cities_page` | Query GSI4 `ACTREG#city` for each city of the province still needed, `GSI4SK > after`, merged by time |
//! | `station_activities_between` | Query GSI4 `ACTSTART#city`, `GSI4SK` in `[from − 7 d, until)`, and `ACTLONG#city`, `GSI4SK >= from`, every page, per city |
//! | `put_activities_batch` | BatchWriteItem of activities with their copies, shifts and place counters (benchmarks) |
//! | `cancel_activity` | TransactWriteItems: activity, copies, shifts and their place counters → cancelled (conditional) |
//!
//! Sign-ups are in `signups.rs`, notices in `notices.rs`, the reminder queue in
//! `reminders.rs`.

use super::keys::{self, GSI4PK, GSI4SK};
use super::stats::{Counter, CounterAdd, counter_ops};
use super::{
    Filter, Index, ItemKeys, QuerySpec, ResumeKey, SortKey, Store, StoreError, Tx, TxError,
    from_item, keyed_item, n, put, s, update_op,
};
use crate::ids::{ActivityId, OrgId, StationId, UserId};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};

/// An item as DynamoDB answers it.
pub(crate) type RawItem = std::collections::HashMap<String, AttributeValue>;
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::activity::{ActivityStatus, ServiceTarget};
use zhiyuan_shared::geo::{LatLng, geohash};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

/// A shift's fixed facts, kept on the activity so a listing knows its shifts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShiftInfo {
    pub n: u8,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity: u32,
    /// How many place counters the shift has: fixed when it is published (an edit of its
    /// places spreads them over the same counters); 0 on items written before edits, whose
    /// count follows from their capacity.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counters: u8,
}

fn is_zero(k: &u8) -> bool {
    *k == 0
}

impl ShiftInfo {
    /// The shift's public id.
    pub fn id(&self, activity_id: &str) -> String {
        keys::shift_id(activity_id, self.n)
    }

    /// How many counters hold this shift's places.
    pub fn counters(&self) -> u8 {
        match self.counters {
            0 => counters_for(self.capacity),
            k => k,
        }
    }
}

/// An activity as stored; its listing copies hold the same fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityItem {
    pub id: ActivityId,
    pub org_id: OrgId,
    pub org_name: String,
    pub title: String,
    pub description: String,
    pub service_field: ServiceField,
    pub service_targets: Vec<ServiceTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<StationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_name: Option<String>,
    pub address: String,
    /// Stored as the item's own `lat` and `lng` attributes, checked once when read.
    #[serde(flatten)]
    pub at: LatLng,
    pub region_code: RegionCode,
    pub deadline: Timestamp,
    pub min_age: u8,
    pub skills: Vec<String>,
    pub requirements: String,
    pub is_training: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkin_radius_m: Option<u32>,
    pub status: ActivityStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Unix milliseconds of the cancellation: the time part of its notices' fixed ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<i64>,
    pub shifts: Vec<ShiftInfo>,
    pub first_start: Timestamp,
    pub until: Timestamp,
    pub created_by: UserId,
    pub created_at: String,
    /// Bumped by every edit: an edit writes only over the version it was decided from.
    #[serde(default)]
    pub version: u64,
    /// An occurrence of a regular activity: its series and place in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<super::series::SeriesLink>,
}

/// Where an activity is listed: under its province and service field (the activity item
/// itself), and as copies under its organisation, its station, its city, its banner, its
/// geohash cell and (at a station) by when it starts.
pub(crate) enum Listing {
    Field,
    Org,
    Station,
    City,
    Banner,
    Cell,
    Start,
}

const LISTING_ENTITY: &str = "activity_listing";

/// The geohash precision of the activity geo listing: a "near" search covers its circle
/// with cells of this precision (finer ones are read as their parent).
pub const CELL_PRECISION: u8 = keys::ACTIVITY_CELL_PRECISION;

impl ActivityItem {
    /// The item of one listing: the activity itself (listed under its province's field) or
    /// a copy. A publish writes at most 7 (with 10 shifts of 8 place counters each and the
    /// statistics, 98 of a transaction's 100 items; a series' first occurrence adds its 2).
    /// Every listing item of an activity is built here, so a backfill of old tables writes
    /// exactly what publishing writes (`listings()` then this).
    pub(crate) fn listing_keys(&self, listing: Listing) -> ItemKeys {
        let city = city_of(&self.region_code);
        let (sk, entity, partition) = match listing {
            Listing::Field => (
                keys::ACTIVITY_SK,
                "activity",
                keys::activities_of_field(self.region_code.province(), self.service_field.slug()),
            ),
            Listing::Org => (
                keys::ACTIVITY_BY_ORG_SK,
                LISTING_ENTITY,
                keys::activities_of_org(&self.org_id),
            ),
            Listing::Station => (
                keys::ACTIVITY_BY_STATION_SK,
                LISTING_ENTITY,
                keys::activities_of_station(self.station_id.as_deref().unwrap_or_default()),
            ),
            Listing::City => (
                keys::ACTIVITY_BY_CITY_SK,
                LISTING_ENTITY,
                keys::activities_of_region(city),
            ),
            Listing::Banner => (
                keys::ACTIVITY_BY_BANNER_SK,
                LISTING_ENTITY,
                keys::activities_of_region(self.region_code.as_str()),
            ),
            Listing::Cell => (
                keys::ACTIVITY_BY_CELL_SK,
                LISTING_ENTITY,
                keys::activities_in_cell(&geohash(self.at, keys::ACTIVITY_CELL_PRECISION)),
            ),
            Listing::Start if self.is_short() => {
                let k = ItemKeys::new(
                    keys::activity_pk(&self.id),
                    keys::ACTIVITY_BY_START_SK,
                    LISTING_ENTITY,
                );
                return k.indexed(
                    (GSI4PK, keys::activities_starting(city)),
                    (
                        GSI4SK,
                        keys::activity_list_sk(self.first_start.unix(), &self.id),
                    ),
                );
            }
            Listing::Start => (
                keys::ACTIVITY_BY_START_SK,
                LISTING_ENTITY,
                keys::long_activities(city),
            ),
        };
        ItemKeys::new(keys::activity_pk(&self.id), sk, entity)
            .indexed((GSI4PK, partition), (GSI4SK, self.list_sk()))
    }

    /// The listings the activity is in: always its province's field, its organisation, its
    /// geohash cell and its city (a province-level code is its own "city", so the cities of
    /// a province together hold all of it); its station and its start when it is at one;
    /// its banner when its region is one (a city-level code such as 150600 is listed under
    /// the city only, as a query for it reads the city).
    pub(crate) fn listings(&self) -> Vec<Listing> {
        let mut out = vec![Listing::Field, Listing::Org, Listing::Cell, Listing::City];
        if self.station_id.is_some() {
            out.push(Listing::Station);
            out.push(Listing::Start);
        }
        if self.region_code.prefix().len() == 6 {
            out.push(Listing::Banner);
        }
        out
    }

    /// Where the activity sorts in every listing: when it ends, then its id.
    pub fn list_sk(&self) -> String {
        keys::activity_list_sk(self.until.unix(), &self.id)
    }

    /// Whether its shifts all fall within [`keys::START_LISTING_SPAN`] of its first, so it
    /// is listed by its start.
    fn is_short(&self) -> bool {
        self.until.unix() - self.first_start.unix() <= keys::START_LISTING_SPAN
    }
}

/// The listing partition of a region's city: its first four digits, or the province's two
/// for a province-level code.
pub fn city_of(code: &RegionCode) -> &str {
    let p = code.prefix();
    &p[..p.len().min(4)]
}

/// A shift with its live counts. The stored item holds the shift's fixed facts and its
/// status; the counts live in its place counters and its waitlist item, summed on read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShiftItem {
    pub activity_id: ActivityId,
    pub n: u8,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity: u32,
    /// See [`ShiftInfo::counters`].
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counters: u8,
    /// Places taken over all counters.
    #[serde(default, skip_serializing)]
    pub taken: u32,
    #[serde(default, skip_serializing)]
    pub waitlisted: u32,
    /// Each counter's places and places taken, by counter number.
    #[serde(default, skip_serializing)]
    pub places: Vec<PlaceCount>,
    pub status: ActivityStatus,
}

/// Most places one counter holds before a shift's places are split over more counters.
pub const PLACES_PER_COUNTER: u32 = 16;
/// At most this many counters per shift: a new activity's transaction writes every
/// counter of its (at most ten) shifts, within DynamoDB's 100 items.
pub const MAX_COUNTERS: u8 = 8;

/// How many counters a shift of `capacity` places has: one for a small shift, more for a
/// large one, so concurrent sign-ups update different items (on different partition keys)
/// rather than all conflicting on one.
pub fn counters_for(capacity: u32) -> u8 {
    let k = capacity.div_ceil(PLACES_PER_COUNTER).max(1);
    u8::try_from(k).unwrap_or(MAX_COUNTERS).min(MAX_COUNTERS)
}

/// Counter `i`'s share of `capacity` places over `k` counters: as even as it can be.
pub fn counter_capacity(capacity: u32, k: u8, i: u8) -> u32 {
    let k32 = u32::from(k);
    capacity / k32 + u32::from(u32::from(i) < capacity % k32)
}

/// One counter of a shift's places, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlaceCount {
    pub counter: u8,
    pub capacity: u32,
    pub taken: u32,
}

impl PlaceCount {
    pub fn has_room(&self) -> bool {
        self.taken < self.capacity
    }
}

/// What the place counters and the waitlist item hold, read back in one batch.
#[derive(Debug, Deserialize)]
struct LiveCount {
    shift_id: String,
    #[serde(default)]
    counter: Option<u8>,
    #[serde(default)]
    capacity: u32,
    #[serde(default)]
    taken: u32,
    #[serde(default)]
    waitlisted: u32,
}

/// A counter item as written with its shift.
#[derive(Serialize)]
struct PlaceItem {
    shift_id: String,
    counter: u8,
    capacity: u32,
    taken: u32,
    status: ActivityStatus,
}

pub(crate) fn place_keys(shift_id: &str, counter: u8) -> ItemKeys {
    ItemKeys::new(
        keys::places_pk(shift_id, counter),
        keys::PLACES_SK,
        "places",
    )
}

fn live_keys(shift_id: &str, k: u8) -> impl Iterator<Item = (String, String)> + '_ {
    (0..k)
        .map(move |i| (keys::places_pk(shift_id, i), keys::PLACES_SK.to_string()))
        .chain([(keys::waitlist_pk(shift_id), keys::WAITLIST_SK.to_string())])
}

impl ShiftItem {
    pub fn id(&self) -> String {
        keys::shift_id(&self.activity_id, self.n)
    }

    /// A new shift of a new activity: no place taken.
    pub fn new(activity_id: &ActivityId, info: &ShiftInfo) -> Self {
        Self {
            activity_id: activity_id.clone(),
            n: info.n,
            starts_at: info.starts_at,
            ends_at: info.ends_at,
            capacity: info.capacity,
            counters: info.counters,
            taken: 0,
            waitlisted: 0,
            places: Vec::new(),
            status: ActivityStatus::Published,
        }
    }

    /// How many counters hold this shift's places.
    pub fn counters(&self) -> u8 {
        self.info().counters()
    }

    /// The shift's counters as created: all places free.
    fn new_places(&self) -> impl Iterator<Item = PlaceItem> + '_ {
        let k = self.counters();
        (0..k).map(move |i| PlaceItem {
            shift_id: self.id(),
            counter: i,
            capacity: counter_capacity(self.capacity, k, i),
            taken: 0,
            status: ActivityStatus::Published,
        })
    }

    /// Counter `i` of this shift holding `taken` places, with the shift's status: what a
    /// table written before the counters existed is given (see `migrate.rs`).
    pub(super) fn counter_item(&self, i: u8, taken: u32) -> Result<RawItem, StoreError> {
        let p = PlaceItem {
            shift_id: self.id(),
            counter: i,
            capacity: counter_capacity(self.capacity, self.counters(), i),
            taken,
            status: self.status,
        };
        keyed_item(&p, place_keys(&p.shift_id, i))
    }

    /// A counter with places left, chosen at random so concurrent sign-ups spread over
    /// the counters; None when every counter is full.
    pub fn counter_with_room(&self) -> Option<u8> {
        let open: Vec<u8> = self
            .places
            .iter()
            .filter(|p| p.has_room())
            .map(|p| p.counter)
            .collect();
        (!open.is_empty()).then(|| open[rand::random::<usize>() % open.len()])
    }

    /// Notes that counter `i` was found full since it was read.
    pub fn mark_full(&mut self, i: u8) {
        if let Some(p) = self.places.iter_mut().find(|p| p.counter == i) {
            p.taken = p.capacity;
        }
    }

    /// Fills in the live counts from the counter and waitlist items read.
    fn apply(&mut self, live: &[LiveCount]) {
        let id = self.id();
        let k = self.counters();
        let mine: Vec<&LiveCount> = live.iter().filter(|l| l.shift_id == id).collect();
        self.places = (0..k)
            .map(|i| {
                let found = mine.iter().find(|l| l.counter == Some(i));
                PlaceCount {
                    counter: i,
                    capacity: found.map_or(counter_capacity(self.capacity, k, i), |l| l.capacity),
                    taken: found.map_or(0, |l| l.taken),
                }
            })
            .collect();
        self.taken = self.places.iter().map(|p| p.taken).sum();
        self.waitlisted = mine
            .iter()
            .filter(|l| l.counter.is_none())
            .map(|l| l.waitlisted)
            .sum();
    }

    /// The shift's times as its counters and waitlist item carry them once an edit moved
    /// it: a sign-up or cancellation decided from other times is refused and re-read.
    pub fn times(&self) -> String {
        shift_times(self.starts_at, self.ends_at)
    }

    pub fn info(&self) -> ShiftInfo {
        ShiftInfo {
            n: self.n,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            capacity: self.capacity,
            counters: self.counters,
        }
    }

    /// A new shift is on the reminder queue (GSI4, by local start date) until reminded.
    pub(super) fn keys(&self) -> ItemKeys {
        shift_keys(&self.activity_id, self.n).indexed(
            (GSI4PK, keys::reminder_pk(&self.starts_at.cst_date().iso())),
            (GSI4SK, keys::reminder_sk(self.starts_at.unix(), &self.id())),
        )
    }
}

pub(crate) fn shift_times(starts_at: Timestamp, ends_at: Timestamp) -> String {
    format!("{}-{}", starts_at.unix(), ends_at.unix())
}

pub(super) fn shift_keys(activity_id: &str, n: u8) -> ItemKeys {
    ItemKeys::new(keys::activity_pk(activity_id), keys::shift_sk(n), "shift")
}

/// Which listing a page of activities comes from.
pub enum ListScope<'a> {
    /// A city (four digits) or a banner (six digits): a region code's prefix.
    Region(&'a str),
    /// A province's activities of one service field.
    Field(&'a str, ServiceField),
    Org(&'a str),
    Station(&'a str),
}

impl Store {
    /// Publishes an activity: the activity, its listing copies and its shifts, all new,
    /// and the counters of the year of its first shift, in one transaction.
    pub async fn create_activity(
        &self,
        activity: &ActivityItem,
        shifts: &[ShiftItem],
    ) -> Result<(), StoreError> {
        let ops = self.create_activity_ops(activity, shifts)?;
        self.transact(ops).await
    }

    /// The writes of [`Store::create_activity`], for a transaction that does more (a
    /// series publishing an occurrence).
    pub(super) fn create_activity_ops(
        &self,
        activity: &ActivityItem,
        shifts: &[ShiftItem],
    ) -> Result<Vec<aws_sdk_dynamodb::types::TransactWriteItem>, StoreError> {
        let new = Some("attribute_not_exists(PK)");
        let mut ops = Vec::with_capacity(3 + shifts.len() + 2);
        for listing in activity.listings() {
            let item = keyed_item(activity, activity.listing_keys(listing))?;
            ops.push(put(item, &self.table, new)?);
        }
        for sh in shifts {
            ops.push(put(keyed_item(sh, sh.keys())?, &self.table, new)?);
            for p in sh.new_places() {
                let k = place_keys(&p.shift_id, p.counter);
                ops.push(put(keyed_item(&p, k)?, &self.table, new)?);
            }
        }
        // Counted in the year of its first shift (trainings also as trainings).
        if let Some(first) = shifts.iter().map(|s| s.starts_at).min() {
            let year = i32::from(first.cst_date().year);
            let region = activity.region_code.to_string();
            let add = |c| CounterAdd::in_year(&region, &activity.id, year, c, 1);
            let mut adds = vec![add(Counter::Activities)];
            if activity.is_training {
                adds.push(add(Counter::Trainings));
            }
            ops.extend(counter_ops(&self.table, &adds)?);
        }
        Ok(ops)
    }

    pub async fn get_activity(&self, id: &ActivityId) -> Result<Option<ActivityItem>, StoreError> {
        self.get_item(keys::activity_pk(id), keys::ACTIVITY_SK)
            .await
    }

    /// A shift with its live counts: the shift, then its counters and waitlist in one
    /// batch read.
    pub async fn get_shift(
        &self,
        activity_id: &str,
        n: u8,
    ) -> Result<Option<ShiftItem>, StoreError> {
        let shift: Option<ShiftItem> = self
            .get_item(keys::activity_pk(activity_id), &keys::shift_sk(n))
            .await?;
        let Some(mut shift) = shift else {
            return Ok(None);
        };
        self.with_live_counts(std::slice::from_mut(&mut shift), true)
            .await?;
        Ok(Some(shift))
    }

    /// Fills in the shifts' counts from their counters and waitlist items (one batch;
    /// `consistent` when the counts decide a write).
    async fn with_live_counts(
        &self,
        shifts: &mut [ShiftItem],
        consistent: bool,
    ) -> Result<(), StoreError> {
        let ids: Vec<(String, u8)> = shifts.iter().map(|s| (s.id(), s.counters())).collect();
        let wanted = ids.iter().flat_map(|(id, k)| live_keys(id, *k)).collect();
        let live = self.batch_get_items(wanted, consistent).await?;
        let live: Vec<LiveCount> = live.into_iter().map(from_item).collect::<Result<_, _>>()?;
        for s in shifts {
            s.apply(&live);
        }
        Ok(())
    }

    /// A shift and its activity, by the shift's public id (None for a malformed id), with
    /// the shift's live counts: one BatchGetItem of the activity, the shift, every counter
    /// the shift may have and its waitlist count.
    pub async fn shift_with_activity(
        &self,
        shift_id: &str,
    ) -> Result<Option<(ActivityItem, ShiftItem)>, StoreError> {
        let (found, _) = self.shift_with_activity_and(shift_id, vec![]).await?;
        Ok(found)
    }

    /// [`Store::shift_with_activity`] and, in the same BatchGetItem, the items at `extra`
    /// (keys outside the activity's and the shift's own), answered raw: those that exist.
    pub(crate) async fn shift_with_activity_and(
        &self,
        shift_id: &str,
        extra: Vec<(String, String)>,
    ) -> Result<(Option<(ActivityItem, ShiftItem)>, Vec<RawItem>), StoreError> {
        let Some((aid, n)) = keys::parse_shift_id(shift_id) else {
            return Ok((None, vec![]));
        };
        let Some(aid) = ActivityId::parse(aid) else {
            return Ok((None, vec![]));
        };
        let pk = keys::activity_pk(&aid);
        let shift_sk = keys::shift_sk(n);
        let extra_pks: Vec<String> = extra.iter().map(|(pk, _)| pk.clone()).collect();
        let wanted = [
            (pk.clone(), keys::ACTIVITY_SK.to_string()),
            (pk.clone(), shift_sk.clone()),
        ]
        .into_iter()
        .chain(
            (0..MAX_COUNTERS).map(|i| (keys::places_pk(shift_id, i), keys::PLACES_SK.to_string())),
        )
        .chain([(keys::waitlist_pk(shift_id), keys::WAITLIST_SK.to_string())])
        .chain(extra)
        .collect();
        let (mut activity, mut shift, mut live, mut others) = (None, None, Vec::new(), Vec::new());
        for item in self.batch_get_items(wanted, true).await? {
            let (Some(AttributeValue::S(ipk)), Some(AttributeValue::S(sk))) =
                (item.get(keys::PK), item.get(keys::SK))
            else {
                continue;
            };
            if extra_pks.contains(ipk) {
                others.push(item);
            } else if *ipk == pk && sk == keys::ACTIVITY_SK {
                activity = Some(from_item::<ActivityItem>(item)?);
            } else if *ipk == pk && *sk == shift_sk {
                shift = Some(from_item::<ShiftItem>(item)?);
            } else {
                live.push(from_item::<LiveCount>(item)?);
            }
        }
        let found = activity.zip(shift).map(|(a, mut s)| {
            s.apply(&live);
            (a, s)
        });
        Ok((found, others))
    }

    /// An activity's shifts with their live counts (at most ten).
    pub async fn shifts_of(&self, activity_id: &str) -> Result<Vec<ShiftItem>, StoreError> {
        let mut items = self.shift_items_of(activity_id).await?;
        self.with_live_counts(&mut items, false).await?;
        Ok(items)
    }

    /// An activity's shift items as stored, without their counts.
    pub(super) async fn shift_items_of(
        &self,
        activity_id: &str,
    ) -> Result<Vec<ShiftItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec::table(
                    keys::activity_pk(activity_id),
                    SortKey::Prefix(keys::SHIFT_PREFIX),
                ),
                None,
                zhiyuan_shared::activity::MAX_SHIFTS,
            )
            .await?;
        Ok(items)
    }

    /// The live counts of the shifts of several activities, in one batch read.
    pub async fn shift_counts(
        &self,
        activities: &[&ActivityItem],
    ) -> Result<Vec<ShiftItem>, StoreError> {
        let wanted = activities
            .iter()
            .flat_map(|a| {
                a.shifts
                    .iter()
                    .map(|sh| (keys::activity_pk(&a.id), keys::shift_sk(sh.n)))
            })
            .collect();
        let mut shifts: Vec<ShiftItem> = self.batch_get(wanted).await?;
        self.with_live_counts(&mut shifts, false).await?;
        Ok(shifts)
    }

    /// A page of one listing's activities ending at or after `from`.
    pub async fn activities_page(
        &self,
        scope: ListScope<'_>,
        from: Timestamp,
        filter: ListFilter,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<ActivityItem>, Option<ResumeKey>), StoreError> {
        let partition = match scope {
            ListScope::Region(r) => keys::activities_of_region(r),
            ListScope::Field(p, f) => keys::activities_of_field(p, f.slug()),
            ListScope::Org(o) => keys::activities_of_org(o),
            ListScope::Station(s) => keys::activities_of_station(s),
        };
        self.query_spec(
            QuerySpec::index(
                Index::Gsi4,
                partition,
                SortKey::Between(keys::list_from(from.unix()), keys::LIST_END.into()),
            )
            .filtered(filter.build()),
            resume,
            limit,
        )
        .await
    }

    /// A page of the activities listed in geohash cells (of [`keys::ACTIVITY_CELL_PRECISION`];
    /// finer cells are read as their parent) that end at or after `from` (after the
    /// listing key `after` when resuming), in listing order, those `keep` accepts: see
    /// [`Store::activities_merged_page`].
    pub async fn activities_near_page(
        &self,
        cells: &[String],
        from: Timestamp,
        after: Option<String>,
        filter: ListFilter,
        keep: impl Fn(&ActivityItem) -> bool,
        limit: usize,
    ) -> Result<(Vec<ActivityItem>, Option<String>), StoreError> {
        let partitions = cells.iter().map(|c| keys::activities_in_cell(c)).collect();
        self.activities_merged_page(partitions, from, after, filter, keep, limit)
            .await
    }

    /// A page of the activities of a province's cities (`cities`: their listing
    /// partitions' codes, the province's own two digits among them for province-level
    /// regions) that end at or after `from`, in listing order: the province's list as a
    /// merge of its cities' listings, never a read of the province-wide partition with a
    /// filter.
    pub async fn activities_of_cities_page(
        &self,
        cities: &[String],
        from: Timestamp,
        after: Option<String>,
        filter: ListFilter,
        limit: usize,
    ) -> Result<(Vec<ActivityItem>, Option<String>), StoreError> {
        let partitions = cities
            .iter()
            .map(|c| keys::activities_of_region(c))
            .collect();
        self.activities_merged_page(partitions, from, after, filter, |_| true, limit)
            .await
    }

    /// A k-way merge of listing partitions (each sorted by time), a few items at a time:
    /// the activities ending at or after `from` (after the listing key `after` when
    /// resuming) that `keep` accepts, in listing order.
    ///
    /// Each round reads, in parallel, only the partitions that may still hold one of the
    /// page's next items: one whose last key read lies past the page's last candidate
    /// cannot. Everything up to the horizon (the earliest last key of the partitions not
    /// read to their end) is in order; the page ends at `limit`, or at the horizon after
    /// [`MERGE_ROUNDS`]. Returns the listing key to resume after, None at the end. A page
    /// reads about `limit` items plus a few per partition, whatever the partitions hold.
    pub(crate) async fn activities_merged_page(
        &self,
        mut partitions: Vec<String>,
        from: Timestamp,
        after: Option<String>,
        filter: ListFilter,
        keep: impl Fn(&ActivityItem) -> bool,
        limit: usize,
    ) -> Result<(Vec<ActivityItem>, Option<String>), StoreError> {
        partitions.sort();
        partitions.dedup();
        let lo = after.map_or_else(|| keys::list_from(from.unix()), |a| keys::list_after(&a));
        // Each partition still to read: where its next read starts, and the last key read.
        let mut reading: Vec<(String, String, Option<String>)> = partitions
            .into_iter()
            .map(|pk| (pk, lo.clone(), None))
            .collect();
        // Items read and kept, not yet on the page, in listing order.
        let mut pending: Vec<ActivityItem> = Vec::new();
        let mut out = Vec::with_capacity(limit);
        let mut horizon: Option<String> = None;
        for _ in 0..MERGE_ROUNDS {
            let want = limit - out.len();
            // The page's last candidate so far: a partition already read past it holds
            // nothing the page needs.
            let bound = pending.get(want - 1).map(ActivityItem::list_sk);
            let (now, later): (Vec<_>, Vec<_>) =
                reading
                    .into_iter()
                    .partition(|(_, _, last)| match (&bound, last) {
                        (Some(b), Some(l)) => l < b,
                        _ => true,
                    });
            let batch = (2 * (want + 1)).div_ceil(now.len().max(1)).max(4);
            let reads = now.iter().map(|(pk, lo, _)| {
                let spec = QuerySpec::index(
                    Index::Gsi4,
                    pk.clone(),
                    SortKey::Between(lo.clone(), keys::LIST_END.into()),
                )
                .filtered(filter.clone().build())
                .reading(batch, 1);
                self.query_spec::<ActivityItem>(spec, None, batch)
            });
            let pages = futures_util::future::try_join_all(reads).await?;
            reading = later;
            for ((pk, _, _), (items, next)) in now.into_iter().zip(pages) {
                pending.extend(items.into_iter().filter(|a| keep(a)));
                // A partition read to its end is done; the others read on from their stop.
                if let Some(last) = next.as_ref().and_then(|k| k.get(GSI4SK)) {
                    reading.push((pk, keys::list_after(last), Some(last.clone())));
                }
            }
            pending.sort_by_key(ActivityItem::list_sk);
            horizon = reading.iter().filter_map(|(_, _, l)| l.clone()).min();
            let ready = match &horizon {
                Some(h) => pending.partition_point(|a| a.list_sk() <= *h),
                None => pending.len(),
            };
            let rest = pending.split_off(ready.min(want));
            out.extend(std::mem::replace(&mut pending, rest));
            if out.len() == limit {
                let more = !pending.is_empty() || !reading.is_empty();
                let last = out.last().map(ActivityItem::list_sk);
                return Ok((out, last.filter(|_| more)));
            }
            if reading.is_empty() {
                return Ok((out, None));
            }
        }
        // Out of rounds: everything up to the horizon is on the page; the next request
        // reads on from there.
        Ok((out, horizon))
    }

    /// The published activities at a station in `cities` (listing partitions' codes, as
    /// for [`Store::activities_of_cities_page`]) within `region_prefix`, with a shift that
    /// may overlap `[from, until)` (the caller checks the shifts): from each city, the
    /// activities starting in `[from - span, until)` and the longer-running ones ending
    /// after `from` that start before `until`, every page of them. What it reads follows
    /// the stations' activities of those days (and the long-running ones still to end),
    /// not the province's listing.
    pub async fn station_activities_between(
        &self,
        cities: &[String],
        region_prefix: Option<&str>,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<ActivityItem>, StoreError> {
        let filter = || ListFilter {
            published_only: true,
            region_prefix: region_prefix.map(String::from),
            starts_before: Some(until.unix()),
            ..ListFilter::default()
        };
        let starting = keys::list_from(from.unix() - keys::START_LISTING_SPAN);
        let reads = cities.iter().flat_map(|c| {
            [
                (
                    keys::activities_starting(c),
                    SortKey::Between(starting.clone(), keys::list_from(until.unix())),
                ),
                (
                    keys::long_activities(c),
                    SortKey::Between(keys::list_from(from.unix()), keys::LIST_END.into()),
                ),
            ]
        });
        let reads = reads.map(|(pk, sort)| async move {
            let mut found = Vec::new();
            let mut resume = None;
            loop {
                let spec = QuerySpec::index(Index::Gsi4, pk.clone(), sort.clone())
                    .filtered(filter().build());
                let (items, next) = self
                    .query_spec::<ActivityItem>(spec, resume, STATION_WEEK_PAGE)
                    .await?;
                found.extend(items);
                match next {
                    Some(k) => resume = Some(k),
                    None => return Ok::<_, StoreError>(found),
                }
            }
        });
        let found = futures_util::future::try_join_all(reads).await?;
        Ok(found.into_iter().flatten().collect())
    }

    /// Cancels a published activity with its copies and shifts, so no sign-up can commit
    /// after it.
    pub async fn cancel_activity(
        &self,
        activity: &ActivityItem,
        reason: &str,
        at_ms: i64,
    ) -> Result<(), TxError<CancelActivityRefused>> {
        let t = &self.table;
        let values = || {
            vec![
                (":c", s(ActivityStatus::Cancelled.slug())),
                (":r", s(reason)),
                (":at", n(at_ms)),
            ]
        };
        let set = "SET #st = :c, cancel_reason = :r, cancelled_at = :at";
        let mut tx = Tx::new();
        for listing in activity.listings() {
            let k = activity.listing_keys(listing);
            if k.sk() == keys::ACTIVITY_SK {
                let published = (":p", s(ActivityStatus::Published.slug()));
                let op = update_op(
                    t,
                    k.pk().to_string(),
                    k.sk(),
                    set,
                    Some("#st = :p"),
                    &[("#st", "status")],
                    values().into_iter().chain([published]).collect(),
                )?;
                tx.guarded(op, CancelActivityRefused::NotPublished);
            } else {
                let op = update_op(
                    t,
                    k.pk().to_string(),
                    k.sk(),
                    set,
                    None,
                    &[("#st", "status")],
                    values(),
                )?;
                tx.push(op);
            }
        }
        for sh in &activity.shifts {
            let k = shift_keys(&activity.id, sh.n);
            tx.push(update_op(
                t,
                k.pk().to_string(),
                k.sk(),
                "SET #st = :c REMOVE GSI4PK, GSI4SK",
                None,
                &[("#st", "status")],
                vec![(":c", s(ActivityStatus::Cancelled.slug()))],
            )?);
            // The counters carry the status a sign-up's write checks.
            for i in 0..sh.counters() {
                let k = place_keys(&sh.id(&activity.id), i);
                tx.push(update_op(
                    t,
                    k.pk().to_string(),
                    k.sk(),
                    "SET #st = :c",
                    None,
                    &[("#st", "status")],
                    vec![(":c", s(ActivityStatus::Cancelled.slug()))],
                )?);
            }
        }
        self.commit(tx).await
    }
}

impl Store {
    /// Writes many published activities, each with its listing copies and shifts, with
    /// BatchWriteItem (benchmarks only: not atomic, and the statistics do not count them;
    /// requests publish with [`Store::create_activity`]).
    pub async fn put_activities_batch(
        &self,
        activities: &[(ActivityItem, Vec<ShiftItem>)],
    ) -> Result<(), StoreError> {
        let mut raw = Vec::new();
        for (a, shifts) in activities {
            for listing in a.listings() {
                raw.push(keyed_item(a, a.listing_keys(listing))?);
            }
            for sh in shifts {
                raw.push(keyed_item(sh, sh.keys())?);
                for p in sh.new_places() {
                    raw.push(keyed_item(&p, place_keys(&p.shift_id, p.counter))?);
                }
            }
        }
        self.batch_put(raw).await
    }
}

/// Why [`Store::cancel_activity`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelActivityRefused {
    /// The activity is not published (cancelled already).
    NotPublished,
}

/// Merge rounds a merged page ("near", a province) reads at most before it hands back a
/// cursor.
const MERGE_ROUNDS: usize = 4;
/// Items asked for per Query of [`Store::station_activities_between`].
const STATION_WEEK_PAGE: usize = 100;

/// A filter on listing entries: `#st = published`, region prefix, field, start bound and
/// a bounding box, each only when asked for.
#[derive(Default, Clone)]
pub struct ListFilter {
    pub published_only: bool,
    pub region_prefix: Option<String>,
    pub field: Option<ServiceField>,
    pub starts_before: Option<i64>,
    /// (south, west, north, east)
    pub bbox: Option<(f64, f64, f64, f64)>,
}

impl ListFilter {
    fn build(self) -> Option<Filter> {
        let mut parts = Vec::new();
        let mut names = Vec::new();
        let mut values: Vec<(&'static str, AttributeValue)> = Vec::new();
        if self.published_only {
            parts.push("#st = :pub");
            names.push(("#st", "status"));
            values.push((":pub", s(ActivityStatus::Published.slug())));
        }
        if let Some(r) = self.region_prefix {
            parts.push("begins_with(region_code, :reg)");
            values.push((":reg", s(r)));
        }
        if let Some(f) = self.field {
            parts.push("service_field = :field");
            values.push((":field", s(f.slug())));
        }
        if let Some(t) = self.starts_before {
            parts.push("first_start <= :before");
            values.push((":before", n(t)));
        }
        if let Some((south, west, north, east)) = self.bbox {
            parts.push("lat BETWEEN :s AND :n AND lng BETWEEN :w AND :e");
            values.push((":s", n(south)));
            values.push((":n", n(north)));
            values.push((":w", n(west)));
            values.push((":e", n(east)));
        }
        (!parts.is_empty()).then(|| Filter {
            expression: parts.join(" AND "),
            names,
            values,
        })
    }
}
