//! Guardian consent for volunteers aged 14 to 17 (志愿服务条例 Art. 14): before such a
//! volunteer signs up for an activity, a guardian's consent must be on record. Under 14 a
//! guardian is recorded at registration already (PIPL Art. 31, see `account`), and that
//! record counts as the consent.

use crate::account::{GUARDIAN_AGE, Guardian, parse_real_name};
use crate::identity::{Date, Phone};
use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

/// The age of majority (民法典 Art. 17): from 18 nobody asks for a guardian.
pub const ADULT_AGE: u16 = 18;

/// Whether a volunteer born on `birth` needs a recorded guardian consent to serve on
/// `on` (the shift's date in Beijing time).
pub fn consent_needed(birth: Date, on: Date) -> bool {
    (GUARDIAN_AGE..ADULT_AGE).contains(&birth.years_until(on))
}

/// `POST /api/me/guardian-consent`.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GuardianConsentRequest {
    /// The guardian's real name.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, required = true)
    )]
    pub name: String,
    /// The guardian's mobile number (stored sealed).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^1[3-9][0-9]{9}$", required = true)
    )]
    pub phone: String,
    /// e.g. 父亲, 母亲, 祖母.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10, required = true)
    )]
    pub relationship: String,
    /// The guardian has agreed to the volunteer's service.
    pub consent: bool,
}

impl std::fmt::Debug for GuardianConsentRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuardianConsentRequest(…)")
    }
}

impl GuardianConsentRequest {
    pub fn validate(&self) -> Result<Guardian, FieldError> {
        let name = parse_real_name(&self.name).map_err(|e| FieldError::new("name", e.reason))?;
        let phone = Phone::parse(&self.phone).map_err(|e| FieldError::new("phone", e))?;
        let relation = text::clean(&self.relationship, 10, false)
            .map_err(|e| FieldError::new("relationship", e))?;
        if !self.consent {
            return Err(FieldError::new(
                "consent",
                "the guardian's consent must be confirmed",
            ));
        }
        Ok(Guardian {
            name,
            phone,
            relation,
        })
    }
}

/// The consent as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardianConsent {
    pub guardian_name: String,
    pub relationship: String,
    /// When it was recorded (RFC 3339, +08:00).
    pub consent_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse_iso(s).expect("date")
    }

    fn request() -> GuardianConsentRequest {
        GuardianConsentRequest {
            name: "王建国".into(),
            phone: "13912345678".into(),
            relationship: "父亲".into(),
            consent: true,
        }
    }

    #[test]
    fn consent_is_needed_from_the_fourteenth_birthday_to_the_day_before_the_eighteenth() {
        let born = date("2010-06-15");
        assert!(!consent_needed(born, date("2024-06-14")));
        assert!(consent_needed(born, date("2024-06-15")));
        assert!(consent_needed(born, date("2028-06-14")));
        assert!(!consent_needed(born, date("2028-06-15")));
    }

    #[test]
    fn a_complete_request_is_valid_and_each_bad_field_is_named() {
        assert_eq!(request().validate().expect("valid").relation, "父亲");
        let bad = |f: fn(&mut GuardianConsentRequest)| {
            let mut r = request();
            f(&mut r);
            r.validate().err().map(|e| e.field)
        };
        assert_eq!(bad(|r| r.name = "王".into()), Some("name"));
        assert_eq!(bad(|r| r.phone = "12345".into()), Some("phone"));
        assert_eq!(bad(|r| r.relationship = " ".into()), Some("relationship"));
        assert_eq!(bad(|r| r.consent = false), Some("consent"));
    }
}
