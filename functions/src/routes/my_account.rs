//! "My account" (我的账号): change password, download my data, close my account.

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
    ChangePasswordRequest, ChangePasswordResponse, CloseRequest, MyData, export_file_name,
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

/// 我的数据: everything the platform holds on the caller, as a JSON file download.
#[utoipa::path(get, path = "/api/me/export", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MyData,
        description = "served with Content-Disposition: attachment; filename=\"zhiyuan-my-data-YYYYMMDD.json\""),
        (status = 401, body = ErrorBody)))]
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
