use super::extract::{MaybeCaller, Query};
use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::orgs;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::org::{Member, MyMembership, Org, OrgInput, OrgStatus, RejectRequest};
use zhiyuan_shared::query::{MembersQuery, OrgsQuery};

/// Registers an organisation (status `pending`); the founder becomes its organizer.
#[utoipa::path(post, path = "/api/orgs", tag = "orgs", request_body = OrgInput, security(("bearer" = [])),
    responses((status = 201, body = Org), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "volunteer_required")))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<OrgInput>,
) -> Result<(StatusCode, Json<Org>), ApiError> {
    let draft = input.validate()?;
    Ok((
        StatusCode::CREATED,
        Json(orgs::create(&state.store, &caller, draft).await?),
    ))
}

/// Organisations of a region by status: approved ones for anyone; `pending` and
/// `rejected` are the region admins' queue.
#[utoipa::path(get, path = "/api/orgs", tag = "orgs", security((), ("bearer" = [])),
    params(OrgsQuery),
    responses((status = 200, body = Page<Org>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(q): Query<OrgsQuery>,
) -> Result<Json<Page<Org>>, ApiError> {
    Ok(Json(orgs::list(&state.store, caller.as_ref(), &q).await?))
}

#[utoipa::path(get, path = "/api/orgs/{id}", tag = "orgs", security((), ("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = Org), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<String>,
) -> Result<Json<Org>, ApiError> {
    Ok(Json(orgs::get(&state.store, caller.as_ref(), &id).await?))
}

/// Approves a pending organisation (region admin of its region).
#[utoipa::path(post, path = "/api/orgs/{id}/approve", tag = "orgs", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = Org), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Org>, ApiError> {
    Ok(Json(
        orgs::decide(
            &state.store,
            state.config.sender,
            &caller,
            &id,
            OrgStatus::Approved,
            None,
        )
        .await?,
    ))
}

/// Rejects a pending organisation with a reason (region admin of its region).
#[utoipa::path(post, path = "/api/orgs/{id}/reject", tag = "orgs", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")), request_body = RejectRequest,
    responses((status = 200, body = Org), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<RejectRequest>,
) -> Result<Json<Org>, ApiError> {
    let reason = zhiyuan_shared::text::clean(&req.reason, 200, true)
        .map_err(|e| ApiError::invalid("reason", e))?;
    Ok(Json(
        orgs::decide(
            &state.store,
            state.config.sender,
            &caller,
            &id,
            OrgStatus::Rejected,
            Some(reason),
        )
        .await?,
    ))
}

/// A real-name volunteer asks to join.
#[utoipa::path(post, path = "/api/orgs/{id}/members", tag = "orgs", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 201, body = MyMembership), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "already_member, org_not_approved")))]
#[tracing::instrument(skip_all)]
pub async fn join(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<MyMembership>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(orgs::join(&state.store, &caller, &id).await?),
    ))
}

/// Members (names and volunteer numbers, never phones) or join requests: the
/// organisation's organizers and region admins over it.
#[utoipa::path(get, path = "/api/orgs/{id}/members", tag = "orgs", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), MembersQuery),
    responses((status = 200, body = Page<Member>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<Json<Page<Member>>, ApiError> {
    Ok(Json(orgs::members(&state.store, &caller, &id, &q).await?))
}

/// Approves a join request (the organisation's organizers).
#[utoipa::path(post, path = "/api/orgs/{id}/members/{user_id}/approve", tag = "orgs", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), ("user_id" = String, Path, description = "the applicant")),
    responses((status = 200, body = Member), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn approve_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(
        orgs::approve_member(&state.store, state.config.sender, &caller, &id, &user_id).await?,
    ))
}
