//! Needs and matching (供需对接).

use super::extract::{MaybeCaller, Query};
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::{need_dispatch, needs};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::need::{ClaimRequest, DeclineRequest, DispatchRequest, Need, NeedInput};
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

/// A region admin or a station manager over the need dispatches an open need to an
/// approved organisation covering it, with a deadline to answer (派单).
#[utoipa::path(post, path = "/api/needs/{id}/dispatch", tag = "needs", request_body = DispatchRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 400, body = ErrorBody, description = "org_id, answer_by"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already_dispatched, wrong_state, need_withdrawn, too_many_dispatches")))]
#[tracing::instrument(skip_all)]
pub async fn dispatch(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DispatchRequest>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(
        need_dispatch::dispatch(&state.store, state.config.sender, &caller, &id, &req, now())
            .await?,
    ))
}

/// An organizer of the organisation it is dispatched to accepts the need (接单); it is
/// then claimed by that organisation.
#[utoipa::path(post, path = "/api/needs/{id}/accept", tag = "needs", security(("bearer" = [])),
    params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_dispatched, dispatch_expired, need_withdrawn")))]
#[tracing::instrument(skip_all)]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(
        need_dispatch::accept(&state.store, state.config.sender, &caller, &id, now()).await?,
    ))
}

/// An organizer of the organisation it is dispatched to declines, with a reason; the need
/// returns to the open queue.
#[utoipa::path(post, path = "/api/needs/{id}/decline", tag = "needs", request_body = DeclineRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = Need), (status = 400, body = ErrorBody, description = "reason"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_dispatched, dispatch_expired, need_withdrawn")))]
#[tracing::instrument(skip_all)]
pub async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DeclineRequest>,
) -> Result<Json<Need>, ApiError> {
    Ok(Json(
        need_dispatch::decline(&state.store, state.config.sender, &caller, &id, &req, now())
            .await?,
    ))
}

/// The needs dispatched to an organisation and awaiting its answer, nearest deadline
/// first; for its organizers.
#[utoipa::path(get, path = "/api/orgs/{id}/dispatched-needs", tag = "needs", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), PageQuery),
    responses((status = 200, body = Page<Need>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn dispatched_to(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<Need>>, ApiError> {
    Ok(Json(
        need_dispatch::dispatched_to(&state.store, &caller, &id, &q).await?,
    ))
}
