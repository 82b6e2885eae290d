//! Activities (志愿服务活动) with shifts and places, sign-ups and waitlists (SPEC §4).

use crate::account::ServiceField;
use crate::geo::LatLng;
use crate::region::RegionCode;
use crate::slug_enum;
use crate::station::FieldError;
use crate::text;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Whom an activity serves (服务对象).
    ServiceTarget {
        EmptyNestElderly = "empty_nest_elderly",
        LeftBehindChildren = "left_behind_children",
        MigrantWorkers = "migrant_workers",
        Disabled = "disabled",
        NeedyWorkers = "needy_workers",
        Tourists = "tourists",
        Residents = "residents",
        Students = "students",
    }
}

slug_enum! {
    ActivityStatus {
        Published = "published",
        Cancelled = "cancelled",
    }
}

slug_enum! {
    SignupStatus {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
    }
}

pub const MAX_SHIFTS: usize = 10;
pub const MAX_CAPACITY: i64 = 10_000;
/// A shift is one stretch of service; longer ones are split into shifts.
pub const MAX_SHIFT_SECONDS: i64 = 24 * 3600;
/// Activities are published at most a year ahead.
pub const MAX_AHEAD_SECONDS: i64 = 366 * 24 * 3600;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ShiftInput {
    /// RFC 3339 with offset.
    #[cfg_attr(feature = "openapi", schema(format = DateTime, required = true))]
    pub starts_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime, required = true))]
    pub ends_at: String,
    /// Places (名额), 1–10,000.
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 10000, required = true)
    )]
    pub capacity: i64,
}

/// `POST /api/activities`. Either `station_id`, or `address` with `lat`, `lng` and
/// `region_code`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActivityInput {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 64)
    )]
    pub org_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 2, max_length = 60, required = true)
    )]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 2000, required = true)
    )]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = ServiceField, required = true))]
    pub service_field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ServiceTarget>, max_items = 8))]
    pub service_targets: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub station_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 120))]
    pub address: String,
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lng: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^([1-9][0-9]{5})?$"))]
    pub region_code: String,
    /// Recruitment deadline (招募截止), RFC 3339; at the latest the last shift's start.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub deadline: String,
    /// Minimum age in whole years at the shift's date; 0 or absent for none.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub min_age: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub skills: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub requirements: String,
    pub is_training: bool,
    /// Check-in only within this many metres of the place (100–5000); absent for no
    /// distance check.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 5000))]
    pub checkin_radius_m: Option<i64>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_items = 1, max_items = 10, required = true)
    )]
    pub shifts: Vec<ShiftInput>,
    /// The need (供需对接) this activity answers; the organisation must have claimed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub need_id: Option<String>,
    /// Makes a series of regular activities (常态化): one activity per occurrence, each
    /// with this activity's shift pattern moved to its date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<crate::series::RepeatInput>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShiftDraft {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlaceDraft {
    /// At a station: its address, position and region are the station's.
    Station(String),
    Address {
        address: String,
        at: LatLng,
        region_code: RegionCode,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityDraft {
    pub org_id: String,
    pub title: String,
    pub description: String,
    pub service_field: ServiceField,
    pub service_targets: Vec<ServiceTarget>,
    pub place: PlaceDraft,
    pub deadline: Timestamp,
    pub min_age: u8,
    pub skills: Vec<String>,
    pub requirements: String,
    pub is_training: bool,
    pub checkin_radius_m: Option<u32>,
    pub shifts: Vec<ShiftDraft>,
}

fn optional_text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    match text::clean(raw, max, true) {
        Ok(t) => Ok(t),
        Err(text::TextError::Empty) => Ok(String::new()),
        Err(e) => Err(FieldError::new(field, e)),
    }
}

