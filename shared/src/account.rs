//! Accounts, real-name volunteers and roles: the request and response shapes of
//! `/api/auth/*` and `/api/me*`, and the rules their fields follow.

use crate::identity::{Date, Gender, IdNumber, IdNumberError, Phone};
use crate::region::RegionCode;
use crate::slug_enum;
use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// 服务领域 (SPEC §2).
    ServiceField {
        Education = "education",
        Science = "science",
        FireSafety = "fire_safety",
        Charity = "charity",
        Law = "law",
        Environment = "environment",
        Traffic = "traffic",
        CultureSports = "culture_sports",
        MedicalHealth = "medical_health",
        ElderlyCare = "elderly_care",
        ChildCare = "child_care",
        DisabilitySupport = "disability_support",
        EmergencyRescue = "emergency_rescue",
        OnlineCivility = "online_civility",
        CommunityService = "community_service",
    }
}

slug_enum! {
    /// Groups with their own yearly minimum hours (SPEC §10).
    VolunteerGroup {
        PartyMember = "party_member",
        Cadre = "cadre",
        CollegeStudent = "college_student",
        SchoolStudent = "school_student",
        Worker = "worker",
        WomensTeam = "womens_team",
        Youth = "youth",
    }
}

slug_enum! {
    /// A role beyond "volunteer" (which is the real-name profile itself). Each is scoped.
    Role {
        /// Scope: an organisation id.
        Organizer = "organizer",
        /// Scope: a station id.
        StationManager = "station_manager",
        /// Scope: a region code; a city code covers its banners.
        RegionAdmin = "region_admin",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleGrant {
    pub role: Role,
    pub scope: String,
}

/// A password as typed: 8 to 128 characters, not only digits. Never logged.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(FieldError::new("password", "must be at least 8 characters"));
        }
        if n > 128 {
            return Err(FieldError::new(
                "password",
                "must be at most 128 characters",
            ));
        }
        if raw.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::new("password", "must not be only digits"));
        }
        Ok(Self(raw.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

// A missing field deserialises as empty, so validation names it (400 with `field`).
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RegisterRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^1[3-9][0-9]{9}$", required = true)
    )]
    pub phone: String,
    /// The `register` code sent to the phone (`POST /api/auth/codes`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$", required = true))]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 8, max_length = 128, required = true)
    )]
    pub password: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, required = true)
    )]
    pub display_name: String,
}

/// A validated registration.
#[derive(Debug)]
pub struct Registration {
    pub phone: Phone,
    pub code: crate::codes::VerificationCode,
    pub password: Password,
    pub display_name: String,
}

impl RegisterRequest {
    pub fn validate(&self) -> Result<Registration, FieldError> {
        let phone = Phone::parse(&self.phone).map_err(|e| FieldError::new("phone", e))?;
        let password = Password::parse(&self.password)?;
        let display_name = text::clean(&self.display_name, 30, false)
            .map_err(|e| FieldError::new("display_name", e))?;
        let code = crate::codes::VerificationCode::parse(&self.code)?;
        Ok(Registration {
            phone,
            code,
            password,
            display_name,
        })
    }
}

// Debug never prints the password or the whole phone.
impl std::fmt::Debug for RegisterRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegisterRequest(…)")
    }
}

#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LoginRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^1[3-9][0-9]{9}$", required = true)
    )]
    pub phone: String,
    /// Sign in with the password…
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: String,
    /// …or with a `login` code sent to the phone (验证码登录), the password left empty.
    /// A region admin gives both: the password, then, after the answer 401
    /// `second_factor_required`, the password again with the `second_factor` code that
    /// answer sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: Option<String>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginRequest(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterResponse {
    pub user_id: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    pub user: Me,
}

/// `GET /api/me`: the caller's own profile, personal data masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user_id: String,
    pub display_name: String,
    /// 138****5678
    pub phone_masked: String,
    pub roles: Vec<RoleGrant>,
    pub volunteer: Option<VolunteerProfile>,
    pub total_hours: f64,
    pub star_level: u8,
    /// Set when a helper registered the account (代注册).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assisted: Option<crate::assisted::AssistedMark>,
}

