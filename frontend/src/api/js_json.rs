//! The first screen's answers (stations, a station page, regions, the map's needs, the
//! header's view of the session, error bodies) decoded with the browser's own
//! `JSON.parse`, field by field, instead of serde_json: the map's wasm then carries no JSON
//! parser and no generic deserializers (issue 18's first-load budget). The wire format is
//! the API's, unchanged (`shared/`'s types, OpenAPI); a field missing or of the wrong type
//! makes the whole answer undecodable, as serde would.

use js_sys::{Array, JSON, Reflect};
use wasm_bindgen::JsValue;
#[cfg(feature = "first-screen")]
use zhiyuan_shared::account::{Me, Role, RoleGrant};
use zhiyuan_shared::activity::ServiceTarget;
use zhiyuan_shared::api::{ErrorDetail, Page};
use zhiyuan_shared::region::{Region, RegionCode};
use zhiyuan_shared::series::{RepeatFreq, StationSchedule};
use zhiyuan_shared::station::{
    ActivityBrief, FiveHave, StationDetail, StationStatus, StationSummary, StationType,
};

use super::MapNeed;

/// One JSON value of a parsed answer.
pub(super) struct Json(JsValue);

impl Json {
    pub(super) fn parse(text: &str) -> Option<Json> {
        JSON::parse(text).ok().map(Json)
    }