impl ActivityInput {
    /// Checks every field against the rules at `now`; the first fault is named.
    pub fn validate(&self, now: Timestamp) -> Result<ActivityDraft, FieldError> {
        let org_id = self.org_id.trim().to_string();
        if org_id.is_empty() {
            return Err(FieldError::new("org_id", "choose the organisation"));
        }
        let title = text::clean(&self.title, 60, false).map_err(|e| FieldError::new("title", e))?;
        if title.chars().count() < 2 {
            return Err(FieldError::new("title", "must be at least 2 characters"));
        }
        let description = text::clean(&self.description, 2000, true)
            .map_err(|e| FieldError::new("description", e))?;
        let service_field = ServiceField::from_slug(self.service_field.trim())
            .ok_or_else(|| FieldError::new("service_field", "is not a known service field"))?;
        let service_targets = crate::slug::parse_list(
            "service_targets",
            &self.service_targets,
            ServiceTarget::ALL.len(),
            false,
            ServiceTarget::from_slug,
        )?;
        let place = self.place()?;
        let shifts = self.shifts(now)?;
        let last_start = shifts
            .iter()
            .map(|s| s.starts_at)
            .max()
            .ok_or_else(|| FieldError::new("shifts", "add at least one shift"))?;
        let deadline = if self.deadline.trim().is_empty() {
            last_start
        } else {
            Timestamp::parse(&self.deadline).map_err(|e| FieldError::new("deadline", e))?
        };
        if deadline <= now {
            return Err(FieldError::new("deadline", "must be in the future"));
        }
        if deadline > last_start {
            return Err(FieldError::new(
                "deadline",
                "must not be after the last shift starts",
            ));
        }
        let min_age = match self.min_age {
            None => 0,
            Some(a) if (0..=100).contains(&a) => a as u8,
            Some(_) => return Err(FieldError::new("min_age", "must be from 0 to 100")),
        };
        let skills = crate::account::parse_skills(&self.skills)?;
        let checkin_radius_m = match self.checkin_radius_m {
            None | Some(0) => None,
            Some(r) if (100..=5000).contains(&r) => Some(r as u32),
            Some(_) => {
                return Err(FieldError::new(
                    "checkin_radius_m",
                    "must be from 100 to 5000 metres",
                ));
            }
        };
        Ok(ActivityDraft {
            org_id,
            title,
            description,
            service_field,
            service_targets,
            place,
            deadline,
            min_age,
            skills,
            requirements: optional_text("requirements", &self.requirements, 500)?,
            is_training: self.is_training,
            checkin_radius_m,
            shifts,
        })
    }

    fn place(&self) -> Result<PlaceDraft, FieldError> {
        if let Some(id) = self.station_id.as_deref().map(str::trim)
            && !id.is_empty()
        {
            return Ok(PlaceDraft::Station(id.to_string()));
        }
        let address =
            text::clean(&self.address, 120, false).map_err(|e| FieldError::new("address", e))?;
        let (Some(lat), Some(lng)) = (self.lat, self.lng) else {
            return Err(FieldError::new(
                "lat",
                "give the place's coordinates, or choose a station",
            ));
        };
        let at = LatLng::new(lat, lng).map_err(|e| FieldError::new("lat", e))?;
        let region_code =
            RegionCode::parse(&self.region_code).map_err(|e| FieldError::new("region_code", e))?;
        Ok(PlaceDraft::Address {
            address,
            at,
            region_code,
        })
    }

    fn shifts(&self, now: Timestamp) -> Result<Vec<ShiftDraft>, FieldError> {
        if self.shifts.is_empty() {
            return Err(FieldError::new("shifts", "add at least one shift"));
        }
        if self.shifts.len() > MAX_SHIFTS {
            return Err(FieldError::new(
                "shifts",
                format!("at most {MAX_SHIFTS} shifts per activity"),
            ));
        }
        self.shifts
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let n = i + 1;
                let at = |raw: &str| {
                    Timestamp::parse(raw)
                        .map_err(|e| FieldError::new("shifts", format!("shift {n}: {e}")))
                };
                let (starts_at, ends_at) = (at(&s.starts_at)?, at(&s.ends_at)?);
                let fault =
                    |reason: &str| Err(FieldError::new("shifts", format!("shift {n}: {reason}")));
                if starts_at <= now {
                    return fault("must start in the future");
                }
                if starts_at.unix() - now.unix() > MAX_AHEAD_SECONDS {
                    return fault("must start within a year");
                }
                if ends_at <= starts_at {
                    return fault("must end after it starts");
                }
                if ends_at.unix() - starts_at.unix() > MAX_SHIFT_SECONDS {
                    return fault("must not be longer than 24 hours");
                }
                if !(1..=MAX_CAPACITY).contains(&s.capacity) {
                    return fault("places must be from 1 to 10000");
                }
                Ok(ShiftDraft {
                    starts_at,
                    ends_at,
                    capacity: s.capacity as u32,
                })
            })
            .collect()
    }
}

