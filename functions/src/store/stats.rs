//! Statistics counters and compliance membership (SPEC §10).
//!
//! | pattern | operation |
//! |---|---|
//! | `counter_ops` | transaction items: `ADD` on `STAT#region#shard / ALL` or `/ YEAR#yyyy`, one per item touched |
//! | `user_stats_op` | transaction item: `SET served_minutes, years, trainings_done, stats_rev` on `USER#id`, condition `stats_rev = seen` |
//! | `group_member_ops` | transaction items: put `USER#id / GROUP#group` (on GSI3) per compliance group |
//! | `counters` | BatchGetItem of `STAT#region#shard / ALL, YEAR#…` for the regions and years asked |
//! | `add_counters` | UpdateItem `ADD` per item, outside a transaction (bulk seeding only) |
//! | `group_members_page` | Query GSI3 `GROUP#group#province`, `begins_with(GSI3SK, region prefix)` |
//! | `users` | BatchGetItem `USER#id / USER` |
//!
//! Every counter changes in the same transaction as the thing it counts (a record's next
//! version, a registration, an approval), so a counter is exact whatever the retries.
//! Star levels and yearly activity need the volunteer's totals before the change; the
//! user item carries a revision (`stats_rev`) that each such transaction checks and bumps,
//! so two changes computed from the same totals cannot both land.

use super::keys::{self, GSI3PK, GSI3SK};
use super::{
    Index, ItemKeys, QuerySpec, ResumeKey, SortKey, Store, StoreError, keyed_item, n, put,
    update_op,
};
use crate::ids::UserId;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub const GROUP_ENTITY: &str = "group_member";

/// One counter of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Counter {
    // Kept on the `ALL` item: a state now.
    Volunteers,
    /// Volunteers at star level 1–5 (level 0 is the rest).
    Star(u8),
    Organisations,
    Stations,
    StationsFiveHave,
    StationsDemonstration,
    // Kept on the `YEAR#yyyy` item.
    VolunteersNew,
    Active,
    Minutes,
    Activities,
    Trainings,
    NeedsOpen,
    NeedsClaimed,
    NeedsDone,
    /// Ratings of done needs given in the year, and those with 4 or 5 stars.
    Ratings,
    RatingsSatisfied,
}

impl Counter {
    pub fn attr(self) -> &'static str {
        match self {
            Self::Volunteers => "volunteers",
            Self::Star(1) => "star1",
            Self::Star(2) => "star2",
            Self::Star(3) => "star3",
            Self::Star(4) => "star4",
            Self::Star(_) => "star5",
            Self::Organisations => "organisations",
            Self::Stations => "stations",
            Self::StationsFiveHave => "stations_five_have",
            Self::StationsDemonstration => "stations_demonstration",
            Self::VolunteersNew => "volunteers_new",
            Self::Active => "active",
            Self::Minutes => "minutes",
            Self::Activities => "activities",
            Self::Trainings => "trainings",
            Self::NeedsOpen => "needs_open",
            Self::NeedsClaimed => "needs_claimed",
            Self::NeedsDone => "needs_done",
            Self::Ratings => "ratings",
            Self::RatingsSatisfied => "ratings_satisfied",
        }
    }
}

/// Add `by` to one counter of a region (in its shard), for a year or for now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterAdd {
    pub region: String,
    pub shard: u32,
    pub year: Option<i32>,
    pub counter: Counter,
    pub by: i64,
}

impl CounterAdd {
    /// A counter of the `ALL` item, in the shard of `entity_id`.
    pub fn now(region: &str, entity_id: &str, counter: Counter, by: i64) -> Self {
        Self {
            region: region.to_string(),
            shard: keys::stat_shard(entity_id),
            year: None,
            counter,
            by,
        }
    }
    /// A counter of a year's item, in the shard of `entity_id`.
    pub fn in_year(region: &str, entity_id: &str, year: i32, counter: Counter, by: i64) -> Self {
        Self {
            year: Some(year),
            ..Self::now(region, entity_id, counter, by)
        }
    }
    fn key(&self) -> (String, String) {
        (
            keys::stat_pk(&self.region, self.shard),
            self.year
                .map_or_else(|| keys::STAT_ALL_SK.to_string(), keys::stat_year_sk),
        )
    }
}

