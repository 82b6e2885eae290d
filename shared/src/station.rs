//! Volunteer service stations (志愿服务站点): their types, the 五有 checklist, and the
//! request and response shapes of `/api/stations`.

use crate::geo::LatLng;
use crate::region::RegionCode;
use crate::text::{self, TextError};
use serde::{Deserialize, Serialize};

/// Station types from SPEC §1. The wire form is the snake_case slug; the UI translates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StationType {
    /// 新时代文明实践中心
    PracticeCentre,
    /// 新时代文明实践所
    PracticeInstitute,
    /// 新时代文明实践站
    PracticeStation,
    /// 社区
    Community,
    /// 嘎查村
    Village,
    /// 街道
    Street,
    /// 车站 (railway or bus)
    TransportHub,
    /// 公园
    Park,
    /// 广场
    Square,
    /// 景区
    ScenicSpot,
    /// 博物馆
    Museum,
    /// 图书馆
    Library,
    /// 科技馆
    ScienceMuseum,
    /// 纪念馆
    MemorialHall,
    /// 文明单位
    CivilisedUnit,
}

impl StationType {
    pub const ALL: [StationType; 15] = [
        Self::PracticeCentre,
        Self::PracticeInstitute,
        Self::PracticeStation,
        Self::Community,
        Self::Village,
        Self::Street,
        Self::TransportHub,
        Self::Park,
        Self::Square,
        Self::ScenicSpot,
        Self::Museum,
        Self::Library,
        Self::ScienceMuseum,
        Self::MemorialHall,
        Self::CivilisedUnit,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::PracticeCentre => "practice_centre",
            Self::PracticeInstitute => "practice_institute",
            Self::PracticeStation => "practice_station",
            Self::Community => "community",
            Self::Village => "village",
            Self::Street => "street",
            Self::TransportHub => "transport_hub",
            Self::Park => "park",
            Self::Square => "square",
            Self::ScenicSpot => "scenic_spot",
            Self::Museum => "museum",
            Self::Library => "library",
            Self::ScienceMuseum => "science_museum",
            Self::MemorialHall => "memorial_hall",
            Self::CivilisedUnit => "civilised_unit",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == s)
    }
}

/// The "五有" checklist; all five make a station 五有达标.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiveHave {
    /// 有场所和设备
    pub venue_and_equipment: bool,
    /// 有管理者和队伍
    pub manager_and_team: bool,
    /// 有制度和流程
    pub rules_and_procedures: bool,
    /// 有项目和活动
    pub projects_and_activities: bool,
    /// 有运行经费和活动资金
    pub operating_funds: bool,
}

impl FiveHave {
    pub const ALL: FiveHave = FiveHave {
        venue_and_equipment: true,
        manager_and_team: true,
        rules_and_procedures: true,
        projects_and_activities: true,
        operating_funds: true,
    };

    pub fn as_array(&self) -> [bool; 5] {
        [
            self.venue_and_equipment,
            self.manager_and_team,
            self.rules_and_procedures,
            self.projects_and_activities,
            self.operating_funds,
        ]
    }

    /// 五有达标: every item in place.
    pub fn complete(&self) -> bool {
        self.as_array().iter().all(|b| *b)
    }
}

/// A station in a list (map markers, nearest list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationSummary {
    pub id: String,
    pub name: String,
    pub station_type: StationType,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub region_code: RegionCode,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub five_have_complete: bool,
    pub demonstration: bool,
    /// Metres from the requested point, present when the request gave `lat`/`lng`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u32>,
}

/// An upcoming activity as a station page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityBrief {
    pub id: String,
    pub title: String,
    pub starts_at: String,
}

/// A station page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationDetail {
    pub id: String,
    pub name: String,
    pub station_type: StationType,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub region_code: RegionCode,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub opening_hours: String,
    /// The contact phone, masked (138****5678): stations publish a way to reach them, but
    /// a person's full number is never on a public page.
    pub contact_masked: String,
    pub description: String,
    pub five_have: FiveHave,
    pub five_have_complete: bool,
    pub demonstration: bool,
    pub status: StationStatus,
    pub upcoming_activities: Vec<ActivityBrief>,
    pub updated_at: String,
    /// The station's regular activities (常态化), from their series.
    #[serde(default)]
    pub schedule: Vec<crate::series::StationSchedule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StationStatus {
    Pending,
    Approved,
}