/// Whether two shifts overlap in time (touching ends do not).
pub fn overlaps(a: (Timestamp, Timestamp), b: (Timestamp, Timestamp)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A shift with its places: `taken` confirmed, `waitlist` waiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shift {
    pub id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: u32,
    pub taken: u32,
    pub waitlist: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    pub description: String,
    pub service_field: ServiceField,
    pub service_targets: Vec<ServiceTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_name: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub region_code: String,
    pub deadline: String,
    pub min_age: u8,
    pub skills: Vec<String>,
    pub requirements: String,
    pub is_training: bool,
    /// Check-in only within this many metres of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkin_radius_m: Option<u32>,
    pub status: ActivityStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    pub shifts: Vec<Shift>,
    pub created_at: String,
    /// With `lat`/`lng` in the query: metres from that point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// An occurrence of a regular activity: its series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<crate::series::SeriesRef>,
}

/// `POST /api/shifts/{id}/signups`: an optional client token that makes retries of the
/// same sign-up answer the same result (also accepted as the `Idempotency-Key` header).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SignupRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{1,64}$"))]
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupResult {
    pub activity_id: String,
    pub shift_id: String,
    pub status: SignupStatus,
}

/// One line of a shift's roster: names and volunteer numbers, never phones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    pub status: SignupStatus,
    pub signed_up_at: String,
}

/// One of the caller's sign-ups ("my activities").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyShift {
    pub activity_id: String,
    pub shift_id: String,
    pub title: String,
    pub address: String,
    pub starts_at: String,
    pub ends_at: String,
    pub status: SignupStatus,
    pub activity_status: ActivityStatus,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CancelActivityRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, required = true)
    )]
    pub reason: String,
}

/// One shift of `PUT /api/activities/{id}`: its new times and places. A shift that has
/// started cannot change; places never go below its confirmed sign-ups.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ShiftEditInput {
    /// The shift's id, as the activity lists it.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 40)
    )]
    pub id: String,
    /// RFC 3339 with offset.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = DateTime, max_length = 40)
    )]
    pub starts_at: String,
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = DateTime, max_length = 40)
    )]
    pub ends_at: String,
    /// Places (名额), 1–10,000.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, minimum = 1, maximum = 10000)
    )]
    pub capacity: i64,
}

/// `PUT /api/activities/{id}`: the activity's texts and the shifts to change (any not
/// listed stay as they are). Signed-up volunteers are told; when new times make a
/// volunteer's shifts overlap, the edit is refused naming them unless `confirm_overlaps`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActivityEditInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 2, max_length = 60)
    )]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 2000)
    )]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub requirements: String,
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub shifts: Vec<ShiftEditInput>,
    /// Go ahead although new times overlap other sign-ups of the volunteers named.
    pub confirm_overlaps: bool,
}

/// One shift's new values, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftEditDraft {
    pub id: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity: u32,
}

/// An edit as checked on its own (the activity's state is checked by the server).
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEditDraft {
    pub title: String,
    pub description: String,
    pub requirements: String,
    pub shifts: Vec<ShiftEditDraft>,
}

