//! The query strings of the list routes: one struct per route (the paged-only lists share
//! `PageQuery`). The server reads a request's query into these and the client writes its
//! query strings from them, so both name the parameters the same way.
//!
//! Every field is a string as sent: the server's parse of each gives the reason a bad value
//! is refused (e.g. `lat` "must be a number"), which a typed field would lose to serde's own
//! message. Unknown parameters are ignored.

use serde::{Deserialize, Serialize};

/// `GET /api/stations`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct StationsQuery {
    /// WGS-84 latitude; with lng, nearest first
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = -90, maximum = 90))]
    pub lat: Option<String>,
    /// WGS-84 longitude
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = -180, maximum = 180))]
    pub lng: Option<String>,
    /// search radius, 0 < r ≤ 50, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, exclusive_minimum = 0, maximum = 50))]
    pub radius_km: Option<String>,
    /// station type slug
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::station::StationType>))]
    #[serde(rename = "type")]
    pub station_type: Option<String>,
    /// region code; a city covers its banners
    #[cfg_attr(feature = "openapi", param(pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// true: only stations with a published activity that has a shift in the next 7 days (a region page may then hold fewer than limit)
    #[cfg_attr(feature = "openapi", param(value_type = Option<bool>))]
    pub this_week: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

/// `GET /api/activities`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ActivitiesQuery {
    /// with lng: only within radius_km, each with distance_m
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = -90, maximum = 90))]
    pub lat: Option<String>,
    /// WGS-84 longitude
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = -180, maximum = 180))]
    pub lng: Option<String>,
    /// 0.1–50, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = 0.1, maximum = 50))]
    pub radius_km: Option<String>,
    /// RFC 3339; activities still running at or after it (default now)
    #[cfg_attr(feature = "openapi", param(format = DateTime))]
    pub from: Option<String>,
    /// RFC 3339; activities starting at or before it
    #[cfg_attr(feature = "openapi", param(format = DateTime))]
    pub to: Option<String>,
    /// service field slug
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::account::ServiceField>))]
    pub field: Option<String>,
    /// region code; a city covers its banners
    #[cfg_attr(feature = "openapi", param(pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// activities at this station
    pub station_id: Option<String>,
    /// activities of this organisation, cancelled ones included
    pub org_id: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

/// `GET /api/needs`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct NeedsQuery {
    /// with lng: nearest first within radius_km, each with distance_m
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = -90, maximum = 90))]
    pub lat: Option<String>,
    /// WGS-84 longitude
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = -180, maximum = 180))]
    pub lng: Option<String>,
    /// 0.1–50, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<f64>, minimum = 0.1, maximum = 50))]
    pub radius_km: Option<String>,
    /// without lat/lng: a region code; a city covers its banners
    #[cfg_attr(feature = "openapi", param(pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// open (default), claimed or done
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::need::NeedStatus>))]
    pub status: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

/// `GET /api/orgs`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct OrgsQuery {
    /// region code; a city covers its banners (default 150000)
    #[cfg_attr(feature = "openapi", param(pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// approved (default), pending, rejected
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::org::OrgStatus>))]
    pub status: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
    /// instead of `region`: the approved organisations whose region covers this one (its
    /// own, its city's, the province's), nearest first
    #[cfg_attr(feature = "openapi", param(pattern = "^[1-9][0-9]{5}$"))]
    pub covers: Option<String>,
    /// part of the name (1–30 characters; letters match as written)
    #[cfg_attr(feature = "openapi", param(min_length = 1, max_length = 30))]
    pub q: Option<String>,
}

/// The longest name search `GET /api/orgs?q=` takes, in characters.
pub const ORG_SEARCH_MAX: usize = 30;

/// `GET /api/orgs/{id}/members`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct MembersQuery {
    /// approved (default) or pending
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::org::MemberStatus>))]
    pub status: Option<String>,
    /// only members who attended at least this many trainings
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 0))]
    pub min_trainings: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

/// `GET /api/nominations`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct NominationsQuery {
    /// region code, default 150600; a city covers its banners
    #[cfg_attr(feature = "openapi", param(pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// this year when absent
    #[cfg_attr(feature = "openapi", param(value_type = Option<i32>, minimum = 2018))]
    pub year: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

/// `GET /api/stats` and `GET /api/stats/reports`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct StatsQuery {
    /// region code, e.g. 150600 (required)
    #[cfg_attr(feature = "openapi", param(required, value_type = String, pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// calendar year; this year when absent
    #[cfg_attr(feature = "openapi", param(value_type = Option<i32>, minimum = 2018))]
    pub year: Option<String>,
}

/// `GET /api/stats/compliance`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ComplianceQuery {
    /// region code (required)
    #[cfg_attr(feature = "openapi", param(required, value_type = String, pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// calendar year; this year when absent
    #[cfg_attr(feature = "openapi", param(value_type = Option<i32>, minimum = 2018))]
    pub year: Option<String>,
    /// party_member, cadre, college_student or school_student (required)
    #[cfg_attr(feature = "openapi", param(required, value_type = crate::account::VolunteerGroup))]
    pub group: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

/// `GET /api/me/certificate`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CertificateQuery {
    /// only this organisation's records, which it issues
    pub org: Option<String>,
}

/// The lists that only page: the inbox, my activities, needs and records, a shift's roster
/// and records.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PageQuery {
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The first page of at most `limit` items.
    pub fn first(limit: u32) -> Self {
        Self {
            limit: Some(limit.to_string()),
            cursor: None,
        }
    }
}

/// `?name=value&…` of a query struct's present fields (`None` is left out), values
/// percent-encoded; empty when none is present.
pub fn to_query_string<T: Serialize>(query: &T) -> String {
    // The structs hold only optional strings, so their JSON form is a flat object.
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(query) else {
        return String::new();
    };
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|(name, value)| value.as_str().map(|v| format!("{name}={}", encode(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters, byte by byte of the UTF-8.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_leaves_out_absent_fields_and_encodes_values() {
        let q = StationsQuery {
            lat: Some("1&2".into()),
            region: Some("x y/é".into()),
            ..StationsQuery::default()
        };
        assert_eq!(to_query_string(&q), "?lat=1%262&region=x%20y%2F%C3%A9");
        assert_eq!(to_query_string(&StationsQuery::default()), "");
    }

    #[test]
    fn a_query_reads_back_what_it_wrote() {
        let q = PageQuery::first(100);
        let json = serde_json::to_value(&q).expect("serialises");
        let back: PageQuery = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back.limit.as_deref(), Some("100"));
        assert_eq!(back.cursor, None);
    }
}
