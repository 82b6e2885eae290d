//! Wall-clock time as RFC 3339 in China Standard Time (+08:00), the offset the product
//! shows. Small enough not to need a date crate.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const CST_OFFSET_SECS: i64 = 8 * 3600;

pub fn now_rfc3339() -> String {
    rfc3339_cst(now_unix())
}

pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The time sessions are reckoned by (issued, idled out, re-checked), one per app and
/// handed to it in [`crate::state::AppState`]: the system clock in every deployment; a
/// test moves its own app's clock forward to see a session idle out, without waiting and
/// without moving the clock of the other tests running beside it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now_unix(&self) -> i64 {
        now_unix() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every copy of it) `seconds` forward.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Today's date in China Standard Time (birth dates and ages are reckoned in it).
pub fn today_cst() -> zhiyuan_shared::identity::Date {
    date_cst(now_unix())
}

pub fn date_cst(unix_secs: i64) -> zhiyuan_shared::identity::Date {
    let (y, m, d) = civil_from_days((unix_secs + CST_OFFSET_SECS).div_euclid(86_400));
    zhiyuan_shared::identity::Date {
        year: y as u16,
        month: m as u8,
        day: d as u8,
    }
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SS+08:00`.
pub fn rfc3339_cst(unix_secs: i64) -> String {
    let local = unix_secs + CST_OFFSET_SECS;
    let (days, rem) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_is_shown_in_china_standard_time() {
        assert_eq!(rfc3339_cst(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(rfc3339_cst(1_795_363_200), "2026-11-23T00:00:00+08:00");
        assert_eq!(rfc3339_cst(951_782_400), "2000-02-29T08:00:00+08:00");
    }
}
