//! Assisted registration (代注册): a station manager or an organizer registers an older
//! resident who has no smartphone. The request and answer of
//! `POST /api/assisted-registrations` and of its code step, and the rules their fields
//! follow. The resident later takes the account over with a `reset` code on their phone
//! (`POST /api/auth/reset`), which marks the account taken over.

use crate::account::VolunteerRequest;
use crate::codes::VerificationCode;
use crate::identity::{Date, IdNumber, Phone};
use crate::region::RegionCode;
use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

/// Registrations one helper may make per Beijing calendar day: enough for a busy station
/// morning, few enough that a misused account cannot mint accounts in bulk.
pub const MAX_PER_HELPER_PER_DAY: u32 = 20;
/// Codes one helper may have sent per Beijing day (a resident may need a second code).
pub const MAX_CODES_PER_HELPER_PER_DAY: u32 = 40;
/// The youngest resident a helper may register: minors register with a guardian.
pub const MIN_AGE: u16 = 18;
/// The longest consent note (where the signed paper form is kept, its number).
pub const CONSENT_NOTE_MAX: usize = 200;

/// `POST /api/assisted-registrations/codes`: send an `assisted_register` code to the
/// resident's phone; the resident reads it out to the helper.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AssistedCodeRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^1[3-9][0-9]{9}$", required = true)
    )]
    pub phone: String,
}

impl AssistedCodeRequest {
    pub fn validate(&self) -> Result<Phone, FieldError> {
        Phone::parse(&self.phone).map_err(|e| FieldError::new("phone", e))
    }
}

/// `POST /api/assisted-registrations`. With `phone`, `code` is the `assisted_register`
/// code the resident read out; without a phone, `paper_consent` and `consent_note`
/// record the resident's signed paper consent and the account has no phone login.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AssistedRegistrationRequest {
    /// How the resident is shown (e.g. 王奶奶).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, required = true)
    )]
    pub display_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 2, max_length = 30, required = true)
    )]
    pub real_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{17}[0-9Xx]$", required = true)
    )]
    pub id_number: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[1-9][0-9]{5}$", required = true)
    )]
    pub region_code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::account::ServiceField>, min_items = 1, max_items = 15, required = true))]
    pub service_fields: Vec<String>,
    /// The resident's phone; empty or absent for a resident without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^1[3-9][0-9]{9}$"))]
    pub phone: Option<String>,
    /// The `assisted_register` code sent to `phone`; required with a phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: Option<String>,
    /// The helper read the personal-information notice to the resident, who agreed.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub consent: bool,
    /// Without a phone: the resident signed the paper consent form.
    pub paper_consent: bool,
    /// Without a phone: where the signed form is kept (its number, the station's file).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub consent_note: String,
}

impl std::fmt::Debug for AssistedRegistrationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AssistedRegistrationRequest(…)")
    }
}

/// How the resident's agreement was given.
#[derive(Debug)]
pub enum AssistedProof {
    /// The resident's phone, proved by the code they read out.
    Phone {
        phone: Phone,
        code: VerificationCode,
    },
    /// No phone: a signed paper consent form, and where it is kept.
    Paper { note: String },
}

