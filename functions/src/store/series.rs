//! Regular activities (常态化): a series and its occurrences.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_series` | TransactWriteItems: the series (new) + its station copy + the first occurrence (as `create_activity`) |
//! | `publish_occurrence` | TransactWriteItems: the next occurrence (as `create_activity`, every item new) + the series with `next_index + 1` (conditional on its version) |
//! | `save_series` | TransactWriteItems: the series (conditional on its version) + its station copy |
//! | `get_series` | GetItem `SERIES#id / SERIES` |
//! | `series_due` | Query GSI4 `SERIESDUE`, `GSI4SK <= now` |
//! | `series_at_station` | Query GSI4 `SERIESST#station` |
//!
//! An occurrence's id follows from the series id and its index, and every item of an
//! occurrence is written only if new, in one transaction with the series' next index
//! (conditional on the series' version): two runs of the top-up never publish one twice.

use super::activities::{ActivityItem, ShiftItem};
use super::keys::{self, GSI4PK, GSI4SK};
use super::{
    Index, ItemKeys, QuerySpec, SortKey, Store, StoreError, Tx, TxError, keyed_item, put, put_if,
};
use crate::ids::ActivityId;
use serde::{Deserialize, Serialize};
use zhiyuan_shared::series::{AHEAD_SECONDS, RepeatRule, day_start};
use zhiyuan_shared::time::Timestamp;

/// An occurrence's place in its series, kept on the activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesLink {
    pub series_id: ActivityId,
    pub index: u8,
}

/// A series as stored: the rule, the pattern every occurrence copies (an activity whose
/// times are those of an occurrence on `start_day`), and how far publishing has got.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeriesItem {
    pub id: ActivityId,
    pub rule: RepeatRule,
    /// The local day number the template's times are on.
    pub start_day: i64,
    pub template: ActivityItem,
    /// How many occurrences are published (indexes below it).
    pub next_index: u8,
    /// Set when the organizer cancelled this occurrence and every later one: occurrences
    /// from here on are not published (and those published were cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_from: Option<u8>,
    /// Bumped by every change: a write goes only over the version it was decided from.
    pub version: u64,
}

/// Why a series write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesRefused {
    /// The series changed since it was read (another run published, an edit, a cancel).
    Changed,
}

/// The id of occurrence `index` of a series: the series' ULID plus the index, so it is
/// known before it is written and writing it twice fails.
pub fn occurrence_id(series: &ActivityId, index: u8) -> ActivityId {
    let base = ulid::Ulid::from_string(series)
        .map(u128::from)
        .unwrap_or_default();
    ActivityId::trusted(ulid::Ulid::from(base.wrapping_add(u128::from(index))).to_string())
}

impl SeriesItem {
    /// How many occurrences the series has: its count, or fewer once cancelled.
    pub fn occurrences(&self) -> u8 {
        self.cancelled_from
            .map_or(self.rule.count, |c| c.min(self.rule.count))
    }

    /// The local day numbers of the occurrences (all of them, cancelled or not).
    pub fn days(&self) -> Vec<i64> {
        self.rule.days(self.start_day)
    }

    /// How far occurrence `index` is moved from the template, in seconds.
    fn offset(&self, index: u8) -> i64 {
        let days = self.days();
        days.get(usize::from(index))
            .map_or(0, |d| (d - self.start_day) * 86_400)
    }

    /// Occurrence `index` as a new activity with its shifts, on its date.
    pub fn occurrence(&self, index: u8, created_at: &str) -> (ActivityItem, Vec<ShiftItem>) {
        let by = self.offset(index);
        let mut a = self.template.clone();
        a.id = occurrence_id(&self.id, index);
        for s in &mut a.shifts {
            s.starts_at = s.starts_at.plus(by);
            s.ends_at = s.ends_at.plus(by);
        }
        a.deadline = a.deadline.plus(by);
        a.first_start = a.first_start.plus(by);
        a.until = a.until.plus(by);
        a.created_at = created_at.to_string();
        a.version = 0;
        a.series = Some(SeriesLink {
            series_id: self.id.clone(),
            index,
        });
        let shifts = a.shifts.iter().map(|s| ShiftItem::new(&a.id, s)).collect();
        (a, shifts)
    }

    /// When occurrence `index` is due to be published: its first start less the weeks
    /// published ahead.
    pub fn due(&self, index: u8) -> Timestamp {
        self.template
            .first_start
            .plus(self.offset(index) - AHEAD_SECONDS)
    }