/// The body of `POST /api/stations` and `PUT /api/stations/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationInput {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = StationType))]
    pub station_type: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[1-9][0-9]{5}$"))]
    pub region_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub address: String,
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lng: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 120))]
    pub opening_hours: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30, pattern = "^[0-9 +-]*$"))]
    pub contact: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
    #[serde(default)]
    pub five_have: FiveHave,
    #[serde(default)]
    pub demonstration: bool,
}

/// A field and what is wrong with it; the API turns it into a 400 with `field` set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &'static str, reason: impl ToString) -> Self {
        Self {
            field,
            reason: reason.to_string(),
        }
    }
}

fn text_field(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    text::clean(raw, max, false).map_err(|e| FieldError::new(field, e))
}

fn optional_text(
    field: &'static str,
    raw: &str,
    max: usize,
    multiline: bool,
) -> Result<String, FieldError> {
    match text::clean(raw, max, multiline) {
        Ok(t) => Ok(t),
        Err(TextError::Empty) => Ok(String::new()),
        Err(e) => Err(FieldError::new(field, e)),
    }
}

/// A station's validated content: only [`StationInput::validate`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct StationDraft {
    pub name: String,
    pub station_type: StationType,
    pub region_code: RegionCode,
    pub address: String,
    pub location: LatLng,
    pub opening_hours: String,
    pub contact: String,
    pub description: String,
    pub five_have: FiveHave,
    pub demonstration: bool,
}

impl StationInput {
    pub fn validate(&self) -> Result<StationDraft, FieldError> {
        let name = text_field("name", &self.name, 80)?;
        let station_type = StationType::from_slug(self.station_type.trim())
            .ok_or_else(|| FieldError::new("station_type", "is not a known station type"))?;
        let region_code =
            RegionCode::parse(&self.region_code).map_err(|e| FieldError::new("region_code", e))?;
        let address = text_field("address", &self.address, 200)?;
        let location = LatLng::new(self.lat, self.lng).map_err(|e| match e {
            crate::geo::GeoError::Longitude => FieldError::new("lng", e),
            _ => FieldError::new("lat", e),
        })?;
        let opening_hours = optional_text("opening_hours", &self.opening_hours, 120, false)?;
        let contact = optional_text("contact", &self.contact, 30, false)?;
        if !contact
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+')
        {
            return Err(FieldError::new(
                "contact",
                "must be a phone number (digits, spaces, + and -)",
            ));
        }
        let description = optional_text("description", &self.description, 2000, true)?;
        Ok(StationDraft {
            name,
            station_type,
            region_code,
            address,
            location,
            opening_hours,
            contact,
            description,
            five_have: self.five_have,
            demonstration: self.demonstration,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> StationInput {
        StationInput {
            name: "康巴什区新时代文明实践中心".into(),
            station_type: "practice_centre".into(),
            region_code: "150603".into(),
            address: "康巴什区市民中心".into(),
            lat: 39.608,
            lng: 109.781,
            opening_hours: "09:00-17:00".into(),
            contact: "0477-8581234".into(),
            description: String::new(),
            five_have: FiveHave::ALL,
            demonstration: true,
        }
    }

    #[test]
    fn a_complete_station_input_validates() {
        let draft = input().validate().expect("valid");
        assert_eq!(draft.station_type, StationType::PracticeCentre);
        assert!(draft.five_have.complete());
    }

    #[test]
    fn each_bad_field_is_named_in_the_error() {
        type Mutation = Box<dyn Fn(&mut StationInput)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|i| i.name = "  ".into()), "name"),
            (
                Box::new(|i| i.station_type = "castle".into()),
                "station_type",
            ),
            (Box::new(|i| i.region_code = "15060".into()), "region_code"),
            (Box::new(|i| i.address = String::new()), "address"),
            (Box::new(|i| i.lat = 91.0), "lat"),
            (Box::new(|i| i.lng = 181.0), "lng"),
            (Box::new(|i| i.contact = "call me".into()), "contact"),
            (Box::new(|i| i.name = "站".repeat(81)), "name"),
        ];
        for (mutate, field) in cases {
            let mut i = input();
            mutate(&mut i);
            assert_eq!(i.validate().map_err(|e| e.field), Err(field));
        }
    }

    #[test]
    fn every_station_type_round_trips_through_its_slug() {
        for t in StationType::ALL {
            assert_eq!(StationType::from_slug(t.slug()), Some(t));
            let json = serde_json::to_string(&t).expect("serialises");
            assert_eq!(json, format!("\"{}\"", t.slug()));
        }
    }

    #[test]
    fn five_have_is_complete_only_with_all_five() {
        assert!(FiveHave::ALL.complete());
        let mut f = FiveHave::ALL;
        f.operating_funds = false;
        assert!(!f.complete());
    }
}
