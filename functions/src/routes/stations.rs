use super::extract::Query;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::stations::{self, StationQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::query::StationsQuery;
use zhiyuan_shared::station::{StationDetail, StationInput, StationSummary};

/// Stations near a point (nearest first, with `distance_m`) or in a region, by type.
#[utoipa::path(get, path = "/api/stations", tag = "public",
    params(StationsQuery),
    responses((status = 200, body = Page<StationSummary>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<StationsQuery>,
) -> Result<Json<Page<StationSummary>>, ApiError> {
    let q = StationQuery::parse(&q)?;
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
    responses((status = 201, body = StationDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not a region admin of the station's region")))]
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
    responses((status = 200, body = StationDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not a region admin of the station's region"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the station changed meanwhile")))]
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