impl Me {
    pub fn has(&self, role: Role, scope: &str) -> bool {
        self.roles
            .iter()
            .any(|g| g.role == role && g.scope == scope)
    }
    pub fn admin_regions(&self) -> impl Iterator<Item = &str> {
        self.roles
            .iter()
            .filter(|g| g.role == Role::RegionAdmin)
            .map(|g| g.scope.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerProfile {
    /// 志愿者编号: region code, then a serial.
    pub volunteer_no: String,
    pub real_name: String,
    /// 1506**********1234
    pub id_number_masked: String,
    pub gender: Gender,
    /// YYYY-MM-DD, derived from the ID number.
    pub birth_date: String,
    pub region_code: String,
    pub service_fields: Vec<ServiceField>,
    pub groups: Vec<VolunteerGroup>,
    pub skills: Vec<String>,
    pub registered_at: String,
    /// Set when the volunteer was under 14 at registration.
    pub guardian_name: Option<String>,
}

/// `POST /api/me/reveal`: the owner's own "show" action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revealed {
    pub phone: String,
    pub id_number: Option<String>,
}

#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardianInput {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, required = true)
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^1[3-9][0-9]{9}$"))]
    pub phone: String,
    /// e.g. 父亲, 母亲.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10, required = true)
    )]
    pub relation: String,
}

#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct VolunteerRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, required = true)
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
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ServiceField>, min_items = 1, max_items = 15, required = true))]
    pub service_fields: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<VolunteerGroup>, max_items = 7))]
    pub groups: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub skills: Vec<String>,
    /// The volunteer agrees to the personal-information notice (PIPL); recorded with time.
    #[serde(default)]
    pub consent: bool,
    /// Required when the volunteer is under 14.
    #[serde(default)]
    pub guardian: Option<GuardianInput>,
}

impl std::fmt::Debug for VolunteerRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VolunteerRequest(…)")
    }
}

/// The age below which a guardian's consent is required (PIPL art. 31).
pub const GUARDIAN_AGE: u16 = 14;

#[derive(Debug)]
pub struct Guardian {
    pub name: String,
    pub phone: Phone,
    pub relation: String,
}

/// A validated real-name registration.
#[derive(Debug)]
pub struct VolunteerDraft {
    pub real_name: String,
    pub id_number: IdNumber,
    pub region_code: RegionCode,
    pub service_fields: Vec<ServiceField>,
    pub groups: Vec<VolunteerGroup>,
    pub skills: Vec<String>,
    pub guardian: Option<Guardian>,
}

/// Why an ID number was refused, for the UI to translate.
pub fn id_number_reason(e: &IdNumberError) -> &'static str {
    match e {
        IdNumberError::Format => "format",
        IdNumberError::Checksum => "checksum",
        IdNumberError::BirthDate => "birth_date",
        IdNumberError::Region => "region",
    }
}

