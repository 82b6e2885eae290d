//! Needs and matching (供需对接, SPEC §8): a resident posts what is needed, for whom,
//! where and when; an organisation claims it, turns it into an activity and marks it done.

use crate::activity::ServiceTarget;
use crate::geo::LatLng;
use crate::region::RegionCode;
use crate::slug_enum;
use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// open → claimed (by an organisation) → done; or open → withdrawn (by the poster).
    NeedStatus {
        Open = "open",
        Claimed = "claimed",
        Done = "done",
        Withdrawn = "withdrawn",
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
