//! Hours with evidence (补录): a volunteer who served at an activity of their organisation
//! without checking in (a village event with a paper sign-in sheet) applies for the hours
//! with evidence; an organizer of the organisation approves (the record is created as
//! confirmed and marked 补录) or refuses with a reason.
//!
//! States: `pending` → `approved` | `refused`, once.

use crate::archive::Attachment;
use crate::slug_enum;
use crate::station::FieldError;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Where an application is.
    BackfillStatus {
        Pending = "pending",
        Approved = "approved",
        Refused = "refused",
    }
}

/// An application may be for service at most this many days ago.
pub const BACKFILL_DAYS: i64 = 30;
/// Evidence files one application names: at least one, at most this many.
pub const MAX_EVIDENCE: usize = 5;
/// Longest "what I did", in characters.
pub const MAX_CONTENT_CHARS: usize = 500;

/// `POST /api/orgs/{id}/backfills`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BackfillRequest {
    /// A past shift of one of the organisation's activities.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, required = true)
    )]
    pub shift_id: String,
    /// When the volunteer started, RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime, required = true))]
    pub check_in: String,
    /// When they stopped, RFC 3339; not in the future.
    #[cfg_attr(feature = "openapi", schema(format = DateTime, required = true))]
    pub check_out: String,
    /// What they did.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, required = true)
    )]
    pub content: String,
    /// Ids of evidence files uploaded to the activity's archive (kind `evidence`).
    #[cfg_attr(
        feature = "openapi",
        schema(min_items = 1, max_items = 5, required = true)
    )]
    pub evidence: Vec<String>,
}

/// A checked [`BackfillRequest`]: the shape only; the shift, the 30-day rule and overlaps
/// are checked against the store.
#[derive(Debug, Clone, PartialEq)]
pub struct BackfillDraft {
    pub shift_id: String,
    pub check_in: Timestamp,
    pub check_out: Timestamp,
    pub content: String,
    pub evidence: Vec<String>,
}

fn time(field: &'static str, raw: &str) -> Result<Timestamp, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    Timestamp::parse(t).map_err(|e| FieldError::new(field, e))
}

impl BackfillRequest {
    /// Checks each field's shape and the times against `now`: the first fault is named.
    pub fn validate(&self, now: Timestamp) -> Result<BackfillDraft, FieldError> {
        let shift_id = self.shift_id.trim();
        if shift_id.is_empty() || shift_id.len() > 64 {
            return Err(FieldError::new("shift_id", "choose the shift you served"));
        }
        let check_in = time("check_in", &self.check_in)?;
        let check_out = time("check_out", &self.check_out)?;
        if check_out <= check_in {
            return Err(FieldError::new("check_out", "must be after the start"));
        }
        if check_out > now {
            return Err(FieldError::new("check_out", "is in the future"));
        }
        if check_in < now.plus(-BACKFILL_DAYS * 24 * 3600) {
            return Err(FieldError::new(
                "check_in",
                format!("is more than {BACKFILL_DAYS} days ago"),
            ));
        }
        let content = crate::text::clean(&self.content, MAX_CONTENT_CHARS, true)
            .map_err(|e| FieldError::new("content", e))?;
        let mut evidence: Vec<String> =
            self.evidence.iter().map(|e| e.trim().to_string()).collect();
        if evidence.is_empty() {
            return Err(FieldError::new(
                "evidence",
                "add at least one photo or scan of the sign-in sheet",
            ));
        }
        if evidence.len() > MAX_EVIDENCE {
            return Err(FieldError::new(
                "evidence",
                format!("name at most {MAX_EVIDENCE} files"),
            ));
        }
        evidence.sort();
        evidence.dedup();
        if evidence.len() != self.evidence.len() {
            return Err(FieldError::new("evidence", "names a file twice"));
        }
        Ok(BackfillDraft {
            shift_id: shift_id.to_string(),
            check_in,
            check_out,
            content,
            evidence,
        })
    }
}

/// `POST /api/backfills/{id}/refuse`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RefuseBackfill {
    /// Told to the applicant.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, required = true)
    )]
    pub reason: String,
}

/// One application, as its applicant and the organisation's organizers see it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Backfill {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub activity_id: String,
    pub shift_id: String,
    pub activity_title: String,
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    pub shift_starts_at: String,
    pub shift_ends_at: String,
    pub check_in: String,
    pub check_out: String,
    /// The hours the record will count (inside the shift, by the deployment's step).
    pub hours: f64,
    pub content: String,
    /// The evidence files, with download links while they last.
    pub evidence: Vec<Attachment>,
    pub status: BackfillStatus,
    pub applied_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The record an approval created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
}

/// `GET /api/orgs/{id}/backfills` and `GET /api/me/backfills`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Backfills {
    pub items: Vec<Backfill>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::parse("2026-06-20T12:00:00+08:00").expect("time")
    }

    fn request(check_in: &str, check_out: &str) -> BackfillRequest {
        BackfillRequest {
            shift_id: "01HZ#1".into(),
            check_in: check_in.into(),
            check_out: check_out.into(),
            content: "帮老人打扫院子".into(),
            evidence: vec!["01J0000000000000000000000A".into()],
        }
    }

    #[test]
    fn a_past_service_within_thirty_days_is_accepted() {
        let d = request("2026-06-10T09:00:00+08:00", "2026-06-10T11:00:00+08:00")
            .validate(now())
            .expect("accepted");
        assert_eq!(d.evidence.len(), 1);
    }

    #[test]
    fn service_longer_ago_than_thirty_days_is_refused_on_check_in() {
        let e = request("2026-05-20T09:00:00+08:00", "2026-05-20T11:00:00+08:00")
            .validate(now())
            .expect_err("refused");
        assert_eq!(e.field, "check_in");
    }

    #[test]
    fn an_end_in_the_future_is_refused_on_check_out() {
        let e = request("2026-06-20T11:00:00+08:00", "2026-06-20T13:00:00+08:00")
            .validate(now())
            .expect_err("refused");
        assert_eq!(e.field, "check_out");
    }

    #[test]
    fn no_evidence_is_refused_on_evidence() {
        let mut r = request("2026-06-10T09:00:00+08:00", "2026-06-10T11:00:00+08:00");
        r.evidence.clear();
        assert_eq!(r.validate(now()).expect_err("refused").field, "evidence");
        r.evidence = vec!["a".into(), "a".into()];
        assert_eq!(r.validate(now()).expect_err("refused").field, "evidence");
    }
}
