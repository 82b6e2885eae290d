//! `GET`/`PUT /api/me/notice-settings`: which notices also come by SMS, and quiet hours.

use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::sms_notices;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::notice_settings::{NoticeSettings, NoticeSettingsInput};

/// The caller's notice settings (the defaults until they save their own).
#[utoipa::path(get, path = "/api/me/notice-settings", tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = NoticeSettings), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<NoticeSettings>, ApiError> {
    Ok(Json(sms_notices::settings(&state.store, &caller).await?))
}

/// Saves the caller's notice settings; an unknown notice kind is refused naming `sms`.
#[utoipa::path(put, path = "/api/me/notice-settings", tag = "notices", security(("bearer" = [])),
    request_body = NoticeSettingsInput,
    responses((status = 200, body = NoticeSettings), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(input): JsonBody<NoticeSettingsInput>,
) -> Result<Json<NoticeSettings>, ApiError> {
    Ok(Json(
        sms_notices::save_settings(&state.store, &caller, &input).await?,
    ))
}
