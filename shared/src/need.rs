//! Needs and matching (供需对接, SPEC §8): a resident posts what is needed, for whom,
//! where and when; an organisation claims it, turns it into an activity and marks it done.

use crate::activity::ServiceTarget;
use crate::geo::LatLng;
use crate::region::RegionCode;
use crate::slug_enum;
use crate::station::FieldError;
use crate::text;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// open → claimed (by an organisation) → done; or open → withdrawn (by the poster); or
    /// open → dispatched (派单, to a named organisation) → claimed when it accepts (接单),
    /// back to open when it declines or lets the deadline pass.
    NeedStatus {
        Open = "open",
        Claimed = "claimed",
        Done = "done",
        Withdrawn = "withdrawn",
        Dispatched = "dispatched",
    }
}

slug_enum! {
    /// How a dispatch ended.
    DispatchOutcome {
        Accepted = "accepted",
        Declined = "declined",
        /// Nobody answered by the deadline; the scheduled job returned the need.
        Expired = "expired",
    }
}

/// The shortest and longest time an organisation may be given to answer a dispatch.
pub const DISPATCH_ANSWER_MIN_SECS: i64 = 3600;
pub const DISPATCH_ANSWER_MAX_SECS: i64 = 14 * 86_400;
/// A need is dispatched at most this many times (its history lives in the need's item).
pub const MAX_DISPATCHES: usize = 20;

/// One dispatch of a need: to whom, by whom, when, and how it ended (`outcome` is absent
/// while the organisation has yet to answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispatch {
    pub org_id: String,
    pub org_name: String,
    /// The dispatcher's name, masked.
    pub dispatched_by: String,
    pub dispatched_at: String,
    /// The deadline to answer.
    pub answer_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<DispatchOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
    /// Why the organisation declined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/needs/{id}/dispatch` (派单).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DispatchRequest {
    /// The approved organisation, whose region covers the need's.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 64)
    )]
    pub org_id: String,
    /// The deadline to answer (RFC 3339), 1 hour to 14 days ahead.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = DateTime, max_length = 40)
    )]
    pub answer_by: String,
}

impl DispatchRequest {
    /// The deadline, checked against `now`; the organisation is checked by the service.
    pub fn validate(&self, now: Timestamp) -> Result<Timestamp, FieldError> {
        if self.org_id.trim().is_empty() {
            return Err(FieldError::new("org_id", "choose the organisation"));
        }
        let at = Timestamp::parse(&self.answer_by).map_err(|_| {
            FieldError::new("answer_by", "must be a time like 2026-05-01T18:00:00+08:00")
        })?;
        if at.unix() < now.unix() + DISPATCH_ANSWER_MIN_SECS {
            return Err(FieldError::new(
                "answer_by",
                "must be at least 1 hour ahead",
            ));
        }
        if at.unix() > now.unix() + DISPATCH_ANSWER_MAX_SECS {
            return Err(FieldError::new(
                "answer_by",
                "must be at most 14 days ahead",
            ));
        }
        Ok(at)
    }
}

/// `POST /api/needs/{id}/decline`: why the organisation cannot take it on.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DeclineRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 2, max_length = 200, required = true)
    )]
    pub reason: String,
}

impl DeclineRequest {
    pub fn validate(&self) -> Result<String, FieldError> {
        let r = text::clean(&self.reason, 200, false).map_err(|e| FieldError::new("reason", e))?;
        if r.chars().count() < 2 {
            return Err(FieldError::new("reason", "say why, in a few words"));
        }
        Ok(r)
    }
}

/// `POST /api/needs`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NeedInput {
    /// What is needed, in a line (e.g. 独居老人每周助餐).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 2, max_length = 60, required = true)
    )]
    pub title: String,
    /// The details.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, required = true)
    )]
    pub description: String,
    /// Who it is for.
    #[cfg_attr(feature = "openapi", schema(value_type = ServiceTarget, required = true))]
    pub service_target: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 120, required = true)
    )]
    pub address: String,
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90, required = true))]
    pub lat: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180, required = true))]
    pub lng: Option<f64>,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[1-9][0-9]{5}$", required = true)
    )]
    pub region_code: String,
    /// When, in words (e.g. 每周六上午).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 60, required = true)
    )]
    pub when: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NeedDraft {
    pub title: String,
    pub description: String,
    pub service_target: ServiceTarget,
    pub address: String,
    pub at: LatLng,
    pub region_code: RegionCode,
    pub when: String,
}

