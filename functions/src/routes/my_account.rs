//! "My account" (我的账号): change password, download my data, close my account.

use super::extract::ClientAddr;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::my_account;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::my_account::{
    ChangePasswordRequest, ChangePasswordResponse, CloseRequest, MyData, RecheckRequest,
    RecheckResponse, export_file_name,
};

/// Changes the password (the current one required). Every other session ends; the answer
/// carries a fresh token for this device.
#[utoipa::path(post, path = "/api/me/password", tag = "accounts", request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ChangePasswordResponse),
        (status = 400, body = ErrorBody, description = "current_password wrong; new_password weak or unchanged"),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<ChangePasswordRequest>,
) -> Result<Json<ChangePasswordResponse>, ApiError> {
    Ok(Json(
        my_account::change_password(&state.store, &state.config.keys, &caller, req).await?,
    ))
}

/// 我的数据: everything the platform holds on the caller, as a JSON file download, after a
/// re-check (`POST /api/me/recheck`) within the last 5 minutes.
#[utoipa::path(get, path = "/api/me/export", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MyData,
        description = "served with Content-Disposition: attachment; filename=\"zhiyuan-my-data-YYYYMMDD.json\""),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "recheck_required: no re-check within the last 5 minutes")))]
#[tracing::instrument(skip_all)]
pub async fn export(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let data = my_account::export(&state.store, &state.config.keys, &caller).await?;
    let day = crate::clock::today_cst().iso().replace('-', "");
    let disposition = format!("attachment; filename=\"{}\"", export_file_name(&day));
    let mut resp = Json(data).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .map_err(|e| ApiError::Internal(format!("header: {e}")))?,
    );
    // Whole ID and phone numbers: no cache may keep them.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// 注销账号: after a password or SMS-code re-check, the account closes for good (see the
/// README, "My account"). 400 on `password` or `code` when it is wrong.
#[utoipa::path(post, path = "/api/me/close", tag = "accounts", request_body = CloseRequest,
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<CloseRequest>,
) -> Result<StatusCode, ApiError> {
    my_account::close(
        &state.store,
        &state.config.keys,
        &state.files,
        state.config.sender,
        &caller,
        req,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enters the password or an SMS code again. The answer is this session's token stamped
/// with the re-check, which opens `POST /api/me/reveal`, `GET /api/me/export` and
/// `POST /api/me/transfer` for 5 minutes; the app stores it in place of the old one.
#[utoipa::path(post, path = "/api/me/recheck", tag = "accounts", request_body = RecheckRequest,
    security(("bearer" = [])),
    responses((status = 200, body = RecheckResponse),
        (status = 400, body = ErrorBody,
            description = "`password` missing or wrong; `code` not 6 digits, wrong or no longer valid"),
        (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "too many wrong passwords or codes")))]
#[tracing::instrument(skip_all)]
pub async fn recheck(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<RecheckRequest>,
) -> Result<Json<RecheckResponse>, ApiError> {
    Ok(Json(
        my_account::recheck_session(&state.store, &state.config.keys, &caller, req).await?,
    ))
}

/// Sends a `login` code to the caller's own phone, for a re-check by code (the app
/// shows only the masked number). 429 with `Retry-After` over the code limits.
#[utoipa::path(post, path = "/api/me/recheck/code", tag = "accounts", security(("bearer" = [])),
    responses((status = 202, description = "a code is on its way to the account's phone"),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn recheck_code(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    my_account::send_recheck_code(
        &state.store,
        &state.config.keys,
        &state.config.sms,
        &client,
        &caller,
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}
