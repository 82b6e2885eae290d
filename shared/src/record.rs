//! Service records and hours (志愿服务记录, SPEC §5), star levels, certificates and perks
//! (§6), and hours transfer between deployments (§7).
//!
//! Hours are kept as whole minutes everywhere below the wire: a total is a sum of integers,
//! so "counted exactly once" is a property that can be checked exactly.

use crate::slug_enum;
use crate::station::FieldError;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// `pending` until the organizer confirms; `corrected` is a confirmed record whose
    /// times were changed afterwards; `void` no longer counts.
    RecordStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Corrected = "corrected",
        Void = "void",
    }
}

impl RecordStatus {
    /// Whether the record's minutes are in the volunteer's total.
    pub fn counts(self) -> bool {
        matches!(self, Self::Confirmed | Self::Corrected)
    }
}

slug_enum! {
    /// What a change to a record was; every change is one audit entry.
    AuditAction {
        CheckIn = "check_in",
        CheckOut = "check_out",
        HandEntry = "hand_entry",
        AutoClose = "auto_close",
        Confirm = "confirm",
        Correct = "correct",
        Void = "void",
        Dispute = "dispute",
        Answer = "answer",
        Import = "import",
        /// The volunteer identity moved to another account (an identity appeal).
        IdentityMoved = "identity_moved",
        /// Created confirmed by an approved application for hours with evidence (补录).
        Backfill = "backfill",
    }
}

slug_enum! {
    /// How a record came to be: attendance (check-in, hand entry, transfer) or an approved
    /// application for hours with evidence (补录), which lists and certificates mark.
    #[derive(Default)]
    RecordSource {
        #[default]
        Attendance = "attendance",
        Backfill = "backfill",
    }
}

slug_enum! {
    DisputeStatus {
        Open = "open",
        Answered = "answered",
    }
}

slug_enum! {
    /// Perks (礼遇) a star level unlocks; the client words them.
    PerkKind {
        Insurance = "insurance",
        Bus = "bus",
        ScenicSpots = "scenic_spots",
        HealthCheck = "health_check",
        Shows = "shows",
        PriorityService = "priority_service",
        Recognition = "recognition",
    }
}

/// The perks catalogue: each perk and the lowest star level that unlocks it.
pub const PERKS: &[(PerkKind, u8)] = &[
    (PerkKind::Insurance, 1),
    (PerkKind::Bus, 1),
    (PerkKind::ScenicSpots, 2),
    (PerkKind::HealthCheck, 3),
    (PerkKind::Shows, 3),
    (PerkKind::PriorityService, 4),
    (PerkKind::Recognition, 5),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Perk {
    pub id: PerkKind,
    pub min_star: u8,
}

pub fn perks() -> Vec<Perk> {
    PERKS
        .iter()
        .map(|&(id, min_star)| Perk { id, min_star })
        .collect()
}

/// Star thresholds in minutes (100 h, 300 h, 600 h, 1000 h, 1500 h).
pub const STAR_MINUTES: [u64; 5] = [6_000, 18_000, 36_000, 60_000, 90_000];

/// Star level from confirmed minutes.
pub fn star_of_minutes(minutes: u64) -> u8 {
    STAR_MINUTES.iter().filter(|t| minutes >= **t).count() as u8
}

/// Hours as the wire shows them (minutes are whole, so halves are exact).
pub fn hours(minutes: u64) -> f64 {
    minutes as f64 / 60.0
}

/// Minutes of service between check-in and check-out: only inside the shift (early
/// arrival and travel are not service), rounded down to `step` minutes (the deployment's
/// rule; 30 by default).
pub fn served_minutes(shift: (i64, i64), check_in: i64, check_out: i64, step: u32) -> u32 {
    let from = check_in.max(shift.0);
    let to = check_out.min(shift.1);
    if to <= from || step == 0 {
        return 0;
    }
    let whole = ((to - from) / 60) as u32;
    whole / step * step
}

/// Volunteers may check in this long before a shift starts.
pub const CHECKIN_EARLY_SECONDS: i64 = 3600;
/// A check-in code changes every this many seconds; the previous one is still accepted,
/// so a code lives between 30 and 60 seconds.
pub const CODE_PERIOD_SECONDS: i64 = 30;
/// Hand-entered times may lie this far outside the shift (they count only inside it).
pub const HAND_ENTRY_SLACK_SECONDS: i64 = 6 * 3600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispute {
    pub reason: String,
    pub raised_at: String,
    pub status: DisputeStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
}

/// A service record (志愿服务记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRecord {
    pub id: String,
    /// Empty for records transferred in from elsewhere.
    pub activity_id: String,
    pub shift_id: String,
    pub org_id: String,
    pub org_name: String,
    pub activity_title: String,
    /// 服务内容: the activity's service field.
    pub content: String,
    pub address: String,
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    /// 1506**********1234
    pub id_masked: String,
    /// Local date of the service (YYYY-MM-DD).
    pub date: String,
    pub shift_starts_at: String,
    pub shift_ends_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<String>,
    pub hours: f64,
    pub status: RecordStatus,
    /// Training attendance (培训): confirmed like service, never in the service hours.
    #[serde(default)]
    pub training: bool,
    /// Closed automatically at the shift's end because nobody checked out: for review.
    pub auto_closed: bool,
    /// The check-in passed the activity's distance check (the position is not kept).
    pub location_checked: bool,
    /// `backfill` for hours with evidence (补录), shown marked as such.
    #[serde(default)]
    pub source: RecordSource,
    pub recorded_by: String,
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute: Option<Dispute>,
    /// The deployment a transferred-in record came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferred_from: Option<String>,
    pub version: u32,
}

