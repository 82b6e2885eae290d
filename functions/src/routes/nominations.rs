//! Exemplary selection (选树典型).

use super::extract::Query;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::nominations;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::exemplary::{Nomination, NominationInput};
use zhiyuan_shared::query::NominationsQuery;
use zhiyuan_shared::time::Timestamp;

/// A region admin nominates an outstanding volunteer, organisation, project or community.
#[utoipa::path(post, path = "/api/nominations", tag = "exemplary", request_body = NominationInput,
    security(("bearer" = [])),
    responses((status = 201, body = Nomination), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<NominationInput>,
) -> Result<(StatusCode, Json<Nomination>), ApiError> {
    let now = Timestamp::from_unix(clock::now_unix());
    Ok((
        StatusCode::CREATED,
        Json(nominations::nominate(&state.store, &caller, &input, now).await?),
    ))
}

/// The public list of a year's nominations in a region, with their stories.
#[utoipa::path(get, path = "/api/nominations", tag = "exemplary",
    params(NominationsQuery),
    responses((status = 200, body = Page<Nomination>), (status = 400, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<NominationsQuery>,
) -> Result<Json<Page<Nomination>>, ApiError> {
    let year = i32::from(clock::today_cst().year);
    Ok(Json(nominations::list(&state.store, &q, year).await?))
}

#[utoipa::path(get, path = "/api/nominations/{id}", tag = "exemplary",
    params(("id" = String, Path, description = "nomination id")),
    responses((status = 200, body = Nomination), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Nomination>, ApiError> {
    Ok(Json(nominations::get(&state.store, &id).await?))
}
