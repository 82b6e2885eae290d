//! Calls anyone may make: regions, stations, activities, organisations, needs,
//! nominations, statistics, certificates, and registering or signing in.

use super::{ApiError, enc, get_decoded, get_json, given, js_json, prefetched_text, send};
use gloo_net::http::Method;
use zhiyuan_shared::account::{LoginRequest, LoginResponse, RegisterRequest, RegisterResponse};
use zhiyuan_shared::activity::Activity;
use zhiyuan_shared::api::Page;
use zhiyuan_shared::org::Org;
use zhiyuan_shared::query::{
    ActivitiesQuery, NeedsQuery, NominationsQuery, OrgsQuery, StationsQuery, StatsQuery,
    to_query_string,
};
use zhiyuan_shared::record::{CertificateCheck, Perk};
use zhiyuan_shared::region::Region;
use zhiyuan_shared::station::{StationDetail, StationSummary};

pub async fn regions() -> Result<Vec<Region>, ApiError> {
    get_decoded("/api/regions", None, |j| js_json::list(j, js_json::region)).await
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationFilter {
    pub station_type: String,
    pub region: String,
    /// Only stations with a published activity that has a shift in the next 7 days.
    pub this_week: bool,
}

/// Every station of a region (for a choice of stations), following the cursor to the end.
pub async fn stations_in_region(filter: &StationFilter) -> Result<Vec<StationSummary>, ApiError> {
    let mut out = Vec::new();
    stations_in_region_pages(filter, |page| {
        out.extend(page);
        true
    })
    .await?;
    Ok(out)
}

/// Every station of a region page by page, each handed to `on_page` as it arrives (the
/// map's markers: a province's thousands need not wait for the last page); `on_page`
/// answering false stops the reading (the list is no longer wanted).
pub async fn stations_in_region_pages(
    filter: &StationFilter,
    mut on_page: impl FnMut(Vec<StationSummary>) -> bool,
) -> Result<(), ApiError> {
    let mut cursor = String::new();
    // A city has a few hundred stations; the bound stops a runaway loop, not a real list.
    for _ in 0..50 {
        let url = format!(
            "/api/stations{}",
            to_query_string(&StationsQuery {
                region: given(&filter.region),
                station_type: given(&filter.station_type),
                this_week: filter.this_week.then(|| "true".into()),
                limit: Some("100".into()),
                cursor: given(&cursor),
                ..StationsQuery::default()
            })
        );
        let page = get_decoded(&url, None, station_page).await?;
        if !on_page(page.items) {
            break;
        }
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    Ok(())
}

/// The nearest stations to a point, nearest first.
pub async fn stations_near(
    lat: f64,
    lng: f64,
    radius_km: u32,
    filter: &StationFilter,
    limit: u32,
) -> Result<Page<StationSummary>, ApiError> {
    let url = format!(
        "/api/stations{}",
        to_query_string(&StationsQuery {
            lat: Some(micro_degrees(lat)),
            lng: Some(micro_degrees(lng)),
            radius_km: Some(radius_km.to_string()),
            region: given(&filter.region),
            station_type: given(&filter.station_type),
            this_week: filter.this_week.then(|| "true".into()),
            limit: Some(limit.to_string()),
            ..StationsQuery::default()
        })
    );
    get_decoded(&url, None, station_page).await
}

fn station_page(j: &js_json::Json) -> Option<Page<StationSummary>> {
    js_json::page(j, js_json::station_summary)
}

pub async fn station(id: &str) -> Result<StationDetail, ApiError> {
    // index.html's shell may have asked already (get_decoded takes its answer).
    let url = format!("/api/stations/{}", js_sys::encode_uri_component(id));
    get_decoded(&url, None, js_json::station_detail).await
}

// Accounts

pub async fn register(req: &RegisterRequest) -> Result<RegisterResponse, ApiError> {
    send(Method::POST, "/api/auth/register", None, Some(req)).await
}

pub async fn login(req: &LoginRequest) -> Result<LoginResponse, ApiError> {
    send(Method::POST, "/api/auth/login", None, Some(req)).await
}

/// Asks for a verification code (202 whether or not the phone has an account).
pub async fn request_code(req: &zhiyuan_shared::codes::CodeRequest) -> Result<(), ApiError> {
    send(Method::POST, "/api/auth/codes", None, Some(req)).await
}

/// 忘记密码: a new password with a `reset` code; signs this device in.
pub async fn reset_password(
    req: &zhiyuan_shared::codes::ResetRequest,
) -> Result<LoginResponse, ApiError> {
    send(Method::POST, "/api/auth/reset", None, Some(req)).await
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFilter {
    pub field: String,
    pub region: String,
    pub station_id: String,
    pub org_id: String,
    pub near: Option<(f64, f64)>,
}

/// The activities list's page size (the shell's prefetch asks for the same:
/// `assets/zhiyuan-public-shell.js`).
pub const ACTIVITIES_PAGE: u32 = 20;

/// Activities a page at a time: the page after `cursor` (empty: the first). A phone's
/// first screen shows a few cards, so a page is 20, and the rest come on "load more".
pub async fn activities(f: &ActivityFilter, cursor: &str) -> Result<Page<Activity>, ApiError> {
    let url = format!(
        "/api/activities{}",
        to_query_string(&ActivitiesQuery {
            field: given(&f.field),
            region: given(&f.region),
            station_id: given(&f.station_id),
            org_id: given(&f.org_id),
            lat: f.near.map(|(lat, _)| format!("{lat:.6}")),
            lng: f.near.map(|(_, lng)| format!("{lng:.6}")),
            limit: Some(ACTIVITIES_PAGE.to_string()),
            cursor: given(cursor),
            ..ActivitiesQuery::default()
        })
    );
    match prefetched(&url).await {
        Some(page) => Ok(page),
        None => get_json(&url).await,
    }
}

pub async fn activity(id: &str) -> Result<Activity, ApiError> {
    let url = format!("/api/activities/{}", enc(id));
    match prefetched(&url).await {
        Some(a) => Ok(a),
        None => get_json(&url).await,
    }
}

/// The answer to `url` that public.html's shell asked for while the wasm loaded, parsed.
async fn prefetched<T: serde::de::DeserializeOwned>(url: &str) -> Option<T> {
    serde_json::from_str(&prefetched_text(url).await?).ok()
}

pub(super) async fn orgs_page(
    token: Option<&str>,
    region: &str,
    status: &str,
) -> Result<Page<Org>, ApiError> {
    let url = format!(
        "/api/orgs{}",
        to_query_string(&OrgsQuery {
            region: given(region),
            status: given(status),
            limit: Some("100".into()),
            cursor: None,
            covers: None,
            q: None,
        })
    );
    send(Method::GET, &url, token, None::<&()>).await
}

/// A page of the approved organisations that may serve `covers` (its region's, its
/// city's, the province's, nearest first) whose name contains `name` (all when blank).
pub async fn orgs_covering(
    covers: &str,
    name: &str,
    cursor: Option<String>,
) -> Result<Page<Org>, ApiError> {
    let url = format!(
        "/api/orgs{}",
        to_query_string(&OrgsQuery {
            covers: given(covers),
            q: given(name.trim()),
            limit: Some("10".into()),
            cursor,
            ..OrgsQuery::default()
        })
    );
    get_json(&url).await
}

/// Approved organisations of a region, for anyone.
pub async fn orgs(region: &str) -> Result<Page<Org>, ApiError> {
    orgs_page(None, region, "").await
}

pub async fn org(id: &str) -> Result<Org, ApiError> {
    get_json(&format!("/api/orgs/{}", enc(id))).await
}

pub async fn verify_certificate(code: &str) -> Result<CertificateCheck, ApiError> {
    get_json(&format!("/api/certificates/{}", enc(code))).await
}

pub async fn perks() -> Result<Vec<Perk>, ApiError> {
    get_json("/api/perks").await
}

pub(super) fn stats_query(region: &str, year: i32) -> StatsQuery {
    StatsQuery {
        region: given(region),
        year: Some(year.to_string()),
    }
}

/// A region's statistics; with a token, an admin of the region gets its sub-regions too.
pub async fn stats(
    token: Option<&str>,
    region: &str,
    year: i32,
) -> Result<zhiyuan_shared::stats::StatsReport, ApiError> {
    let url = format!("/api/stats{}", to_query_string(&stats_query(region, year)));
    send(Method::GET, &url, token, None::<&()>).await
}

/// One need; with a token, the poster, the claiming organisation and region admins over
/// it get its exact place too.
pub async fn need(id: &str, token: Option<&str>) -> Result<zhiyuan_shared::need::Need, ApiError> {
    let url = format!("/api/needs/{}", enc(id));
    send(Method::GET, &url, token, None::<&()>).await
}

/// Needs near a point (nearest first) or, without one, in a region.
pub async fn needs(
    near: Option<(f64, f64)>,
    region: &str,
    status: &str,
    token: Option<&str>,
) -> Result<Page<zhiyuan_shared::need::Need>, ApiError> {
    let mut q = NeedsQuery {
        status: given(status),
        limit: Some("100".into()),
        ..NeedsQuery::default()
    };
    match near {
        Some((lat, lng)) => {
            q.lat = Some(lat.to_string());
            q.lng = Some(lng.to_string());
            q.radius_km = Some("20".into());
        }
        None => q.region = given(region),
    }
    let url = format!("/api/needs{}", to_query_string(&q));
    send(Method::GET, &url, token, None::<&()>).await
}

/// A year's nominations (选树典型) in a region.
pub async fn nominations(
    region: &str,
    year: i32,
) -> Result<Page<zhiyuan_shared::exemplary::Nomination>, ApiError> {
    get_json(&format!(
        "/api/nominations{}",
        to_query_string(&NominationsQuery {
            region: given(region),
            year: Some(year.to_string()),
            limit: Some("100".into()),
            cursor: None,
        })
    ))
    .await
}

/// A coordinate with six decimals (≈ 0.1 m, as `{:.6}` writes it), in whole numbers: the
/// map's wasm then carries no float formatting (issue 18's first-load budget).
fn micro_degrees(x: f64) -> String {
    let m = (x * 1e6 + if x < 0.0 { -0.5 } else { 0.5 }) as i64;
    let sign = if m < 0 { "-" } else { "" };
    let a = m.unsigned_abs();
    format!("{sign}{}.{:06}", a / 1_000_000, a % 1_000_000)
}

/// An open need as the map draws it: only the fields of its marker, so the map's wasm
/// carries no decoder for the rest of a need (its place, dispatches, status…); the API's
/// answer is the same `Page<Need>` (`js_json::map_need` reads these fields of it).
#[derive(Debug, Clone, PartialEq)]
pub struct MapNeed {
    pub id: String,
    pub title: String,
    pub service_target: zhiyuan_shared::activity::ServiceTarget,
    pub lat: f64,
    pub lng: f64,
    pub when: String,
}

/// A region's open needs for the map (the first 100, as the needs page's first page).
pub async fn needs_on_map(region: &str) -> Result<Vec<MapNeed>, ApiError> {
    let q = NeedsQuery {
        status: Some("open".into()),
        region: given(region),
        limit: Some("100".into()),
        ..NeedsQuery::default()
    };
    let url = format!("/api/needs{}", to_query_string(&q));
    let page = get_decoded(&url, None, |j| js_json::page(j, js_json::map_need)).await?;
    Ok(page.items)
}

#[cfg(test)]
mod map_tests {
    use super::micro_degrees;

    #[test]
    fn coordinates_are_written_with_six_decimals_as_the_float_formatter_would() {
        for x in [39.65, 109.4, -33.868_820_1, 0.0, 110.000_000_4, -0.5] {
            assert_eq!(micro_degrees(x), format!("{x:.6}"), "{x}");
        }
    }
}