/// The adds grouped by item, zeros dropped: a transaction may touch an item only once.
fn by_item(adds: &[CounterAdd]) -> BTreeMap<(String, String), BTreeMap<Counter, i64>> {
    let mut items: BTreeMap<(String, String), BTreeMap<Counter, i64>> = BTreeMap::new();
    for a in adds {
        *items
            .entry(a.key())
            .or_default()
            .entry(a.counter)
            .or_default() += a.by;
    }
    for counters in items.values_mut() {
        counters.retain(|_, v| *v != 0);
    }
    items.retain(|_, c| !c.is_empty());
    items
}

/// The `ADD` of one counter item: its expression and the attribute names and values it binds.
struct AddExpression {
    expression: String,
    names: Vec<(String, &'static str)>,
    values: Vec<(String, AttributeValue)>,
}

impl AddExpression {
    fn of(counters: &BTreeMap<Counter, i64>) -> Self {
        let mut parts = Vec::new();
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (i, (c, v)) in counters.iter().enumerate() {
            parts.push(format!("#c{i} :c{i}"));
            names.push((format!("#c{i}"), c.attr()));
            values.push((format!(":c{i}"), n(*v)));
        }
        Self {
            expression: format!("ADD {}", parts.join(", ")),
            names,
            values,
        }
    }

    fn names(&self) -> Vec<(&str, &str)> {
        self.names.iter().map(|(k, v)| (k.as_str(), *v)).collect()
    }

    fn values(&self) -> Vec<(&str, AttributeValue)> {
        self.values
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect()
    }
}

/// The transaction items that apply these adds: one `ADD` per counter item touched.
pub fn counter_ops(table: &str, adds: &[CounterAdd]) -> Result<Vec<TransactWriteItem>, StoreError> {
    by_item(adds)
        .into_iter()
        .map(|((pk, sk), counters)| {
            let add = AddExpression::of(&counters);
            update_op(
                table,
                pk,
                &sk,
                &add.expression,
                None,
                &add.names(),
                add.values(),
            )
        })
        .collect()
}

/// A volunteer's confirmed service in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTotals {
    pub minutes: u64,
    /// Counted records: the volunteer is "active" in the year while this is above 0.
    pub records: u32,
}

/// The volunteer's totals after a change, written on the revision they were computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserStatsWrite {
    pub user_id: UserId,
    pub seen_rev: u64,
    pub served_minutes: u64,
    pub years: BTreeMap<String, YearTotals>,
    pub trainings_done: u32,
}

pub fn user_stats_op(table: &str, w: &UserStatsWrite) -> Result<TransactWriteItem, StoreError> {
    let years = serde_dynamo::to_attribute_value::<_, AttributeValue>(&w.years)
        .map_err(|e| StoreError::Decode(e.to_string()))?;
    update_op(
        table,
        keys::user_pk(&w.user_id),
        keys::USER_SK,
        "SET served_minutes = :m, years = :y, trainings_done = :t, stats_rev = :next",
        Some("attribute_exists(PK) AND (attribute_not_exists(stats_rev) OR stats_rev = :seen)"),
        &[],
        vec![
            (":m", n(w.served_minutes)),
            (":y", years),
            (":t", n(w.trainings_done)),
            (":next", n(w.seen_rev + 1)),
            (":seen", n(w.seen_rev)),
        ],
    )
}

/// A volunteer in a group with a yearly minimum, listed by group and region.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupMemberItem {
    pub user_id: UserId,
    pub group: String,
    pub region_code: String,
}

