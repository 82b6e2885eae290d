//! Hours with evidence (补录): a member applies with evidence from the activity's archive,
//! an organizer of the organisation approves or refuses.

use super::extract::Query;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::attachments::Archive;
use crate::service::backfills::BackfillDesk;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::backfill::{Backfill, BackfillRequest, Backfills, RefuseBackfill};
use zhiyuan_shared::query::PageQuery;
use zhiyuan_shared::time::Timestamp;

fn desk(state: &AppState) -> BackfillDesk<'_> {
    BackfillDesk {
        archive: Archive {
            store: &state.store,
            files: &state.files,
            keys: &state.config.keys,
        },
        step: state.config.hours_step_minutes,
        sender: state.config.sender,
    }
}

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// A member volunteer applies for hours of a past shift of the organisation, with
/// evidence uploaded to the activity's archive (kind `evidence`). 400 names the field:
/// `check_in` more than 30 days ago or overlapping one of the applicant's records or
/// pending applications, `check_out` in the future, `shift_id` not a past shift of the
/// organisation, `evidence` missing or not the applicant's. 403 `not_member`.
#[utoipa::path(post, path = "/api/orgs/{id}/backfills", tag = "records",
    params(("id" = String, Path, description = "organisation id")),
    request_body = BackfillRequest, security(("bearer" = [])),
    responses((status = 201, body = Backfill), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<BackfillRequest>,
) -> Result<(StatusCode, Json<Backfill>), ApiError> {
    let b = desk(&state).apply(&caller, &id, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(b)))
}

/// The organisation's pending applications, oldest first, with evidence download links:
/// for its organizers.
#[utoipa::path(get, path = "/api/orgs/{id}/backfills", tag = "records",
    params(("id" = String, Path, description = "organisation id"), PageQuery),
    security(("bearer" = [])),
    responses((status = 200, body = Backfills), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn pending(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Backfills>, ApiError> {
    Ok(Json(
        desk(&state).pending_of_org(&caller, &id, &q, now()).await?,
    ))
}

/// The caller's own applications and their decisions, newest first.
#[utoipa::path(get, path = "/api/me/backfills", tag = "records",
    params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Backfills), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Backfills>, ApiError> {
    Ok(Json(desk(&state).mine(&caller, &q, now()).await?))
}

/// Approves a pending application: its record is created confirmed and marked 补录, in
/// one transaction with the decision. 403 `own_record` for the applicant (even an
/// organizer); 409 `already_decided` when another decision came first, `record_exists`
/// when the volunteer has a record overlapping it by now.
#[utoipa::path(post, path = "/api/backfills/{id}/approve", tag = "records",
    params(("id" = String, Path, description = "application id")),
    security(("bearer" = [])),
    responses((status = 200, body = Backfill), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Backfill>, ApiError> {
    Ok(Json(desk(&state).approve(&caller, &id, now()).await?))
}

/// Refuses a pending application with a reason the applicant is told.
#[utoipa::path(post, path = "/api/backfills/{id}/refuse", tag = "records",
    params(("id" = String, Path, description = "application id")),
    request_body = RefuseBackfill, security(("bearer" = [])),
    responses((status = 200, body = Backfill), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn refuse(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<RefuseBackfill>,
) -> Result<Json<Backfill>, ApiError> {
    Ok(Json(desk(&state).refuse(&caller, &id, &req, now()).await?))
}
