use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::stations::{self, StationQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::station::{StationDetail, StationInput, StationSummary};

/// Stations near a point (nearest first, with `distance_m`) or in a region, by type.
#[utoipa::path(get, path = "/api/stations", tag = "public",
    params(
        ("lat" = Option<f64>, Query, description = "WGS-84 latitude; with lng, nearest first"),
        ("lng" = Option<f64>, Query, description = "WGS-84 longitude"),
        ("radius_km" = Option<f64>, Query, description = "search radius, 0 < r ≤ 50, default 20"),
        ("type" = Option<String>, Query, description = "station type slug"),
        ("region" = Option<String>, Query, description = "region code; a city covers its banners"),
        ("this_week" = Option<bool>, Query, description = "true: only stations with a published activity that has a shift in the next 7 days (a region page may then hold fewer than limit)"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
    ),
    responses((status = 200, body = Page<StationSummary>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Json<Page<StationSummary>>, ApiError> {
    let q = StationQuery::parse(&raw)?;
    Ok(Json(stations::list(&state.store, q).await?))
}

/// A station page: address, hours, masked contact, 五有 checklist, upcoming activities.
#[utoipa::path(get, path = "/api/stations/{id}", tag = "public",
    params(("id" = String, Path, description = "station id")),
    responses((status = 200, body = StationDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<StationDetail>, ApiError> {
    Ok(Json(stations::get(&state.store, &id).await?))
}

/// Creates an approved station (region admin of its region).
#[utoipa::path(post, path = "/api/stations", tag = "admin", request_body = StationInput,
    security(("bearer" = [])),
    responses((status = 201, body = StationDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<StationInput>,
) -> Result<(StatusCode, Json<StationDetail>), ApiError> {
    let draft = input.validate()?;
    Ok((
        StatusCode::CREATED,
        Json(stations::create(&state.store, &caller, draft).await?),
    ))
}

/// Replaces a station's content (region admin of its region, or its station manager).
#[utoipa::path(put, path = "/api/stations/{id}", tag = "admin", request_body = StationInput,
    params(("id" = String, Path, description = "station id")),
    security(("bearer" = [])),
    responses((status = 200, body = StationDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<StationInput>,
) -> Result<Json<StationDetail>, ApiError> {
    let draft = input.validate()?;
    Ok(Json(
        stations::update(&state.store, &caller, &id, draft).await?,
    ))
}