/// The times and state a change started from or left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<String>,
    pub hours: f64,
    pub status: RecordStatus,
}

/// One change to a record: who, when, why, and the values before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub version: u32,
    pub action: AuditAction,
    pub by: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<RecordState>,
    pub after: RecordState,
}

/// `GET /api/records/{id}`: the record with its whole audit trail, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordDetail {
    pub record: ServiceRecord,
    pub audit: Vec<AuditEntry>,
}

/// `GET /api/shifts/{id}/checkin-code`: the code to show, and when it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinCode {
    pub shift_id: String,
    pub code: String,
    /// When the next code replaces this one (this one is accepted 30 s longer).
    pub changes_at: String,
    pub period_seconds: u32,
}

/// `POST /api/shifts/{id}/checkin`: the code on the organizer's screen; the position only
/// when the activity asks for a distance check.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CheckinRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, pattern = "^[0-9]{6}$")
    )]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lng: Option<f64>,
}

slug_enum! {
    CheckinAction {
        CheckedIn = "checked_in",
        CheckedOut = "checked_out",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinResult {
    pub action: CheckinAction,
    pub record: ServiceRecord,
}

/// Six digits, nothing else.
pub fn parse_code(raw: &str) -> Result<String, FieldError> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(FieldError::new(
            "code",
            "must be the 6 digits on the organizer's screen",
        ))
    }
}

/// `POST /api/shifts/{id}/attendance`: an organizer checks a volunteer in or out by hand.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AttendanceRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 64)
    )]
    pub user_id: String,
    /// RFC 3339; absent keeps the recorded check-in.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub check_in: Option<String>,
    /// RFC 3339; absent leaves the volunteer checked in.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub check_out: Option<String>,
}

/// Validated times of a hand entry or correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub check_in: Option<Timestamp>,
    pub check_out: Option<Timestamp>,
}

fn optional_time(
    field: &'static str,
    raw: &Option<String>,
) -> Result<Option<Timestamp>, FieldError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => Timestamp::parse(t)
            .map(Some)
            .map_err(|e| FieldError::new(field, e)),
    }
}