/// A real name: 2–30 characters of letters (Han or Latin), with the middle dot of
/// minority and foreign names (·) and spaces between Latin words.
pub fn parse_real_name(raw: &str) -> Result<String, FieldError> {
    let name = text::clean(raw, 30, false).map_err(|e| FieldError::new("real_name", e))?;
    if name.chars().count() < 2 {
        return Err(FieldError::new(
            "real_name",
            "must be at least 2 characters",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_alphabetic() || c == '·' || c == '•' || c == ' ')
    {
        return Err(FieldError::new(
            "real_name",
            "must contain only letters and the middle dot (·)",
        ));
    }
    Ok(name)
}

impl VolunteerRequest {
    pub fn validate(&self, today: Date) -> Result<VolunteerDraft, FieldError> {
        let real_name = parse_real_name(&self.real_name)?;
        let id_number =
            IdNumber::parse(&self.id_number, today).map_err(|e| FieldError::new("id_number", e))?;
        let region_code =
            RegionCode::parse(&self.region_code).map_err(|e| FieldError::new("region_code", e))?;
        let service_fields = crate::slug::parse_list(
            "service_fields",
            &self.service_fields,
            ServiceField::ALL.len(),
            true,
            ServiceField::from_slug,
        )?;
        let groups = crate::slug::parse_list(
            "groups",
            &self.groups,
            VolunteerGroup::ALL.len(),
            false,
            VolunteerGroup::from_slug,
        )?;
        let skills = parse_skills(&self.skills)?;
        if !self.consent {
            return Err(FieldError::new(
                "consent",
                "the personal-information notice must be accepted",
            ));
        }
        let age = id_number.birth_date().years_until(today);
        let guardian = if age < GUARDIAN_AGE {
            let g = self.guardian.as_ref().ok_or_else(|| {
                FieldError::new("guardian", "a guardian's consent is required under 14")
            })?;
            Some(Guardian {
                name: parse_real_name(&g.name)
                    .map_err(|e| FieldError::new("guardian.name", e.reason))?,
                phone: Phone::parse(&g.phone).map_err(|e| FieldError::new("guardian.phone", e))?,
                relation: text::clean(&g.relation, 10, false)
                    .map_err(|e| FieldError::new("guardian.relation", e))?,
            })
        } else {
            None
        };
        Ok(VolunteerDraft {
            real_name,
            id_number,
            region_code,
            service_fields,
            groups,
            skills,
            guardian,
        })
    }
}

/// Up to 10 distinct skills (特长) of up to 20 characters each.
pub fn parse_skills(raw: &[String]) -> Result<Vec<String>, FieldError> {
    if raw.len() > 10 {
        return Err(FieldError::new("skills", "at most 10 skills"));
    }
    let mut skills = Vec::new();
    for s in raw {
        let s = text::clean(s, 20, false).map_err(|e| FieldError::new("skills", e))?;
        if !skills.contains(&s) {
            skills.push(s);
        }
    }
    Ok(skills)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of<T: std::fmt::Debug>(r: Result<T, FieldError>) -> &'static str {
        r.err().map(|e| e.field).unwrap_or("(no error)")
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 22,
    };

    fn adult() -> VolunteerRequest {
        VolunteerRequest {
            real_name: "王小明".into(),
            id_number: "11010519491231002X".into(),
            region_code: "150602".into(),
            service_fields: vec!["elderly_care".into(), "education".into()],
            groups: vec!["party_member".into()],
            skills: vec!["急救".into()],
            consent: true,
            guardian: None,
        }
    }

    #[test]
    fn a_complete_adult_registration_validates_with_its_lists_sorted() {
        let d = adult().validate(TODAY).expect("valid");
        assert_eq!(
            d.service_fields,
            vec![ServiceField::Education, ServiceField::ElderlyCare]
        );
        assert!(d.guardian.is_none());
    }

    #[test]
    fn each_bad_volunteer_field_is_named() {
        type Change = Box<dyn Fn(&mut VolunteerRequest)>;
        let cases: Vec<(&str, Change)> = vec![
            ("real_name", Box::new(|r| r.real_name = "王".into())),
            ("real_name", Box::new(|r| r.real_name = "王1明".into())),
            (
                "id_number",
                Box::new(|r| r.id_number = "110105194912310021".into()),
            ),
            ("region_code", Box::new(|r| r.region_code = "15060".into())),
            ("service_fields", Box::new(|r| r.service_fields.clear())),
            (
                "service_fields",
                Box::new(|r| r.service_fields = vec!["flying".into()]),
            ),
            (
                "groups",
                Box::new(|r| r.groups = vec!["cadre".into(), "cadre".into()]),
            ),
            ("skills", Box::new(|r| r.skills = vec![" ".into()])),
            ("consent", Box::new(|r| r.consent = false)),
        ];
        for (field, change) in cases {
            let mut r = adult();
            change(&mut r);
            assert_eq!(field_of(r.validate(TODAY)), field);
        }
    }

    #[test]
    fn a_child_under_fourteen_needs_a_guardians_consent() {
        // Born 2015-03-07: eleven on TODAY. Check digit computed by GB 11643.
        let mut r = adult();
        r.id_number = child_id();
        assert_eq!(field_of(r.validate(TODAY)), "guardian");
        r.guardian = Some(GuardianInput {
            name: "王大明".into(),
            phone: "13912345678".into(),
            relation: "父亲".into(),
        });
        assert!(r.validate(TODAY).expect("valid").guardian.is_some());
        r.guardian = Some(GuardianInput {
            phone: "123".into(),
            ..r.guardian.clone().unwrap_or_default()
        });
        assert_eq!(field_of(r.validate(TODAY)), "guardian.phone");
    }

    fn child_id() -> String {
        with_check_digit("15060220150307001")
    }

    /// Appends the GB 11643 check digit to 17 digits.
    pub fn with_check_digit(first17: &str) -> String {
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = first17
            .bytes()
            .zip(W)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
    }

    #[test]
    fn passwords_need_eight_characters_and_not_only_digits() {
        assert!(Password::parse("short1").is_err());
        assert!(Password::parse("12345678").is_err());
        assert!(Password::parse(&"a".repeat(129)).is_err());
        assert!(Password::parse("demo-pass-2026").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("demo-pass-2026")),
            "Ok(Password(…))"
        );
    }
}