/// A group member as GSI3 gives it back: the keys only (the index projects what station
/// lists need, and the keys say who and where).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupMemberKey {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI3PK")]
    pub gsi3pk: String,
    #[serde(rename = "GSI3SK")]
    pub gsi3sk: String,
}

impl GroupMemberKey {
    /// The member, named by the key's `USER#…` partition.
    pub fn user_id(&self) -> Option<UserId> {
        self.pk.strip_prefix("USER#").and_then(UserId::parse)
    }
}

impl GroupMemberItem {
    pub fn new(user_id: &UserId, group: &str, region_code: &str) -> Self {
        Self {
            user_id: user_id.clone(),
            group: group.to_string(),
            region_code: region_code.to_string(),
        }
    }

    /// In the user's partition; on GSI3 by group and province, sorted by region code.
    fn keys(&self) -> ItemKeys {
        let province = self.region_code.get(..2).unwrap_or_default();
        ItemKeys::new(
            keys::user_pk(&self.user_id),
            keys::group_member_sk(&self.group),
            GROUP_ENTITY,
        )
        .indexed(
            (GSI3PK, keys::group_index_pk(&self.group, province)),
            (
                GSI3SK,
                keys::group_index_sk(&self.region_code, &self.user_id),
            ),
        )
    }
}

/// A group-member item as written, with its keys (benchmarks bulk-load them).
pub fn group_member_item(
    m: &GroupMemberItem,
) -> Result<std::collections::HashMap<String, AttributeValue>, StoreError> {
    keyed_item(m, m.keys())
}

pub fn group_member_ops(
    table: &str,
    items: &[GroupMemberItem],
) -> Result<Vec<TransactWriteItem>, StoreError> {
    items
        .iter()
        .map(|i| put(group_member_item(i)?, table, None))
        .collect()
}

/// A counter item as read: every counter defaults to 0.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CounterItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    volunteers: i64,
    star1: i64,
    star2: i64,
    star3: i64,
    star4: i64,
    star5: i64,
    organisations: i64,
    stations: i64,
    stations_five_have: i64,
    stations_demonstration: i64,
    volunteers_new: i64,
    active: i64,
    minutes: i64,
    activities: i64,
    trainings: i64,
    needs_open: i64,
    needs_claimed: i64,
    needs_done: i64,
    ratings: i64,
    ratings_satisfied: i64,
}

impl CounterItem {
    pub fn get(&self, c: Counter) -> i64 {
        match c {
            Counter::Volunteers => self.volunteers,
            Counter::Star(1) => self.star1,
            Counter::Star(2) => self.star2,
            Counter::Star(3) => self.star3,
            Counter::Star(4) => self.star4,
            Counter::Star(_) => self.star5,
            Counter::Organisations => self.organisations,
            Counter::Stations => self.stations,
            Counter::StationsFiveHave => self.stations_five_have,
            Counter::StationsDemonstration => self.stations_demonstration,
            Counter::VolunteersNew => self.volunteers_new,
            Counter::Active => self.active,
            Counter::Minutes => self.minutes,
            Counter::Activities => self.activities,
            Counter::Trainings => self.trainings,
            Counter::NeedsOpen => self.needs_open,
            Counter::NeedsClaimed => self.needs_claimed,
            Counter::NeedsDone => self.needs_done,
            Counter::Ratings => self.ratings,
            Counter::RatingsSatisfied => self.ratings_satisfied,
        }
    }
}

/// The counters of some regions: for each region, its `ALL` values and each year's, summed
/// over shards.
#[derive(Debug, Clone, Default)]
pub struct RegionCounters {
    pub now: BTreeMap<Counter, i64>,
    pub years: BTreeMap<i32, BTreeMap<Counter, i64>>,
}

impl RegionCounters {
    pub fn now(&self, c: Counter) -> i64 {
        self.now.get(&c).copied().unwrap_or(0)
    }
    pub fn year(&self, y: i32, c: Counter) -> i64 {
        self.years
            .get(&y)
            .and_then(|m| m.get(&c))
            .copied()
            .unwrap_or(0)
    }
}