/// Checks hand-entered times against the shift: check-out after check-in, neither more
/// than six hours outside the shift, and no check-out in the future.
pub fn validate_times(
    check_in: &Option<String>,
    check_out: &Option<String>,
    shift: (i64, i64),
    now: Timestamp,
) -> Result<Times, FieldError> {
    let check_in = optional_time("check_in", check_in)?;
    let check_out = optional_time("check_out", check_out)?;
    let within = |t: Timestamp| {
        t.unix() >= shift.0 - HAND_ENTRY_SLACK_SECONDS
            && t.unix() <= shift.1 + HAND_ENTRY_SLACK_SECONDS
    };
    if let Some(t) = check_in
        && !within(t)
    {
        return Err(FieldError::new("check_in", "is not near the shift's time"));
    }
    if let Some(t) = check_out {
        if !within(t) {
            return Err(FieldError::new("check_out", "is not near the shift's time"));
        }
        if t > now {
            return Err(FieldError::new("check_out", "is in the future"));
        }
        if let Some(i) = check_in
            && t <= i
        {
            return Err(FieldError::new("check_out", "must be after the check-in"));
        }
    }
    if let Some(t) = check_in
        && t > now.plus(CHECKIN_EARLY_SECONDS)
    {
        return Err(FieldError::new("check_in", "is in the future"));
    }
    Ok(Times {
        check_in,
        check_out,
    })
}

/// `POST /api/records/{id}/correct`: new times, or `void`, and always a reason.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CorrectRequest {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub check_in: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub check_out: Option<String>,
    pub void: bool,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, required = true)
    )]
    pub reason: String,
}

/// `POST /api/records/{id}/dispute` (the volunteer) and `/answer` (the organisation).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReasonRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, required = true)
    )]
    pub reason: String,
}

/// `POST /api/shifts/{id}/records/confirm`: what confirming a whole shift did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmAllResult {
    pub confirmed: u32,
    /// Records still open (checked in, not out, shift not over) were left pending.
    pub still_open: u32,
    /// The caller's own records, left pending: nobody confirms their own hours.
    #[serde(default)]
    pub skipped_own: u32,
}

/// The caller's hours, stars and unlocked perks (`GET /api/me/records` carries the list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRecords {
    pub items: Vec<ServiceRecord>,
    pub next_cursor: Option<String>,
    pub total_hours: f64,
    pub star_level: u8,
    /// Hours still needed for the next star; absent at ★5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_to_next_star: Option<f64>,
    pub perks: Vec<Perk>,
}

/// 志愿服务记录证明: identity, service, issuer, and the certificate's own number and
/// verification code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub number: String,
    pub verification_code: String,
    pub issued_on: String,
    pub holder: CertificateHolder,
    pub records: Vec<CertificateLine>,
    pub total_hours: f64,
    pub issuer: CertificateIssuer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateHolder {
    pub real_name: String,
    /// `resident_id` (居民身份证) — the only kind registration takes today.
    pub id_type: String,
    pub id_masked: String,
    pub volunteer_no: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateLine {
    pub date: String,
    pub org_name: String,
    pub activity_title: String,
    pub content: String,
    pub hours: f64,
    pub transferred: bool,
    /// Hours with evidence (补录): listed marked as such.
    #[serde(default)]
    pub backfill: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateIssuer {
    pub organisation: String,
    /// 负责人
    pub person_in_charge: String,
    /// 经办人
    pub handling_officer: String,
    pub contact: String,
}

/// `GET /api/certificates/{code}`: what a verifier may see (the name masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateCheck {
    pub number: String,
    pub verification_code: String,
    pub issued_on: String,
    /// 张*三
    pub holder_name: String,
    pub volunteer_no: String,
    pub record_count: u32,
    pub total_hours: f64,
    pub issuer: String,
}

/// Masks a name for public display: the first and last character stay.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// A signed transfer file (异地转移): the payload, an Ed25519 signature over its JSON
/// encoding, and the signer's public key (the importer checks it is one it trusts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferFile {
    pub format: String,
    pub payload: TransferPayload,
    /// Base64 (URL-safe, unpadded) Ed25519 signature of the payload's JSON.
    pub signature: String,
    pub public_key: String,
}

pub const TRANSFER_FORMAT: &str = "zhiyuan-transfer/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferPayload {
    /// The exporting deployment's id.
    pub origin: String,
    pub exported_at: String,
    pub volunteer: TransferVolunteer,
    pub records: Vec<TransferRecord>,
}

