//! Instants as Unix seconds, read from RFC 3339 and written in China Standard Time
//! (+08:00), the zone the product shows. No time-zone database: China has one offset and
//! no daylight saving.

use crate::identity::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Seconds east of UTC of Asia/Shanghai.
pub const CST_OFFSET_SECONDS: i64 = 8 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a date and time like 2026-12-01T09:00:00+08:00")]
pub struct TimeError;

/// A moment, in whole seconds since the Unix epoch. Stored and sent as that number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_unix(seconds: i64) -> Self {
        Self(seconds)
    }

    pub const fn unix(self) -> i64 {
        self.0
    }

    pub const fn plus(self, seconds: i64) -> Self {
        Self(self.0 + seconds)
    }

    /// Parses RFC 3339 with an offset (`Z` or `±HH:MM`); seconds may be omitted and
    /// fractions are dropped.
    pub fn parse(raw: &str) -> Result<Self, TimeError> {
        let raw = raw.trim();
        let (date, rest) = raw.split_once(['T', 't', ' ']).ok_or(TimeError)?;
        let date = Date::parse_iso(date).ok_or(TimeError)?;
        let (clock, offset) = split_offset(rest)?;
        let clock = clock.split('.').next().ok_or(TimeError)?;
        let parts: Vec<&str> = clock.split(':').collect();
        let num = |s: &str, max: i64| -> Result<i64, TimeError> {
            if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(TimeError);
            }
            let n: i64 = s.parse().map_err(|_| TimeError)?;
            if n > max { Err(TimeError) } else { Ok(n) }
        };
        let (h, m, s) = match parts.as_slice() {
            [h, m] => (num(h, 23)?, num(m, 59)?, 0),
            [h, m, s] => (num(h, 23)?, num(m, 59)?, num(s, 59)?),
            _ => return Err(TimeError),
        };
        let days = days_from_civil(i64::from(date.year), date.month.into(), date.day.into());
        Ok(Self(days * 86_400 + h * 3600 + m * 60 + s - offset))
    }

    /// The local (CST) calendar date.
    pub fn cst_date(self) -> Date {
        let (y, m, d) = civil_from_days((self.0 + CST_OFFSET_SECONDS).div_euclid(86_400));
        Date {
            year: y as u16,
            month: m as u8,
            day: d as u8,
        }
    }

    /// Local (CST) hours and minutes.
    pub fn cst_hm(self) -> (u8, u8) {
        let secs = (self.0 + CST_OFFSET_SECONDS).rem_euclid(86_400);
        ((secs / 3600) as u8, (secs % 3600 / 60) as u8)
    }

    /// `2026-12-01T09:00:00+08:00`.
    pub fn rfc3339_cst(self) -> String {
        let secs = (self.0 + CST_OFFSET_SECONDS).rem_euclid(86_400);
        format!(
            "{}T{:02}:{:02}:{:02}+08:00",
            self.cst_date().iso(),
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }

    /// `2026-12-01 09:00`, for people.
    pub fn cst_display(self) -> String {
        let (h, m) = self.cst_hm();
        format!("{} {h:02}:{m:02}", self.cst_date().iso())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339_cst())
    }
}

fn split_offset(rest: &str) -> Result<(&str, i64), TimeError> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Ok((clock, 0));
    }
    let at = rest.rfind(['+', '-']).ok_or(TimeError)?;
    let (clock, off) = rest.split_at(at);
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let (h, m) = off[1..].split_once(':').ok_or(TimeError)?;
    let two = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
            .ok_or(TimeError)
    };
    let (h, m) = (two(h)?, two(m)?);
    if h > 14 || m > 59 {
        return Err(TimeError);
    }
    Ok((clock, sign * (h * 3600 + m * 60)))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_a_known_instant_parse_exactly() {
        assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z"), Ok(Timestamp(0)));
        // 2026-12-01T09:00+08:00 is 01:00 UTC.
        assert_eq!(
            Timestamp::parse("2026-12-01T09:00:00+08:00").map(Timestamp::unix),
            Ok(1_796_086_800)
        );
        assert_eq!(
            Timestamp::parse("2026-12-01T01:00Z"),
            Timestamp::parse("2026-12-01T09:00+08:00")
        );
    }

    #[test]
    fn writing_then_reading_gives_the_same_instant() {
        for t in [0, 951_782_400, 1_796_086_800, 4_102_444_799] {
            let ts = Timestamp(t);
            assert_eq!(Timestamp::parse(&ts.rfc3339_cst()), Ok(ts), "{ts}");
        }
    }

    #[test]
    fn local_dates_roll_over_at_cst_midnight() {
        let t = Timestamp::parse("2026-12-31T16:30:00Z").expect("valid");
        assert_eq!(t.cst_date().iso(), "2027-01-01");
        assert_eq!(t.cst_hm(), (0, 30));
        assert_eq!(t.cst_display(), "2027-01-01 00:30");
    }

    #[test]
    fn malformed_times_are_refused() {
        for bad in [
            "",
            "2026-12-01",
            "2026-12-01T09:00",
            "2026-13-01T09:00+08:00",
            "2026-02-30T09:00+08:00",
            "2026-12-01T24:00+08:00",
            "2026-12-01T09:60+08:00",
            "2026-12-01T9:00+08:00",
            "2026-12-01T09:00+8",
            "tomorrow",
        ] {
            assert_eq!(Timestamp::parse(bad), Err(TimeError), "{bad}");
        }
    }
}
