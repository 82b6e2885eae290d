//! Regular activities (常态化): a repeat rule on a published activity makes a series of
//! occurrences, weekly on chosen weekdays or monthly on a day, each a normal activity with
//! the same shift pattern. The dates are counted in local days (China Standard Time, one
//! offset, no daylight saving), so an occurrence's shifts are the pattern's moved by whole
//! days.

use crate::slug_enum;
use crate::station::FieldError;
use crate::time::{CST_OFFSET_SECONDS, Timestamp};
use serde::{Deserialize, Serialize};

slug_enum! {
    /// How often a series repeats.
    RepeatFreq {
        Weekly = "weekly",
        Monthly = "monthly",
    }
}

/// At most this many occurrences in one series.
pub const MAX_OCCURRENCES: i64 = 26;
/// Occurrences are published this far ahead; the scheduled job tops up the rest.
pub const AHEAD_SECONDS: i64 = 8 * 7 * 86_400;

/// `repeat` of `POST /api/activities`: weekly on `weekdays` (1 Monday … 7 Sunday) or
/// monthly on `day` (1–28), `count` occurrences from the date of the first shift.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RepeatInput {
    #[cfg_attr(feature = "openapi", schema(value_type = RepeatFreq, required = true))]
    pub freq: String,
    /// Weekly: the weekdays, 1 (Monday) to 7 (Sunday).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<Vec<u8>>, min_items = 1, max_items = 7, minimum = 1, maximum = 7)
    )]
    pub weekdays: Option<Vec<i64>>,
    /// Monthly: the day of the month, 1–28.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 28))]
    pub day: Option<i64>,
    /// How many occurrences, 1–26.
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 26, required = true)
    )]
    pub count: i64,
}

/// A checked repeat rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatRule {
    pub freq: RepeatFreq,
    /// Weekly: sorted, without repeats, 1–7. Empty for monthly.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// Monthly: 1–28. 0 for weekly.
    #[serde(default)]
    pub day: u8,
    pub count: u8,
}

impl RepeatInput {
    /// Checks the rule; the fault is named by field (`repeat.weekdays`, …).
    pub fn validate(&self) -> Result<RepeatRule, FieldError> {
        let freq = RepeatFreq::from_slug(self.freq.trim())
            .ok_or_else(|| FieldError::new("repeat.freq", "must be weekly or monthly"))?;
        if !(1..=MAX_OCCURRENCES).contains(&self.count) {
            return Err(FieldError::new("repeat.count", "must be from 1 to 26"));
        }
        let count = self.count as u8;
        match freq {
            RepeatFreq::Weekly => {
                if self.day.is_some() {
                    return Err(FieldError::new(
                        "repeat.day",
                        "is for a monthly series; a weekly one takes weekdays",
                    ));
                }
                let given = self.weekdays.as_deref().unwrap_or_default();
                if given.is_empty() {
                    return Err(FieldError::new(
                        "repeat.weekdays",
                        "a weekly series needs at least one weekday",
                    ));
                }
                if given.len() > 7 {
                    return Err(FieldError::new("repeat.weekdays", "at most 7 weekdays"));
                }
                if given.iter().any(|d| !(1..=7).contains(d)) {
                    return Err(FieldError::new(
                        "repeat.weekdays",
                        "each weekday must be from 1 (Monday) to 7 (Sunday)",
                    ));
                }
                let mut weekdays: Vec<u8> = given.iter().map(|d| *d as u8).collect();
                weekdays.sort_unstable();
                weekdays.dedup();
                if weekdays.len() != given.len() {
                    return Err(FieldError::new("repeat.weekdays", "lists a weekday twice"));
                }
                Ok(RepeatRule {
                    freq,
                    weekdays,
                    day: 0,
                    count,
                })
            }
            RepeatFreq::Monthly => {
                if self.weekdays.as_ref().is_some_and(|w| !w.is_empty()) {
                    return Err(FieldError::new(
                        "repeat.weekdays",
                        "are for a weekly series; a monthly one takes day",
                    ));
                }
                let day = match self.day {
                    None => {
                        return Err(FieldError::new(
                            "repeat.day",
                            "a monthly series needs the day of the month",
                        ));
                    }
                    Some(d) if (1..=28).contains(&d) => d as u8,
                    Some(_) => return Err(FieldError::new("repeat.day", "must be from 1 to 28")),
                };
                Ok(RepeatRule {
                    freq,
                    weekdays: Vec::new(),
                    day,
                    count,
                })
            }
        }
    }
}

/// The local (CST) day number of an instant: days since 1970-01-01.
pub fn local_day(t: Timestamp) -> i64 {
    (t.unix() + CST_OFFSET_SECONDS).div_euclid(86_400)
}

/// Local midnight of a day number.
pub fn day_start(day: i64) -> Timestamp {
    Timestamp::from_unix(day * 86_400 - CST_OFFSET_SECONDS)
}