impl NeedInput {
    /// Checks every field; the first fault is named.
    pub fn validate(&self) -> Result<NeedDraft, FieldError> {
        let title = text::clean(&self.title, 60, false).map_err(|e| FieldError::new("title", e))?;
        if title.chars().count() < 2 {
            return Err(FieldError::new("title", "must be at least 2 characters"));
        }
        let description = text::clean(&self.description, 1000, true)
            .map_err(|e| FieldError::new("description", e))?;
        let service_target = ServiceTarget::from_slug(self.service_target.trim())
            .ok_or_else(|| FieldError::new("service_target", "is not a known service target"))?;
        let address =
            text::clean(&self.address, 120, false).map_err(|e| FieldError::new("address", e))?;
        let (Some(lat), Some(lng)) = (self.lat, self.lng) else {
            return Err(FieldError::new("lat", "give the place's coordinates"));
        };
        let at = LatLng::new(lat, lng).map_err(|e| FieldError::new("lat", e))?;
        let region_code =
            RegionCode::parse(&self.region_code).map_err(|e| FieldError::new("region_code", e))?;
        let when = text::clean(&self.when, 60, false).map_err(|e| FieldError::new("when", e))?;
        Ok(NeedDraft {
            title,
            description,
            service_target,
            address,
            at,
            region_code,
            when,
        })
    }
}

/// A need as shown. Everyone sees its area (the region and the centre of its ≈ 1 km grid
/// cell), what help is needed and when; the exact place and who asked are in `place`, which
/// only the poster, the organizers of the organisation that claimed it and the region
/// admins over its region receive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    pub id: String,
    pub title: String,
    pub description: String,
    pub service_target: ServiceTarget,
    pub region_code: String,
    /// Latitude of the centre of the need's ≈ 1 km grid cell (the same for every caller),
    /// never the exact point.
    pub lat: f64,
    /// Longitude of the centre of the need's ≈ 1 km grid cell.
    pub lng: f64,
    pub when: String,
    pub status: NeedStatus,
    pub posted_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by_org_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by_org_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<String>,
    /// The activity the claiming organisation made of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<String>,
    /// Whether the caller posted it.
    pub mine: bool,
    /// From the point asked about to the cell's centre, when the list was "near".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// The exact place and the poster: present only for those allowed to see them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<NeedPlace>,
    /// While dispatched: to whom, and the deadline to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch: Option<Dispatch>,
    /// Every dispatch so far, oldest first: for those who see the exact place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispatches: Vec<Dispatch>,
}

/// Where exactly, and who asked (the poster's name masked as everywhere).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedPlace {
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub posted_by: String,
}

/// `POST /api/needs/{id}/claim`: which of the caller's organisations takes it on.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ClaimRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 64)
    )]
    pub org_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NeedInput {
        NeedInput {
            title: "独居老人每周助餐".into(),
            description: "王奶奶腿脚不便，需要每周送两次午餐".into(),
            service_target: "empty_nest_elderly".into(),
            address: "东胜区铁西街道建设社区".into(),
            lat: Some(39.817),
            lng: Some(109.977),
            region_code: "150602".into(),
            when: "每周二、周五中午".into(),
        }
    }

    #[test]
    fn a_complete_need_is_accepted() {
        let d = input().validate().expect("valid");
        assert_eq!(d.service_target, ServiceTarget::EmptyNestElderly);
        assert_eq!(d.region_code.as_str(), "150602");
    }

    #[test]
    fn a_dispatch_deadline_is_an_hour_to_fourteen_days_ahead() {
        let now = Timestamp::parse("2026-05-01T10:00:00+08:00").expect("now");
        let at = |t: &str| DispatchRequest {
            org_id: "o".into(),
            answer_by: t.into(),
        };
        let field = |r: DispatchRequest| r.validate(now).map(|_| ()).map_err(|e| e.field);
        assert_eq!(field(at("2026-05-01T11:00:00+08:00")), Ok(()));
        assert_eq!(field(at("2026-05-15T10:00:00+08:00")), Ok(()));
        assert_eq!(field(at("2026-05-01T10:59:00+08:00")), Err("answer_by"));
        assert_eq!(field(at("2026-05-15T10:01:00+08:00")), Err("answer_by"));
        assert_eq!(field(at("tomorrow")), Err("answer_by"));
        let mut no_org = at("2026-05-02T10:00:00+08:00");
        no_org.org_id = " ".into();
        assert_eq!(field(no_org), Err("org_id"));
        let short = DeclineRequest { reason: "x".into() };
        assert_eq!(short.validate().map_err(|e| e.field), Err("reason"));
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut NeedInput);
        let cases: [(Spoil, &str); 7] = [
            (|i| i.title = "a".into(), "title"),
            (|i| i.description = "x".repeat(1001), "description"),
            (|i| i.service_target = "aliens".into(), "service_target"),
            (|i| i.address = String::new(), "address"),
            (|i| i.lat = None, "lat"),
            (|i| i.region_code = "abc".into(), "region_code"),
            (|i| i.when = "x".repeat(61), "when"),
        ];
        for (spoil, field) in cases {
            let mut i = input();
            spoil(&mut i);
            assert_eq!(i.validate().map_err(|e| e.field), Err(field));
        }
    }
}
