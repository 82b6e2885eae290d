//! iCalendar (RFC 5545) text for the calendar feed: escaping, line folding and the few
//! components the feed uses. Small enough not to need a crate; the integration tests read
//! the output back with an independent parser.

use zhiyuan_shared::time::Timestamp;

/// The product identifier every feed carries.
const PRODID: &str = "-//Zhiyuan//Volunteer Service//ZH";

/// Where every time in the feed is: Beijing time, +08:00, no daylight saving since 1991.
pub const TZID: &str = "Asia/Shanghai";

/// The most octets a content line holds before it is folded (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a
/// backslash, a line break becomes `\n`.
pub fn escape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no physical line exceeds 75 octets (a continuation starts
/// with a space, which counts), never inside a UTF-8 character; ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
    out
}

/// A local date-time in Beijing time: `YYYYMMDDTHHMMSS`.
fn local(t: Timestamp) -> String {
    compact(&t.rfc3339_cst())
}

/// A UTC date-time: `YYYYMMDDTHHMMSSZ`.
fn utc(t: Timestamp) -> String {
    // Eight hours earlier in Beijing time reads as the UTC wall clock.
    format!("{}Z", compact(&t.plus(-8 * 3600).rfc3339_cst()))
}

/// `2026-12-01T09:30:00+08:00` → `20261201T093000`.
fn compact(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .take(19)
        .filter(|c| *c != '-' && *c != ':')
        .collect()
}

/// One event of the feed.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable per sign-up, so a calendar updates the event instead of adding another.
    pub uid: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
}

/// A whole VCALENDAR: its name, the Asia/Shanghai time zone and the events, stamped `now`.
pub fn calendar(name: &str, events: &[Event], now: Timestamp) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        format!("PRODID:{PRODID}"),
        "VERSION:2.0".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
        format!("X-WR-TIMEZONE:{TZID}"),
        // Ask subscribing calendars to look again hourly (Outlook, Apple, Google differ).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H".into(),
        "X-PUBLISHED-TTL:PT1H".into(),
        "BEGIN:VTIMEZONE".into(),
        format!("TZID:{TZID}"),
        "BEGIN:STANDARD".into(),
        "DTSTART:19700101T000000".into(),
        "TZOFFSETFROM:+0800".into(),
        "TZOFFSETTO:+0800".into(),
        "TZNAME:CST".into(),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
    ];
    let stamp = utc(now);
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", escape_text(&e.uid)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;TZID={TZID}:{}", local(e.starts_at)));
        lines.push(format!("DTEND;TZID={TZID}:{}", local(e.ends_at)));
        lines.push(format!("SUMMARY:{}", escape_text(&e.summary)));
        lines.push(format!("LOCATION:{}", escape_text(&e.location)));
        lines.push(format!("DESCRIPTION:{}", escape_text(&e.description)));
        lines.push(format!("URL:{}", e.url));
        if e.cancelled {
            // A higher sequence tells a calendar this version supersedes the confirmed one.
            lines.push("STATUS:CANCELLED".into());
            lines.push("SEQUENCE:1".into());
        } else {
            lines.push("STATUS:CONFIRMED".into());
            lines.push("SEQUENCE:0".into());
        }
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        assert_eq!(escape_text("东胜区，铁西街道"), "东胜区，铁西街道");
    }

    #[test]
    fn a_short_line_is_left_whole_with_crlf() {
        assert_eq!(fold("SUMMARY:助老"), "SUMMARY:助老\r\n");
    }

    #[test]
    fn a_long_chinese_line_folds_at_75_octets_without_splitting_a_character() {
        let title = "社区敬老助餐与关爱空巢老人志愿服务".repeat(4);
        let line = format!("SUMMARY:{title}");
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1, "{folded}");
        for (i, p) in physical.iter().enumerate() {
            // Each physical line is valid UTF-8 on its own (it is a &str) and short enough.
            assert!(p.len() <= LINE_OCTETS, "line {i} has {} octets", p.len());
            if i > 0 {
                assert!(p.starts_with(' '));
            }
        }
        // A full line is used as far as a three-octet character allows.
        assert!(physical[0].len() > LINE_OCTETS - 3);
        let unfolded: String = physical
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
            .collect();
        assert_eq!(unfolded, line);
    }

    #[test]
    fn times_are_local_to_shanghai_and_the_stamp_is_utc() {
        // 2026-12-01 09:30 in Beijing is 01:30 UTC.
        let t = Timestamp::parse("2026-12-01T09:30:00+08:00").expect("time");
        assert_eq!(local(t), "20261201T093000");
        assert_eq!(utc(t), "20261201T013000Z");
    }

    #[test]
    fn a_cancelled_event_says_so_and_every_line_ends_in_crlf() {
        let t = Timestamp::parse("2026-12-01T09:30:00+08:00").expect("time");
        let e = Event {
            uid: "s1@zhiyuan".into(),
            starts_at: t,
            ends_at: t.plus(3600),
            summary: "助老".into(),
            location: "东胜区".into(),
            description: "主办：团委".into(),
            url: "https://example.org/activities/a".into(),
            cancelled: true,
        };
        let text = calendar("我的志愿服务", &[e], t);
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(text.contains("\r\nDTSTART;TZID=Asia/Shanghai:20261201T093000\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    }
}
