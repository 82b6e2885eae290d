//! Times as the pages show and send them: China Standard Time, RFC 3339 on the wire.

use zhiyuan_shared::identity::Date;
use zhiyuan_shared::time::Timestamp;

/// The browser's clock, to the second.
pub fn now() -> Timestamp {
    Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64)
}

pub fn now_rfc3339() -> String {
    now().rfc3339_cst()
}

/// The current year in China Standard Time.
pub fn this_year() -> i32 {
    i32::from(now().cst_date().year)
}

/// Today in the browser's calendar (birth dates and the under-14 rule).
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date {
        year: d.get_full_year() as u16,
        month: (d.get_month() + 1) as u8,
        day: d.get_date() as u8,
    }
}

/// `2026-12-01 09:00` from an RFC 3339 time.
pub fn when(raw: &str) -> String {
    Timestamp::parse(raw)
        .map(Timestamp::cst_display)
        .unwrap_or_else(|_| raw.to_string())
}

/// A shift's span: `2026-12-01 09:00–11:30`.
pub fn span(starts: &str, ends: &str) -> String {
    let end = Timestamp::parse(ends)
        .map(|t| {
            let (h, m) = t.cst_hm();
            format!("{h:02}:{m:02}")
        })
        .unwrap_or_default();
    format!("{}–{end}", when(starts))
}

/// `datetime-local` values are local (CST) times without an offset.
pub fn local_to_rfc3339(v: &str) -> String {
    if v.is_empty() {
        String::new()
    } else if v.len() == 16 {
        format!("{v}:00+08:00")
    } else {
        format!("{v}+08:00")
    }
}

/// The time part of an RFC 3339 time for a `datetime-local` input (CST).
pub fn to_local_input(raw: &str) -> String {
    Timestamp::parse(raw)
        .map(|t| t.rfc3339_cst()[..16].to_string())
        .unwrap_or_default()
}
