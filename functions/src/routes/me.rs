use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::{accounts, orgs};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::account::{Me, Revealed, VolunteerProfile, VolunteerRequest};
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::org::MyMembership;

/// The caller's profile: roles, masked personal data, hours and star level.
#[utoipa::path(get, path = "/api/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(State(state): State<AppState>, caller: Caller) -> Json<Me> {
    Json(accounts::me(&state.config.keys, &caller.user))
}

/// Real-name registration (实名注册): one ID number = one volunteer.
#[utoipa::path(post, path = "/api/me/volunteer", tag = "accounts", request_body = VolunteerRequest,
    security(("bearer" = [])),
    responses((status = 201, body = VolunteerProfile), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "id_number_taken, already_volunteer")))]
#[tracing::instrument(skip_all)]
pub async fn become_volunteer(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<VolunteerRequest>,
) -> Result<(StatusCode, Json<VolunteerProfile>), ApiError> {
    let out = accounts::become_volunteer(&state.store, &state.config.keys, &caller, req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The owner's own "show" action: the whole phone and ID number, after a re-check
/// (`POST /api/me/recheck`) within the last 5 minutes. POST so that no cache or history
/// keeps the answer.
#[utoipa::path(post, path = "/api/me/reveal", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Revealed), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "recheck_required")))]
#[tracing::instrument(skip_all)]
pub async fn reveal(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let out = accounts::reveal(&state.config.keys, &caller)?;
    Ok(no_store(Json(out).into_response()))
}

/// An answer that carries whole personal data: no cache may keep it.
pub(super) fn no_store(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    resp
}

/// The caller's organisations and pending join requests.
#[utoipa::path(get, path = "/api/me/orgs", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<MyMembership>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn orgs(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<MyMembership>>, ApiError> {
    Ok(Json(orgs::my_memberships(&state.store, &caller).await?))
}
