//! Rating done needs (评单) and the organisations' ratings.

use super::extract::MaybeCaller;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::need_ratings;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::need_rating::{NeedRating, OrgRatings, RatingInput, ReplyInput};
use zhiyuan_shared::time::Timestamp;

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// The poster rates their done need 1–5 stars, with an optional comment, once. The same
/// rating sent again answers 200 with it; a different second one is 409.
#[utoipa::path(post, path = "/api/needs/{id}/rating", tag = "needs", request_body = RatingInput,
    security(("bearer" = [])), params(("id" = String, Path, description = "need id")),
    responses((status = 201, body = NeedRating), (status = 200, body = NeedRating, description = "the same rating again"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not_poster"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "need_not_done, already_rated")))]
#[tracing::instrument(skip_all)]
pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<RatingInput>,
) -> Result<(StatusCode, Json<NeedRating>), ApiError> {
    let (rating, created) = need_ratings::rate(
        &state.store,
        state.config.sender,
        &caller,
        &id,
        &input,
        now(),
    )
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(rating)))
}

/// A need's rating (the rater masked), for anyone; 404 while it has none.
#[utoipa::path(get, path = "/api/needs/{id}/rating", tag = "needs", security((), ("bearer" = [])),
    params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = NeedRating), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<NeedRating>, ApiError> {
    Ok(Json(need_ratings::get(&state.store, &id).await?))
}

/// An organizer of the organisation that served the need replies to its rating, once.
#[utoipa::path(post, path = "/api/needs/{id}/rating/reply", tag = "needs", request_body = ReplyInput,
    security(("bearer" = [])), params(("id" = String, Path, description = "need id")),
    responses((status = 200, body = NeedRating), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "no such need or no rating yet"),
        (status = 409, body = ErrorBody, description = "already_replied")))]
#[tracing::instrument(skip_all)]
pub async fn reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<ReplyInput>,
) -> Result<Json<NeedRating>, ApiError> {
    Ok(Json(
        need_ratings::reply(
            &state.store,
            state.config.sender,
            &caller,
            &id,
            &input,
            now(),
        )
        .await?,
    ))
}

/// An organisation's rating average and count (kept exact with each rating) and its
/// most recent ratings, newest first.
#[utoipa::path(get, path = "/api/orgs/{id}/ratings", tag = "orgs", security((), ("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = OrgRatings), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn of_org(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<String>,
) -> Result<Json<OrgRatings>, ApiError> {
    Ok(Json(
        need_ratings::of_org(&state.store, caller.as_ref(), &id).await?,
    ))
}
