//! ID number already taken (身份证被占用): appeals and their decisions.

use super::extract::Query;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::appeals::Appeals;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::appeal::{
    AppealDecision, AppealPhotoRequest, AppealPhotoTicket, AppealQuery, AppealRequest,
    IdentityAppeal, IdentityAppeals,
};
use zhiyuan_shared::time::Timestamp;

fn appeals(state: &AppState) -> Appeals<'_> {
    Appeals {
        store: &state.store,
        files: &state.files,
        keys: &state.config.keys,
    }
}

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// Step 1 of an appeal: a presigned `PUT` for the photo of the ID card (the archive's
/// upload rules, images only), valid for 15 minutes.
#[utoipa::path(post, path = "/api/identity-appeals/photo", tag = "accounts",
    request_body = AppealPhotoRequest, security(("bearer" = [])),
    responses((status = 201, body = AppealPhotoTicket), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn photo(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<AppealPhotoRequest>,
) -> Result<(StatusCode, Json<AppealPhotoTicket>), ApiError> {
    let ticket = appeals(&state).request_photo(&caller, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(ticket)))
}

/// Files an appeal for an ID number another account holds: the photo that was sent is
/// checked (size, magic bytes). 400 names the field (`id_number` when the number is not
/// taken or is the caller's own); 409 `already_volunteer` or `appeal_pending`.
#[utoipa::path(post, path = "/api/identity-appeals", tag = "accounts",
    request_body = AppealRequest, security(("bearer" = [])),
    responses((status = 201, body = IdentityAppeal), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<AppealRequest>,
) -> Result<(StatusCode, Json<IdentityAppeal>), ApiError> {
    let appeal = appeals(&state).file(&caller, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(appeal)))
}

/// Pending appeals in a region the caller administers, with the ID card photo and both
/// accounts' phones masked.
#[utoipa::path(get, path = "/api/identity-appeals", tag = "accounts",
    params(AppealQuery), security(("bearer" = [])),
    responses((status = 200, body = IdentityAppeals), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn pending(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AppealQuery>,
) -> Result<Json<IdentityAppeals>, ApiError> {
    Ok(Json(
        appeals(&state)
            .pending(&caller, q.region.as_deref(), now())
            .await?,
    ))
}

/// The caller's own appeals and their decisions, newest first.
#[utoipa::path(get, path = "/api/me/identity-appeals", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 200, body = IdentityAppeals), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<IdentityAppeals>, ApiError> {
    Ok(Json(appeals(&state).mine(&caller).await?))
}

/// Decides an appeal once (a reason is required to refuse). On approval the volunteer
/// identity — profile, volunteer number, ID guard, hours and records — moves to the
/// appellant in one transaction; both accounts get a notice. A second decision is 409.
#[utoipa::path(post, path = "/api/identity-appeals/{id}/decide", tag = "accounts",
    params(("id" = String, Path, description = "appeal id")),
    request_body = AppealDecision, security(("bearer" = [])),
    responses((status = 200, body = IdentityAppeal), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<AppealDecision>,
) -> Result<Json<IdentityAppeal>, ApiError> {
    Ok(Json(
        appeals(&state)
            .decide(state.config.sender, &caller, &id, &req, now())
            .await?,
    ))
}
