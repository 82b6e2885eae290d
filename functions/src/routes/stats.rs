//! Statistics and compliance (SPEC §10).

use super::extract::{MaybeCaller, Query};
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::stats;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use zhiyuan_shared::account::VolunteerGroup;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::query::{ComplianceQuery, StatsQuery};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::stats::{ComplianceEntry, StatsReport, parse_year};

/// The region (required) and year (this year when absent) a request asks about.
fn region_and_year(
    region: Option<&str>,
    year: Option<&str>,
) -> Result<(RegionCode, i32, i32), ApiError> {
    let region = region
        .ok_or_else(|| ApiError::invalid("region", "is required"))
        .and_then(|r| {
            RegionCode::parse(r).map_err(|e| ApiError::invalid("region", e.to_string()))
        })?;
    let current = i32::from(clock::today_cst().year);
    let year = match year {
        None => current,
        Some(y) => parse_year(y, current)?,
    };
    Ok((region, year, current))
}

/// A region's figures for a year against the city's targets; its admins also get each
/// sub-region's (per banner for a city admin), anyone else the key figures only.
#[utoipa::path(get, path = "/api/stats", tag = "stats", security((), ("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = StatsReport), (status = 400, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn report(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(q): Query<StatsQuery>,
) -> Result<Json<StatsReport>, ApiError> {
    let (region, year, current) = region_and_year(q.region.as_deref(), q.year.as_deref())?;
    Ok(Json(
        stats::report(&state.store, caller.as_ref(), &region, year, current).await?,
    ))
}

/// Volunteers of a group below its yearly minimum in a region and year (region admins).
#[utoipa::path(get, path = "/api/stats/compliance", tag = "stats", security(("bearer" = [])),
    params(ComplianceQuery),
    responses((status = 200, body = Page<ComplianceEntry>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn compliance(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ComplianceQuery>,
) -> Result<Json<Page<ComplianceEntry>>, ApiError> {
    let (region, year, _) = region_and_year(q.region.as_deref(), q.year.as_deref())?;
    let group = q
        .group
        .as_deref()
        .ok_or_else(|| ApiError::invalid("group", "is required"))
        .and_then(|g| {
            VolunteerGroup::from_slug(g).ok_or_else(|| ApiError::invalid("group", "is not a group"))
        })?;
    Ok(Json(
        stats::compliance(
            &state.store,
            &caller,
            &region,
            year,
            group,
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// A region's monthly reports of a year (region admins), with the month so far in the
/// current year; the page groups them by month or by quarter, prints and exports them.
#[utoipa::path(get, path = "/api/stats/reports", tag = "stats", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = zhiyuan_shared::stats::PeriodicReports), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn reports(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<StatsQuery>,
) -> Result<Json<zhiyuan_shared::stats::PeriodicReports>, ApiError> {
    let (region, year, _) = region_and_year(q.region.as_deref(), q.year.as_deref())?;
    let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
    Ok(Json(
        crate::service::reports::list(&state.store, &caller, &region, year, now).await?,
    ))
}