/// ISO weekday of a day number: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> u8 {
    ((day + 3).rem_euclid(7) + 1) as u8
}

impl RepeatRule {
    /// The local day numbers of the occurrences, from `start` (the day of the first
    /// shift) on: the first `count` days that fit the rule.
    pub fn days(&self, start: i64) -> Vec<i64> {
        let count = usize::from(self.count);
        match self.freq {
            RepeatFreq::Weekly => (start..)
                .filter(|d| self.weekdays.contains(&weekday(*d)))
                .take(count)
                .collect(),
            RepeatFreq::Monthly => {
                let first = day_start(start).cst_date();
                let (mut y, mut m) = (i64::from(first.year), i64::from(first.month));
                if i64::from(first.day) > i64::from(self.day) {
                    (y, m) = next_month(y, m);
                }
                let mut out = Vec::with_capacity(count);
                while out.len() < count {
                    out.push(civil_day(y, m, i64::from(self.day)));
                    (y, m) = next_month(y, m);
                }
                out
            }
        }
    }
}

fn next_month(y: i64, m: i64) -> (i64, i64) {
    if m == 12 { (y + 1, 1) } else { (y, m + 1) }
}

/// The day number of a civil date (days since 1970-01-01).
fn civil_day(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One regular activity of a station, as its page shows it ("每周六 09:00–11:00 敬老院陪伴").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationSchedule {
    pub series_id: String,
    pub title: String,
    pub org_name: String,
    pub freq: RepeatFreq,
    /// Weekly: 1 (Monday) … 7 (Sunday).
    pub weekdays: Vec<u8>,
    /// Monthly: the day of the month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// Local times, `09:00`.
    pub starts: String,
    pub ends: String,
    /// The next occurrence still to come, if one is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_activity_id: Option<String>,
}

/// Where an activity stands in its series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesRef {
    pub series_id: String,
    /// 0 for the first occurrence.
    pub index: u8,
}

/// Which occurrences an edit applies to: `one` (this one, the default) or `future` (this
/// one and every later one, and the occurrences still to be published).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct EditScopeQuery {
    #[cfg_attr(feature = "openapi", param(pattern = "^(one|future)?$"))]
    pub scope: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly(days: &[i64], count: i64) -> RepeatInput {
        RepeatInput {
            freq: "weekly".into(),
            weekdays: Some(days.to_vec()),
            day: None,
            count,
        }
    }

    fn day_of(iso: &str) -> i64 {
        local_day(Timestamp::parse(&format!("{iso}T10:00:00+08:00")).expect("date"))
    }

    #[test]
    fn weekdays_are_iso() {
        assert_eq!(weekday(0), 4); // 1970-01-01, a Thursday
        assert_eq!(weekday(day_of("2026-12-05")), 6); // a Saturday
    }

    #[test]
    fn a_weekly_rule_takes_the_chosen_weekdays_from_the_start() {
        let rule = weekly(&[6, 2], 3).validate().expect("valid");
        let days = rule.days(day_of("2026-12-02")); // a Wednesday
        let want: Vec<i64> = ["2026-12-05", "2026-12-08", "2026-12-12"]
            .iter()
            .map(|d| day_of(d))
            .collect();
        assert_eq!(days, want);
    }

    #[test]
    fn a_monthly_rule_starts_next_month_when_the_day_has_passed() {
        let rule = RepeatInput {
            freq: "monthly".into(),
            day: Some(15),
            count: 3,
            ..Default::default()
        }
        .validate()
        .expect("valid");
        let days = rule.days(day_of("2026-11-20"));
        let want: Vec<i64> = ["2026-12-15", "2027-01-15", "2027-02-15"]
            .iter()
            .map(|d| day_of(d))
            .collect();
        assert_eq!(days, want);
    }

    #[test]
    fn each_bad_rule_is_named_by_field() {
        let field = |r: RepeatInput| r.validate().expect_err("refused").field;
        assert_eq!(field(weekly(&[0], 3)), "repeat.weekdays");
        assert_eq!(field(weekly(&[8], 3)), "repeat.weekdays");
        assert_eq!(field(weekly(&[], 3)), "repeat.weekdays");
        assert_eq!(field(weekly(&[1, 1], 3)), "repeat.weekdays");
        assert_eq!(field(weekly(&[1], 0)), "repeat.count");
        assert_eq!(field(weekly(&[1], 27)), "repeat.count");
        let monthly = |day| RepeatInput {
            freq: "monthly".into(),
            day,
            count: 2,
            ..Default::default()
        };
        assert_eq!(field(monthly(None)), "repeat.day");
        assert_eq!(field(monthly(Some(29))), "repeat.day");
        assert_eq!(field(monthly(Some(0))), "repeat.day");
        assert_eq!(
            field(RepeatInput {
                freq: "daily".into(),
                count: 2,
                ..Default::default()
            }),
            "repeat.freq"
        );
    }
}
