//! Needs and matching (供需对接).

use super::extract::{MaybeCaller, Query};
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::needs;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::need::{ClaimRequest, Need, NeedInput};
use zhiyuan_shared::query::{NeedsQuery, PageQuery};
use zhiyuan_shared::time::Timestamp;

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// A resident (any signed-in user) posts a need; it is open until an organisation claims it.
#[utoipa::path(post, path = "/api/needs", tag = "needs", request_body = NeedInput, security(("bearer" = [])),
    responses((status = 201, body = Need), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn post(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<NeedInput>,
) -> Result<(StatusCode, Json<Need>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(needs::post(&state.store, &caller, &input, now()).await?),
    ))
}

/// Needs near a point (nearest first) or in a region (oldest first), by status.
#[utoipa::path(get, path = "/api/needs", tag = "needs", security((), ("bearer" = [])),
    params(NeedsQuery),
    responses((status = 200, body = Page<Need>), (status = 400, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(q): Query<NeedsQuery>,
) -> Result<Json<Page<Need>>, ApiError> {
    Ok(Json(needs::list(&state.store, caller.as_ref(), &q).await?))
}

#[utoipa::path(get, path = "/api/needs/{id}", tag = "needs", security((), ("bearer" = [])),
    params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<String>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(needs::get(&state.store, caller.as_ref(), &id).await?))
}

/// The needs the caller posted, newest first, with where each stands.
#[utoipa::path(get, path = "/api/me/needs", tag = "needs", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<Need>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<Need>>, ApiError> {
    Ok(Json(needs::mine(&state.store, &caller, &q).await?))
}

/// An organizer claims the need for one of their approved organisations.
#[utoipa::path(post, path = "/api/needs/{id}/claim", tag = "needs", request_body = ClaimRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already_claimed, org_not_approved")))]
#[tracing::instrument(skip_all)]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ClaimRequest>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(
        needs::claim(
            &state.store,
            state.config.sender,
            &caller,
            &id,
            &req.org_id,
            now(),
        )
        .await?,
    ))
}

/// The claiming organisation marks the need done.
#[utoipa::path(post, path = "/api/needs/{id}/complete", tag = "needs", security(("bearer" = [])),
    params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(
        needs::complete(&state.store, state.config.sender, &caller, &id, now()).await?,
    ))
}

/// The poster withdraws their need while it is still open; it leaves the public lists.
#[utoipa::path(post, path = "/api/needs/{id}/withdraw", tag = "needs", security(("bearer" = [])),
    params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not_poster"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "wrong_state: claimed or done already")))]
#[tracing::instrument(skip_all)]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(needs::withdraw(&state.store, &caller, &id).await?))
}