impl ActivityEditInput {
    /// Checks each field on its own; the first fault is named. Whether a shift may still
    /// move (not started, not into the past) needs the stored shift and is the server's.
    pub fn validate(&self) -> Result<ActivityEditDraft, FieldError> {
        let title = text::clean(&self.title, 60, false).map_err(|e| FieldError::new("title", e))?;
        if title.chars().count() < 2 {
            return Err(FieldError::new("title", "must be at least 2 characters"));
        }
        let description = text::clean(&self.description, 2000, true)
            .map_err(|e| FieldError::new("description", e))?;
        let requirements = optional_text("requirements", &self.requirements, 500)?;
        if self.shifts.len() > MAX_SHIFTS {
            return Err(FieldError::new(
                "shifts",
                format!("at most {MAX_SHIFTS} shifts per activity"),
            ));
        }
        let mut shifts: Vec<ShiftEditDraft> = Vec::with_capacity(self.shifts.len());
        for (i, s) in self.shifts.iter().enumerate() {
            let n = i + 1;
            let fault = |reason: &str| FieldError::new("shifts", format!("shift {n}: {reason}"));
            let id = s.id.trim().to_string();
            if id.is_empty() || id.len() > 40 {
                return Err(fault("give the shift's id"));
            }
            if shifts.iter().any(|d| d.id == id) {
                return Err(fault("is listed twice"));
            }
            let at = |raw: &str| Timestamp::parse(raw).map_err(|e| fault(&e.to_string()));
            let (starts_at, ends_at) = (at(&s.starts_at)?, at(&s.ends_at)?);
            if ends_at <= starts_at {
                return Err(fault("must end after it starts"));
            }
            if ends_at.unix() - starts_at.unix() > MAX_SHIFT_SECONDS {
                return Err(fault("must not be longer than 24 hours"));
            }
            if !(1..=MAX_CAPACITY).contains(&s.capacity) {
                return Err(fault("places must be from 1 to 10000"));
            }
            shifts.push(ShiftEditDraft {
                id,
                starts_at,
                ends_at,
                capacity: s.capacity as u32,
            });
        }
        Ok(ActivityEditDraft {
            title,
            description,
            requirements,
            shifts,
        })
    }
}

/// A signed-up volunteer whose shifts would overlap after an edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditOverlap {
    pub real_name: String,
    pub volunteer_no: String,
    /// The edited shift.
    pub shift_id: String,
    /// The other activity (or shift) they are signed up for at that time.
    pub other_title: String,
    pub other_starts_at: String,
}

/// A later occurrence of a regular activity that cannot take an "edit all future", and
/// why (the code the same edit of it alone would have been refused with).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusedOccurrence {
    pub activity_id: String,
    /// Its first shift's start (RFC 3339, +08:00).
    pub starts_at: String,
    /// e.g. `places_below_signups`, `shift_started`.
    pub code: String,
}