    /// The first shift's start of the template as a time of the day, in seconds from local
    /// midnight of `start_day` (and the last end likewise).
    pub fn times_of_day(&self) -> (i64, i64) {
        let midnight = day_start(self.start_day).unix();
        (
            self.template.first_start.unix() - midnight,
            self.template.until.unix() - midnight,
        )
    }

    fn keys(&self) -> ItemKeys {
        let k = ItemKeys::new(keys::series_pk(&self.id), keys::SERIES_SK, "series");
        if self.next_index < self.occurrences() {
            k.indexed(
                (GSI4PK, keys::SERIES_DUE_PK.to_string()),
                (
                    GSI4SK,
                    keys::series_due_sk(self.due(self.next_index).unix(), &self.id),
                ),
            )
        } else {
            k
        }
    }

    /// The copy under the station the series' activities are at, if any.
    fn station_keys(&self) -> Option<ItemKeys> {
        let station = self.template.station_id.as_deref()?;
        Some(
            ItemKeys::new(
                keys::series_pk(&self.id),
                keys::SERIES_BY_STATION_SK,
                "series_listing",
            )
            .indexed(
                (GSI4PK, keys::series_of_station(station)),
                (GSI4SK, self.id.to_string()),
            ),
        )
    }

    /// The series (conditional on `expected`: new, or at that version) and its station copy,
    /// rewritten with it so the schedule reads current facts.
    fn writes(&self, table: &str, expected: Option<u64>) -> Result<Tx<SeriesRefused>, StoreError> {
        let mut tx = Tx::new();
        let item = keyed_item(self, self.keys())?;
        let condition = match expected {
            None => "attribute_not_exists(PK)",
            Some(_) => "version = :v",
        };
        let values = match expected {
            None => Vec::new(),
            Some(v) => vec![(":v", super::n(v))],
        };
        let op = put_if(item, table, condition, &[], values)?;
        tx.guarded(op, SeriesRefused::Changed);
        if let Some(k) = self.station_keys() {
            tx.push(put(keyed_item(self, k)?, table, None)?);
        }
        Ok(tx)
    }
}

impl Store {
    /// Writes a new series with its station copy and its first occurrence, in one
    /// transaction (`series.next_index` is 1).
    pub async fn create_series(
        &self,
        series: &SeriesItem,
        first: &ActivityItem,
        shifts: &[ShiftItem],
    ) -> Result<(), TxError<SeriesRefused>> {
        let mut tx = series.writes(&self.table, None)?;
        tx.extend(self.create_activity_ops(first, shifts)?);
        self.commit(tx).await
    }

    /// Publishes the series' next occurrence: `after` is the series read (`before`'s
    /// version) with `next_index` one further.
    pub async fn publish_occurrence(
        &self,
        before: &SeriesItem,
        after: &SeriesItem,
        occurrence: &ActivityItem,
        shifts: &[ShiftItem],
    ) -> Result<(), TxError<SeriesRefused>> {
        let mut tx = after.writes(&self.table, Some(before.version))?;
        tx.extend(self.create_activity_ops(occurrence, shifts)?);
        self.commit(tx).await
    }

    /// Saves a changed series (its version one past `before`'s) with its station copy.
    pub async fn save_series(
        &self,
        before: &SeriesItem,
        after: &SeriesItem,
    ) -> Result<(), TxError<SeriesRefused>> {
        let tx = after.writes(&self.table, Some(before.version))?;
        self.commit(tx).await
    }

    pub async fn get_series(&self, id: &ActivityId) -> Result<Option<SeriesItem>, StoreError> {
        self.get_item(keys::series_pk(id), keys::SERIES_SK).await
    }

    /// Series with an occurrence due by `now`, a page at a time.
    pub async fn series_due(
        &self,
        now: Timestamp,
        resume: Option<super::ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<SeriesItem>, Option<super::ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::index(
                Index::Gsi4,
                keys::SERIES_DUE_PK.to_string(),
                SortKey::Between(
                    keys::series_due_sk(0, ""),
                    keys::series_due_until(now.unix()),
                ),
            ),
            resume,
            limit,
        )
        .await
    }

    /// The series of a station (at most `limit`).
    pub async fn series_at_station(
        &self,
        station_id: &str,
        limit: usize,
    ) -> Result<Vec<SeriesItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec::index(
                    Index::Gsi4,
                    keys::series_of_station(station_id),
                    SortKey::Any,
                ),
                None,
                limit,
            )
            .await?;
        Ok(items)
    }
}