const ALL_COUNTERS: [Counter; 20] = [
    Counter::Volunteers,
    Counter::Star(1),
    Counter::Star(2),
    Counter::Star(3),
    Counter::Star(4),
    Counter::Star(5),
    Counter::Organisations,
    Counter::Stations,
    Counter::StationsFiveHave,
    Counter::StationsDemonstration,
    Counter::VolunteersNew,
    Counter::Active,
    Counter::Minutes,
    Counter::Activities,
    Counter::Trainings,
    Counter::NeedsOpen,
    Counter::NeedsClaimed,
    Counter::NeedsDone,
    Counter::Ratings,
    Counter::RatingsSatisfied,
];

impl Store {
    /// The counters of `regions` for now and for each of `years`: shards × (1 + years)
    /// items per region, read 100 to a call.
    pub async fn counters(
        &self,
        regions: &[String],
        years: std::ops::RangeInclusive<i32>,
    ) -> Result<HashMap<String, RegionCounters>, StoreError> {
        let mut wanted = Vec::new();
        for r in regions {
            for shard in 0..keys::STAT_SHARDS {
                wanted.push((keys::stat_pk(r, shard), keys::STAT_ALL_SK.to_string()));
                for y in years.clone() {
                    wanted.push((keys::stat_pk(r, shard), keys::stat_year_sk(y)));
                }
            }
        }
        let items: Vec<CounterItem> = self.batch_get(wanted).await?;
        let mut out: HashMap<String, RegionCounters> = regions
            .iter()
            .map(|r| (r.clone(), RegionCounters::default()))
            .collect();
        for item in items {
            // PK is STAT#region#shard.
            let Some(region) = item.pk.split('#').nth(1) else {
                continue;
            };
            let Some(rc) = out.get_mut(region) else {
                continue;
            };
            let target = match item.sk.strip_prefix("YEAR#") {
                Some(y) => match y.parse() {
                    Ok(y) => rc.years.entry(y).or_default(),
                    Err(_) => continue,
                },
                None => &mut rc.now,
            };
            for c in ALL_COUNTERS {
                *target.entry(c).or_default() += item.get(c);
            }
        }
        Ok(out)
    }

    /// Applies adds one item at a time, outside any transaction: for bulk seeding, where
    /// the items counted were written in bulk too.
    pub async fn add_counters(&self, adds: &[CounterAdd]) -> Result<(), StoreError> {
        for ((pk, sk), counters) in by_item(adds) {
            let add = AddExpression::of(&counters);
            self.update_one(pk, &sk, &add.expression, None, &add.names(), add.values())
                .await?;
        }
        Ok(())
    }

    /// One page of a group's members in a region (by region code, then user id).
    pub async fn group_members_page(
        &self,
        group: &str,
        province: &str,
        region_prefix: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<GroupMemberKey>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::index(
                Index::Gsi3,
                keys::group_index_pk(group, province),
                SortKey::Prefix(region_prefix),
            ),
            resume,
            limit,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_to_one_item_become_one_update_and_cancelling_adds_vanish() {
        let adds = [
            CounterAdd::now("150602", "u1", Counter::Star(1), -1),
            CounterAdd::now("150602", "u1", Counter::Star(2), 1),
            CounterAdd::in_year("150602", "u1", 2026, Counter::Minutes, 30),
            CounterAdd::in_year("150602", "u1", 2026, Counter::Minutes, -30),
        ];
        let items = by_item(&adds);
        assert_eq!(items.len(), 1, "the year's item nets to nothing");
        let (_, counters) = items.iter().next().expect("one item");
        assert_eq!(counters.len(), 2);
    }

    #[test]
    fn the_shard_of_an_id_is_stable_and_in_range() {
        assert_eq!(keys::stat_shard("01ABC"), keys::stat_shard("01ABC"));
        assert!((0..keys::STAT_SHARDS).contains(&keys::stat_shard("anything")));
    }
}