    fn field(&self, key: &str) -> Json {
        Json(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }

    fn absent(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    fn string(&self, key: &str) -> Option<String> {
        self.field(key).0.as_string()
    }

    fn opt_string(&self, key: &str) -> Option<Option<String>> {
        let v = self.field(key);
        if v.absent() {
            Some(None)
        } else {
            v.0.as_string().map(Some)
        }
    }

    fn f64(&self, key: &str) -> Option<f64> {
        self.field(key).0.as_f64()
    }

    fn bool(&self, key: &str) -> Option<bool> {
        self.field(key).0.as_bool()
    }

    /// A whole number from 0 to `max`.
    fn whole(&self, max: f64) -> Option<u64> {
        let n = self.0.as_f64()?;
        (n >= 0.0 && n <= max && n.fract() == 0.0).then_some(n as u64)
    }

    fn opt_whole(&self, key: &str, max: f64) -> Option<Option<u64>> {
        let v = self.field(key);
        if v.absent() {
            Some(None)
        } else {
            v.whole(max).map(Some)
        }
    }

    /// An array, each element decoded by `each`; `missing_ok` reads an absent field as empty
    /// (a `#[serde(default)]` list).
    fn list<T>(&self, key: &str, missing_ok: bool, each: fn(&Json) -> Option<T>) -> Option<Vec<T>> {
        let v = self.field(key);
        if missing_ok && v.absent() {
            return Some(Vec::new());
        }
        if !Array::is_array(&v.0) {
            return None;
        }
        Array::from(&v.0).iter().map(|x| each(&Json(x))).collect()
    }

    fn slug<T>(&self, key: &str, from_slug: fn(&str) -> Option<T>) -> Option<T> {
        from_slug(&self.string(key)?)
    }

    fn region_code(&self, key: &str) -> Option<RegionCode> {
        RegionCode::parse(&self.string(key)?).ok()
    }
}

/// A page of a list: `{items, next_cursor}`.
pub(super) fn page<T>(j: &Json, each: fn(&Json) -> Option<T>) -> Option<Page<T>> {
    Some(Page {
        items: j.list("items", false, each)?,
        next_cursor: j.opt_string("next_cursor")?,
    })
}

pub(super) fn list<T>(j: &Json, each: fn(&Json) -> Option<T>) -> Option<Vec<T>> {
    if !Array::is_array(&j.0) {
        return None;
    }
    Array::from(&j.0).iter().map(|x| each(&Json(x))).collect()
}

pub(super) fn station_summary(j: &Json) -> Option<StationSummary> {
    Some(StationSummary {
        id: j.string("id")?,
        name: j.string("name")?,
        station_type: j.slug("station_type", StationType::from_slug)?,
        region_code: j.region_code("region_code")?,
        address: j.string("address")?,
        lat: j.f64("lat")?,
        lng: j.f64("lng")?,
        five_have_complete: j.bool("five_have_complete")?,
        demonstration: j.bool("demonstration")?,
        distance_m: j
            .opt_whole("distance_m", f64::from(u32::MAX))?
            .map(|d| d as u32),
    })
}

pub(super) fn station_detail(j: &Json) -> Option<StationDetail> {
    let five = j.field("five_have");
    Some(StationDetail {
        id: j.string("id")?,
        name: j.string("name")?,
        station_type: j.slug("station_type", StationType::from_slug)?,
        region_code: j.region_code("region_code")?,
        address: j.string("address")?,
        lat: j.f64("lat")?,
        lng: j.f64("lng")?,
        opening_hours: j.string("opening_hours")?,
        contact_masked: j.string("contact_masked")?,
        description: j.string("description")?,
        five_have: FiveHave {
            venue_and_equipment: five.bool("venue_and_equipment")?,
            manager_and_team: five.bool("manager_and_team")?,
            rules_and_procedures: five.bool("rules_and_procedures")?,
            projects_and_activities: five.bool("projects_and_activities")?,
            operating_funds: five.bool("operating_funds")?,
        },
        five_have_complete: j.bool("five_have_complete")?,
        demonstration: j.bool("demonstration")?,
        status: match j.string("status")?.as_str() {
            "pending" => StationStatus::Pending,
            "approved" => StationStatus::Approved,
            _ => return None,
        },
        upcoming_activities: j.list("upcoming_activities", false, |a| {
            Some(ActivityBrief {
                id: a.string("id")?,
                title: a.string("title")?,
                starts_at: a.string("starts_at")?,
            })
        })?,
        updated_at: j.string("updated_at")?,
        schedule: j.list("schedule", true, schedule)?,
    })
}

fn schedule(j: &Json) -> Option<StationSchedule> {
    Some(StationSchedule {
        series_id: j.string("series_id")?,
        title: j.string("title")?,
        org_name: j.string("org_name")?,
        freq: j.slug("freq", RepeatFreq::from_slug)?,
        weekdays: j.list("weekdays", false, |d| d.whole(255.0).map(|d| d as u8))?,
        day: j.opt_whole("day", 255.0)?.map(|d| d as u8),
        starts: j.string("starts")?,
        ends: j.string("ends")?,
        next_activity_id: j.opt_string("next_activity_id")?,
    })
}

pub(super) fn region(j: &Json) -> Option<Region> {
    let parent = j.field("parent_code");
    Some(Region {
        code: j.region_code("code")?,
        name: j.string("name")?,
        name_en: j.string("name_en")?,
        parent_code: if parent.absent() {
            None
        } else {
            Some(RegionCode::parse(&parent.0.as_string()?).ok()?)
        },
        population: j.field("population").whole(9_007_199_254_740_991.0)?,
        lat: j.f64("lat")?,
        lng: j.f64("lng")?,
    })
}

pub(super) fn map_need(j: &Json) -> Option<MapNeed> {
    Some(MapNeed {
        id: j.string("id")?,
        title: j.string("title")?,
        service_target: j.slug("service_target", ServiceTarget::from_slug)?,
        lat: j.f64("lat")?,
        lng: j.f64("lng")?,
        when: j.string("when")?,
    })
}

/// The error body, `{error: {code, message, field?}}`.
pub(super) fn error_detail(j: &Json) -> Option<ErrorDetail> {
    let e = j.field("error");
    Some(ErrorDetail {
        code: e.string("code")?,
        message: e.string("message")?,
        field: e.opt_string("field")?,
    })
}

/// `GET /api/me` as the map's header reads it: who is signed in and the roles that decide
/// its links. The map's pages read nothing else of the profile, so its other parts (the
/// volunteer profile, hours, the 代注册 mark) are left at their empty values there; every
/// other entry point decodes the whole profile.
#[cfg(feature = "first-screen")]
pub(super) fn me_for_header(j: &Json) -> Option<Me> {
    Some(Me {
        user_id: j.string("user_id")?,
        display_name: j.string("display_name")?,
        phone_masked: j.string("phone_masked")?,
        roles: j.list("roles", false, |g| {
            Some(RoleGrant {
                role: g.slug("role", Role::from_slug)?,
                scope: g.string("scope")?,
            })
        })?,
        volunteer: None,
        total_hours: 0.0,
        star_level: j.field("star_level").whole(255.0)? as u8,
        assisted: None,
    })
}
