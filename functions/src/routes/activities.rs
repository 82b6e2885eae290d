use super::extract::{Query, Session};
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::activity_edits::{self, EditOutcome};
use crate::service::{activities, series, signups};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::activity::{
    Activity, ActivityEditInput, ActivityInput, CancelActivityRequest, EditConflict, MyShift,
    RosterEntry, SignupRequest, SignupResult,
};
use zhiyuan_shared::api::{ErrorBody, ErrorDetail, Page};
use zhiyuan_shared::query::{ActivitiesQuery, PageQuery};
use zhiyuan_shared::series::EditScopeQuery;
use zhiyuan_shared::time::Timestamp;

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// Publishes an activity with its shifts (an organizer of the organisation).
#[utoipa::path(post, path = "/api/activities", tag = "activities", request_body = ActivityInput,
    security(("bearer" = [])),
    responses((status = 201, body = Activity), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "forbidden, outside_org_region (the place is outside the organisation's region)"),
        (status = 409, body = ErrorBody, description = "org_not_approved"),
        (status = 503, body = ErrorBody, description = "busy: retry")))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<ActivityInput>,
) -> Result<(StatusCode, Json<Activity>), ApiError> {
    let activity = activities::publish(&state.store, &caller, input, now()).await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// Activities not yet over, soonest-ending first; each shift with places taken and waiting.
#[utoipa::path(get, path = "/api/activities", tag = "activities",
    params(ActivitiesQuery),
    responses((status = 200, body = Page<Activity>), (status = 400, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ActivitiesQuery>,
) -> Result<Json<Page<Activity>>, ApiError> {
    Ok(Json(activities::list(&state.store, &q, now()).await?))
}

#[utoipa::path(get, path = "/api/activities/{id}", tag = "activities",
    params(("id" = String, Path, description = "activity id")),
    responses((status = 200, body = Activity), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Activity>, ApiError> {
    Ok(Json(activities::get(&state.store, &id).await?))
}

/// Cancels the activity and notifies everyone signed up (its organizers). Repeating it
/// re-sends notices a failure may have left unsent, never twice to one person.
#[utoipa::path(post, path = "/api/activities/{id}/cancel", tag = "activities",
    request_body = CancelActivityRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "activity id")),
    responses((status = 200, body = Activity), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<CancelActivityRequest>,
) -> Result<Json<Activity>, ApiError> {
    let reason = zhiyuan_shared::text::clean(&req.reason, 200, true)
        .map_err(|e| ApiError::invalid("reason", e))?;
    Ok(Json(
        activities::cancel_activity(&state.store, state.config.sender, &caller, &id, reason)
            .await?,
    ))
}

/// Edits the activity's title, description and requirements, and the times and places of
/// shifts that have not started (an organizer of its organisation). Places never go below
/// the confirmed sign-ups; raising them promotes the waitlist in order. New times that
/// make a signed-up volunteer's shifts overlap answer 409 `overlaps_found` naming them,
/// unless `confirm_overlaps`. Everyone signed up is told.
///
/// `scope=future` on an occurrence of a regular activity: the same texts, times of day
/// and places for every later occurrence too, and for those still to be published
/// (409 `not_in_series` for an activity of no series).
#[utoipa::path(put, path = "/api/activities/{id}", tag = "activities",
    request_body = ActivityEditInput, security(("bearer" = [])),
    params(("id" = String, Path, description = "activity id"), EditScopeQuery),
    responses((status = 200, body = Activity), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = EditConflict, description = "overlaps_found (with `overlaps`), places_below_signups, shift_started, activity_cancelled, activity_changed, not_in_series, occurrences_refused (scope=future: with `refused`, the later occurrences that cannot take the edit; nothing written)"),
        (status = 503, body = ErrorBody, description = "busy: retry")))]
