//! Which notices also reach the phone by SMS, and quiet hours (22:00–07:00 Beijing time),
//! during which an SMS is held and sent at 07:00. The in-app inbox always gets every
//! notice; these settings only add the text message.

use crate::notice::NoticeKind;
use crate::slug::parse_list;
use crate::station::FieldError;
use crate::time::{CST_OFFSET_SECONDS, Timestamp};
use serde::{Deserialize, Serialize};

/// Quiet hours start at 22:00 and end at 07:00, Beijing time.
pub const QUIET_FROM_HOUR: i64 = 22;
pub const QUIET_UNTIL_HOUR: i64 = 7;

/// `GET`/`PUT /api/me/notice-settings`: the kinds that also come by SMS, and whether SMS
/// waits out quiet hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeSettings {
    /// Notice kinds (slugs) that are also sent by SMS.
    pub sms: Vec<NoticeKind>,
    /// Hold SMS between 22:00 and 07:00 Beijing time, then send at 07:00.
    pub quiet_hours: bool,
}

impl Default for NoticeSettings {
    /// What a person who never chose gets: what cannot wait (a cancelled shift, a place
    /// from the waitlist, tomorrow's reminder) by SMS, nothing else; quiet hours kept.
    fn default() -> Self {
        Self {
            sms: vec![
                NoticeKind::Promoted,
                NoticeKind::ActivityCancelled,
                NoticeKind::Reminder,
            ],
            quiet_hours: true,
        }
    }
}

/// The body of `PUT /api/me/notice-settings` as sent: kinds as plain strings, so an
/// unknown one is refused naming the field rather than as a malformed body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeSettingsInput {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<NoticeKind>, max_items = 40))]
    pub sms: Vec<String>,
    pub quiet_hours: bool,
}

impl NoticeSettings {
    pub fn parse(input: &NoticeSettingsInput) -> Result<Self, FieldError> {
        let sms = parse_list(
            "sms",
            &input.sms,
            NoticeKind::ALL.len(),
            false,
            NoticeKind::from_slug,
        )?;
        Ok(Self {
            sms,
            quiet_hours: input.quiet_hours,
        })
    }

    pub fn wants_sms(&self, kind: NoticeKind) -> bool {
        self.sms.contains(&kind)
    }

    /// When an SMS that becomes due at `now` may go: `now`, or 07:00 Beijing time when
    /// `now` falls in quiet hours and the person keeps them.
    pub fn sms_due(&self, now: Timestamp) -> Timestamp {
        if !self.quiet_hours {
            return now;
        }
        let local = now.unix() + CST_OFFSET_SECONDS;
        let day_start = local.div_euclid(86_400) * 86_400;
        let hour = (local - day_start) / 3600;
        let local_due = if hour >= QUIET_FROM_HOUR {
            day_start + 86_400 + QUIET_UNTIL_HOUR * 3600
        } else if hour < QUIET_UNTIL_HOUR {
            day_start + QUIET_UNTIL_HOUR * 3600
        } else {
            return now;
        };
        Timestamp::from_unix(local_due - CST_OFFSET_SECONDS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> Timestamp {
        Timestamp::parse(raw).expect("a time")
    }

    #[test]
    fn by_default_cancellations_promotions_and_reminders_come_by_sms_and_nothing_else() {
        let d = NoticeSettings::default();
        for k in NoticeKind::ALL {
            let expected = matches!(
                k,
                NoticeKind::Promoted | NoticeKind::ActivityCancelled | NoticeKind::Reminder
            );
            assert_eq!(d.wants_sms(*k), expected, "{k:?}");
        }
        assert!(d.quiet_hours);
    }

    #[test]
    fn quiet_hours_hold_an_sms_until_seven_in_the_morning_beijing_time() {
        let s = NoticeSettings::default();
        let seven = at("2026-12-02T07:00:00+08:00");
        assert_eq!(s.sms_due(at("2026-12-01T22:00:00+08:00")), seven);
        assert_eq!(s.sms_due(at("2026-12-01T23:59:00+08:00")), seven);
        assert_eq!(s.sms_due(at("2026-12-02T00:30:00+08:00")), seven);
        assert_eq!(s.sms_due(at("2026-12-02T06:59:59+08:00")), seven);
        for daytime in ["2026-12-02T07:00:00+08:00", "2026-12-01T21:59:59+08:00"] {
            assert_eq!(s.sms_due(at(daytime)), at(daytime));
        }
        let off = NoticeSettings {
            quiet_hours: false,
            ..s
        };
        let night = at("2026-12-01T23:00:00+08:00");
        assert_eq!(off.sms_due(night), night);
    }

    #[test]
    fn an_unknown_kind_is_refused_naming_the_field() {
        let e = NoticeSettings::parse(&NoticeSettingsInput {
            sms: vec!["promoted".into(), "birthday".into()],
            quiet_hours: true,
        })
        .expect_err("refused");
        assert_eq!(e.field, "sms");
        let ok = NoticeSettings::parse(&NoticeSettingsInput {
            sms: vec!["reminder".into()],
            quiet_hours: false,
        })
        .expect("parsed");
        assert_eq!(ok.sms, vec![NoticeKind::Reminder]);
    }
}