/// A validated assisted registration.
#[derive(Debug)]
pub struct AssistedDraft {
    pub display_name: String,
    pub real_name: String,
    pub id_number: IdNumber,
    pub region_code: RegionCode,
    pub service_fields: Vec<crate::account::ServiceField>,
    pub proof: AssistedProof,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl AssistedRegistrationRequest {
    pub fn validate(&self, today: Date) -> Result<AssistedDraft, FieldError> {
        let display_name = text::clean(&self.display_name, 30, false)
            .map_err(|e| FieldError::new("display_name", e))?;
        // The same rules as self-service real-name registration (name, ID number,
        // region, fields), through the same validation.
        let v = VolunteerRequest {
            real_name: self.real_name.clone(),
            id_number: self.id_number.clone(),
            region_code: self.region_code.clone(),
            service_fields: self.service_fields.clone(),
            groups: vec![],
            skills: vec![],
            consent: self.consent,
            guardian: None,
        };
        // Before the shared rules, which would ask a minor for a guardian instead.
        if let Ok(id) = IdNumber::parse(&self.id_number, today)
            && id.birth_date().years_until(today) < MIN_AGE
        {
            return Err(FieldError::new(
                "id_number",
                "assisted registration is for adults; a minor registers with a guardian",
            ));
        }
        let draft = v.validate(today)?;
        let proof = match present(&self.phone) {
            Some(raw) => {
                let phone = Phone::parse(raw).map_err(|e| FieldError::new("phone", e))?;
                let code = VerificationCode::parse(present(&self.code).unwrap_or(""))?;
                AssistedProof::Phone { phone, code }
            }
            None => {
                if !self.paper_consent {
                    return Err(FieldError::new(
                        "paper_consent",
                        "without a phone, the resident's signed paper consent is required",
                    ));
                }
                let note = text::clean(&self.consent_note, CONSENT_NOTE_MAX, false)
                    .map_err(|e| FieldError::new("consent_note", e))?;
                AssistedProof::Paper { note }
            }
        };
        Ok(AssistedDraft {
            display_name,
            real_name: draft.real_name,
            id_number: draft.id_number,
            region_code: draft.region_code,
            service_fields: draft.service_fields,
            proof,
        })
    }
}

/// The answer to a registration: who was registered, and whether they can sign in by
/// phone. No token: the helper never holds the resident's account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistedRegistration {
    pub user_id: String,
    pub display_name: String,
    /// 志愿者编号.
    pub volunteer_no: String,
    /// 138****5678, or none for a resident without a phone.
    pub phone_masked: Option<String>,
    pub assisted_at: String,
}

/// The assisted mark of an account, as its owner sees it in `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistedMark {
    /// When the account was registered by a helper.
    pub assisted_at: String,
    /// Whether it was registered with a phone (else on paper consent).
    pub with_phone: bool,
    /// When the resident took it over (set a password with a code on the phone).
    pub taken_over_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse_iso("2026-11-29").expect("date")
    }

    /// A valid ID number of someone born in 1950.
    fn id_1950() -> String {
        let body = "15060219500314123";
        format!(
            "{body}{}",
            crate::identity::check_digit(body).expect("digit")
        )
    }

    fn req() -> AssistedRegistrationRequest {
        AssistedRegistrationRequest {
            display_name: "王奶奶".into(),
            real_name: "王秀兰".into(),
            id_number: id_1950(),
            region_code: "150602".into(),
            service_fields: vec!["community_service".into()],
            phone: Some("13812345678".into()),
            code: Some("123456".into()),
            consent: true,
            paper_consent: false,
            consent_note: String::new(),
        }
    }

    #[test]
    fn with_a_phone_the_code_is_required() {
        assert!(matches!(
            req().validate(today()).expect("ok").proof,
            AssistedProof::Phone { .. }
        ));
        let mut r = req();
        r.code = None;
        assert_eq!(r.validate(today()).expect_err("refused").field, "code");
    }

    #[test]
    fn without_a_phone_paper_consent_and_its_note_are_required() {
        let mut r = req();
        r.phone = Some("  ".into());
        assert_eq!(
            r.validate(today()).expect_err("refused").field,
            "paper_consent"
        );
        r.paper_consent = true;
        assert_eq!(
            r.validate(today()).expect_err("refused").field,
            "consent_note"
        );
        r.consent_note = "东胜区XX站 纸质同意书 第12号".into();
        assert!(matches!(
            r.validate(today()).expect("ok").proof,
            AssistedProof::Paper { .. }
        ));
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut AssistedRegistrationRequest);
        let cases: [(&str, Spoil); 6] = [
            ("display_name", |r| r.display_name = " ".into()),
            ("real_name", |r| r.real_name = "王".into()),
            ("id_number", |r| r.id_number = "150602195003141234".into()),
            ("region_code", |r| r.region_code = "abc".into()),
            ("service_fields", |r| r.service_fields = vec![]),
            ("consent", |r| r.consent = false),
        ];
        for (field, spoil) in cases {
            let mut r = req();
            spoil(&mut r);
            assert_eq!(r.validate(today()).expect_err(field).field, field);
        }
    }
}