#[tracing::instrument(skip_all)]
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(scope): Query<EditScopeQuery>,
    JsonBody(input): JsonBody<ActivityEditInput>,
) -> Result<Response, ApiError> {
    let (store, sender) = (&state.store, state.config.sender);
    let outcome = match scope.scope.as_deref().map(str::trim) {
        None | Some("" | "one") => {
            activity_edits::edit(store, sender, &caller, &id, &input, now()).await?
        }
        Some("future") => series::edit_future(store, sender, &caller, &id, &input, now()).await?,
        Some(_) => return Err(ApiError::invalid("scope", "must be one or future")),
    };
    Ok(match outcome {
        EditOutcome::Saved(a) => Json(*a).into_response(),
        EditOutcome::Overlaps(overlaps) => {
            let names: Vec<&str> = overlaps.iter().map(|o| o.real_name.as_str()).collect();
            let body = EditConflict {
                error: ErrorDetail {
                    code: "overlaps_found".into(),
                    message: format!(
                        "the new times overlap other sign-ups of: {}; send confirm_overlaps to go ahead",
                        names.join(", ")
                    ),
                    field: None,
                },
                overlaps: Some(overlaps),
                refused: None,
            };
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        EditOutcome::Refused(refused) => {
            let named: Vec<String> = refused
                .iter()
                .map(|r| format!("{} ({}): {}", r.starts_at, r.activity_id, r.code))
                .collect();
            let body = EditConflict {
                error: ErrorDetail {
                    code: "occurrences_refused".into(),
                    message: format!(
                        "nothing was changed: {} later occurrence(s) cannot take this edit: {}",
                        named.len(),
                        named.join("; ")
                    ),
                    field: None,
                },
                overlaps: None,
                refused: Some(refused),
            };
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
    })
}

/// Signs up for a shift: `confirmed` while places last, then `waitlisted`. A retry with the
/// same `client_token` (or `Idempotency-Key` header) gets the same answer.
#[utoipa::path(post, path = "/api/shifts/{id}/signups", tag = "activities",
    request_body(content = SignupRequest, description = "optional"), security(("bearer" = [])),
    params(("id" = String, Path, description = "shift id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[A-Za-z0-9_-]{1,64}$", description = "same as client_token")),
    responses((status = 201, body = SignupResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "volunteer_required"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already_signed_up, overlapping_shift, deadline_passed, activity_cancelled, shift_started"),
        (status = 422, body = ErrorBody, description = "below_min_age"),
        (status = 503, body = ErrorBody, description = "busy: retry with the same token")))]
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<SignupResult>), ApiError> {
    let header = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    // The body is optional: none, `null` and `{}` all mean "no token".
    let req: SignupRequest = match body.trim_ascii() {
        b"" | b"null" => SignupRequest::default(),
        raw => serde_json::from_slice(raw).map_err(|e| ApiError::MalformedBody(e.to_string()))?,
    };
    let from_body = req.client_token.as_deref();
    let token = signups::client_token(from_body.or(header))?;
    Ok((
        StatusCode::CREATED,
        Json(
            signups::sign_up_session(&state.store, session.claims, session.at, &id, &token, now())
                .await?,
        ),
    ))
}

/// Withdraws the caller's sign-up; a freed place goes to the first on the waitlist.
#[utoipa::path(delete, path = "/api/shifts/{id}/signups/me", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path, description = "shift id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "shift_started, activity_cancelled")))]
#[tracing::instrument(skip_all)]
pub async fn cancel_signup(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    signups::cancel_signup(&state.store, state.config.sender, &caller, &id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A shift's roster: names and volunteer numbers, never phones (the activity's organizers).
#[utoipa::path(get, path = "/api/shifts/{id}/signups", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path, description = "shift id"), PageQuery),
    responses((status = 200, body = Page<RosterEntry>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn roster(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<RosterEntry>>, ApiError> {
    Ok(Json(signups::roster(&state.store, &caller, &id, &q).await?))
}

/// The caller's sign-ups from yesterday on, soonest first ("my activities").
#[utoipa::path(get, path = "/api/me/activities", tag = "activities", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<MyShift>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<MyShift>>, ApiError> {
    Ok(Json(
        signups::my_shifts(&state.store, &caller, &q, now()).await?,
    ))
}

/// Cancels this occurrence of a regular activity and every later one, those published and
/// those still to come (its organizers); everyone signed up is told, as for a cancelled
/// activity. Repeating it re-sends what a failure left unsent, never twice to one person.
#[utoipa::path(post, path = "/api/activities/{id}/series/cancel", tag = "activities",
    request_body = CancelActivityRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "activity id (an occurrence)")),
    responses((status = 200, body = Activity, description = "this occurrence, cancelled"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_in_series"),
        (status = 503, body = ErrorBody, description = "busy: retry")))]
#[tracing::instrument(skip_all)]
pub async fn cancel_series(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<CancelActivityRequest>,
) -> Result<Json<Activity>, ApiError> {
    let reason = zhiyuan_shared::text::clean(&req.reason, 200, true)
        .map_err(|e| ApiError::invalid("reason", e))?;
    Ok(Json(
        series::cancel_future(&state.store, state.config.sender, &caller, &id, reason).await?,
    ))
}