/// Who the records belong to. The whole ID number is needed to match the volunteer at
/// the importing end; the file is the volunteer's own data, handed over by them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferVolunteer {
    pub real_name: String,
    pub id_number: String,
    pub volunteer_no: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferRecord {
    /// Unique across deployments (`deployment:record`), kept through further transfers.
    pub origin_id: String,
    pub org_name: String,
    pub activity_title: String,
    pub content: String,
    pub address: String,
    pub region_code: String,
    pub starts_at: String,
    pub ends_at: String,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferResult {
    pub imported: u32,
    /// Records this deployment has already (imported before, or its own).
    pub already_present: u32,
    /// Records overlapping one the volunteer has here: refused.
    pub overlapping: u32,
    pub volunteer_no: String,
    pub total_hours: f64,
}

/// `GET /api/transfers/key`: what another deployment adds to its trusted keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferKey {
    pub deployment: String,
    pub public_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;

    #[test]
    fn hours_count_only_inside_the_shift_rounded_down_to_the_half_hour() {
        let shift = (10 * H, 14 * H);
        assert_eq!(served_minutes(shift, 10 * H, 14 * H, 30), 240);
        // Arriving early (travel, waiting) adds nothing; leaving late neither.
        assert_eq!(served_minutes(shift, 9 * H, 15 * H, 30), 240);
        // 2 h 59 min counts 2.5 h.
        assert_eq!(served_minutes(shift, 10 * H, 12 * H + 59 * 60, 30), 150);
        assert_eq!(served_minutes(shift, 10 * H, 10 * H + 29 * 60, 30), 0);
        assert_eq!(served_minutes(shift, 15 * H, 16 * H, 30), 0);
        // Another deployment's rule: quarter hours.
        assert_eq!(served_minutes(shift, 10 * H, 10 * H + 50 * 60, 15), 45);
    }

    #[test]
    fn star_thresholds_are_inclusive_and_half_an_hour_short_is_not_enough() {
        let at = |h: f64| star_of_minutes((h * 60.0) as u64);
        assert_eq!(at(99.5), 0);
        assert_eq!(at(100.0), 1);
        assert_eq!(at(299.5), 1);
        assert_eq!(at(300.0), 2);
        assert_eq!(at(1499.5), 4);
        assert_eq!(at(1500.0), 5);
        assert_eq!(at(9000.0), 5);
    }

    #[test]
    fn only_confirmed_and_corrected_records_count() {
        let counting: Vec<_> = RecordStatus::ALL.iter().filter(|s| s.counts()).collect();
        assert_eq!(
            counting,
            [&RecordStatus::Confirmed, &RecordStatus::Corrected]
        );
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(parse_code(" 123 456 ").expect("accepted"), "123456");
        for bad in ["12345", "1234567", "12345a", ""] {
            assert_eq!(parse_code(bad).expect_err("refused").field, "code");
        }
    }

    #[test]
    fn hand_entered_times_are_checked_against_the_shift_and_the_clock() {
        let shift = (100 * H, 104 * H);
        let now = Timestamp::from_unix(105 * H);
        let t = |h: i64| Some(Timestamp::from_unix(h * H).rfc3339_cst());
        let ok = validate_times(&t(100), &t(103), shift, now).expect("accepted");
        assert_eq!(ok.check_out, Some(Timestamp::from_unix(103 * H)));
        let field = |i, o| {
            validate_times(&i, &o, shift, now)
                .expect_err("refused")
                .field
        };
        assert_eq!(field(t(103), t(101)), "check_out");
        assert_eq!(field(t(80), None), "check_in");
        assert_eq!(field(t(100), t(111)), "check_out");
        assert_eq!(field(Some("yesterday".into()), None), "check_in");
        // Not yet happened: a check-out can't be in the future.
        let early = Timestamp::from_unix(101 * H);
        assert_eq!(
            validate_times(&t(100), &t(103), shift, early)
                .expect_err("refused")
                .field,
            "check_out"
        );
    }

    #[test]
    fn names_are_masked_for_public_display() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_name("李"), "*");
    }

    #[test]
    fn every_perk_needs_a_star_from_one_to_five() {
        assert!(perks().iter().all(|p| (1..=5).contains(&p.min_star)));
        assert_eq!(perks().len(), PerkKind::ALL.len());
    }
}