/// The 409 answer of `PUT /api/activities/{id}`: the error, and with
/// `overlaps_found` the volunteers whose shifts would overlap, with
/// `occurrences_refused` the later occurrences that cannot take the edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditConflict {
    pub error: crate::api::ErrorDetail,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlaps: Option<Vec<EditOverlap>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Vec<RefusedOccurrence>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_unix(1_796_000_000); // 2026-11-30

    fn input() -> ActivityInput {
        ActivityInput {
            org_id: "01JORG0000000000000000000A".into(),
            title: "社区敬老助餐".into(),
            description: "为空巢老人送餐".into(),
            service_field: "elderly_care".into(),
            service_targets: vec!["empty_nest_elderly".into()],
            address: "东胜区铁西街道".into(),
            lat: Some(39.81),
            lng: Some(109.98),
            region_code: "150602".into(),
            deadline: "2026-12-01T08:00:00+08:00".into(),
            shifts: vec![ShiftInput {
                starts_at: "2026-12-01T09:00:00+08:00".into(),
                ends_at: "2026-12-01T11:30:00+08:00".into(),
                capacity: 10,
            }],
            ..Default::default()
        }
    }

    fn field_of(i: ActivityInput) -> &'static str {
        i.validate(NOW).expect_err("refused").field
    }

    #[test]
    fn a_complete_activity_validates() {
        let d = input().validate(NOW).expect("valid");
        assert_eq!(d.shifts.len(), 1);
        assert_eq!(d.shifts[0].capacity, 10);
        assert!(matches!(d.place, PlaceDraft::Address { .. }));
    }

    #[test]
    fn the_deadline_defaults_to_the_last_shift_start() {
        let d = ActivityInput {
            deadline: String::new(),
            ..input()
        }
        .validate(NOW)
        .expect("valid");
        assert_eq!(d.deadline, d.shifts[0].starts_at);
    }

    #[test]
    fn each_bad_field_is_named() {
        assert_eq!(
            field_of(ActivityInput {
                checkin_radius_m: Some(20),
                ..input()
            }),
            "checkin_radius_m"
        );
        assert_eq!(
            field_of(ActivityInput {
                title: " ".into(),
                ..input()
            }),
            "title"
        );
        assert_eq!(
            field_of(ActivityInput {
                service_field: "x".into(),
                ..input()
            }),
            "service_field"
        );
        assert_eq!(
            field_of(ActivityInput {
                service_targets: vec!["x".into()],
                ..input()
            }),
            "service_targets"
        );
        assert_eq!(
            field_of(ActivityInput {
                lat: None,
                ..input()
            }),
            "lat"
        );
        assert_eq!(
            field_of(ActivityInput {
                region_code: "9".into(),
                ..input()
            }),
            "region_code"
        );
        assert_eq!(
            field_of(ActivityInput {
                deadline: "2026-12-02T08:00:00+08:00".into(),
                ..input()
            }),
            "deadline"
        );
        assert_eq!(
            field_of(ActivityInput {
                deadline: "2026-11-01T08:00:00+08:00".into(),
                ..input()
            }),
            "deadline"
        );
        assert_eq!(
            field_of(ActivityInput {
                min_age: Some(101),
                ..input()
            }),
            "min_age"
        );
        assert_eq!(
            field_of(ActivityInput {
                shifts: vec![],
                ..input()
            }),
            "shifts"
        );
    }

    #[test]
    fn shifts_must_be_future_ordered_bounded_and_have_places() {
        let with = |starts: &str, ends: &str, capacity: i64| ActivityInput {
            deadline: String::new(),
            shifts: vec![ShiftInput {
                starts_at: starts.into(),
                ends_at: ends.into(),
                capacity,
            }],
            ..input()
        };
        for (s, e, c) in [
            ("2026-11-01T09:00:00+08:00", "2026-11-01T10:00:00+08:00", 5),
            ("2026-12-01T09:00:00+08:00", "2026-12-01T09:00:00+08:00", 5),
            ("2026-12-01T09:00:00+08:00", "2026-12-02T10:00:00+08:00", 5),
            ("2026-12-01T09:00:00+08:00", "2026-12-01T10:00:00+08:00", 0),
            (
                "2026-12-01T09:00:00+08:00",
                "2026-12-01T10:00:00+08:00",
                10_001,
            ),
            ("2028-12-01T09:00:00+08:00", "2028-12-01T10:00:00+08:00", 5),
            ("soon", "2026-12-01T10:00:00+08:00", 5),
        ] {
            let e = with(s, e, c).validate(NOW).expect_err("refused");
            assert_eq!(e.field, "shifts");
            assert!(e.reason.starts_with("shift 1:"), "{}", e.reason);
        }
        let eleven = ActivityInput {
            shifts: vec![input().shifts[0].clone(); 11],
            ..input()
        };
        assert_eq!(field_of(eleven), "shifts");
    }

    #[test]
    fn overlap_is_strict() {
        let t = Timestamp::from_unix;
        assert!(overlaps((t(0), t(10)), (t(5), t(15))));
        assert!(overlaps((t(0), t(10)), (t(2), t(3))));
        assert!(!overlaps((t(0), t(10)), (t(10), t(20))));
    }

    fn edit() -> ActivityEditInput {
        ActivityEditInput {
            title: "社区敬老助餐".into(),
            description: "为空巢老人送餐".into(),
            requirements: String::new(),
            shifts: vec![ShiftEditInput {
                id: "01JACT0000000000000000000A01".into(),
                starts_at: "2026-12-02T09:00:00+08:00".into(),
                ends_at: "2026-12-02T12:00:00+08:00".into(),
                capacity: 5,
            }],
            confirm_overlaps: false,
        }
    }

    #[test]
    fn an_edit_names_its_first_fault_and_a_good_one_passes() {
        let ok = edit().validate().expect("valid");
        assert_eq!(ok.shifts[0].capacity, 5);
        let mut twice = edit();
        twice.shifts.push(twice.shifts[0].clone());
        let mut backwards = edit();
        backwards.shifts[0].ends_at = "2026-12-02T08:00:00+08:00".into();
        let mut too_long = edit();
        too_long.shifts[0].ends_at = "2026-12-03T12:00:00+08:00".into();
        let mut no_places = edit();
        no_places.shifts[0].capacity = 0;
        let mut short = edit();
        short.title = "助".into();
        for (bad, field) in [
            (twice, "shifts"),
            (backwards, "shifts"),
            (too_long, "shifts"),
            (no_places, "shifts"),
            (short, "title"),
        ] {
            assert_eq!(bad.validate().expect_err("refused").field, field);
        }
    }
}
