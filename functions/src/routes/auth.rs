use super::extract::ClientAddr;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::{accounts, codes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use zhiyuan_shared::account::{LoginRequest, LoginResponse, RegisterRequest, RegisterResponse};
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::codes::{CodeRequest, ResetRequest};

/// Creates a phone + password account, proved by a `register` code, and signs it in.
#[utoipa::path(post, path = "/api/auth/register", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse),
        (status = 400, body = ErrorBody, description = "a field is invalid; `code` when the code is missing, wrong, expired or used"),
        (status = 429, body = ErrorBody, description = "too many wrong codes for the phone"),
        (status = 409, body = ErrorBody, description = "phone_taken")))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let out = accounts::register(&state.store, &state.config.keys, req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Signs in with `{phone, password}` or `{phone, code}` (a `login` code). The same 401 for an unknown phone and a wrong password; 429 with
/// `Retry-After` after too many failures for a phone or from a client address. A region
/// admin's right password answers 401 `second_factor_required` and sends a
/// `second_factor` code; `{phone, password, code}` with that code then signs in, to a
/// session that idles out after 30 minutes (renewed tokens come in `X-Session-Token`).
/// A region admin's `{phone, code}` alone answers 401 `password_required`.
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody,
            description = "`unauthorized` (wrong phone, password or code), `second_factor_required` (a code was sent; give it with the password), `password_required` (an admin signs in with the password and a code)"),
        (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let out = accounts::login(
        &state.store,
        &state.config.keys,
        &state.config.sms,
        &client,
        state.clock.now_unix(),
        req,
    )
    .await?;
    crate::audit::signed_in(&out.user, &client);
    Ok(Json(out))
}

/// Ends every session of the caller, on every device.
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    accounts::logout(&state.store, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a verification code to the phone. Always 202, whether or not the phone has an
/// account; 429 with `Retry-After` over a send limit (per phone: 1 a minute, 10 a day;
/// per client address: 300 an hour).
#[utoipa::path(post, path = "/api/auth/codes", tag = "accounts", request_body = CodeRequest,
    responses((status = 202, description = "accepted; a code is on its way if the purpose fits the phone"),
        (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn request_code(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(req): JsonBody<CodeRequest>,
) -> Result<StatusCode, ApiError> {
    codes::request_code(
        &state.store,
        &state.config.keys,
        &state.config.sms,
        &client,
        req,
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

/// 忘记密码: sets a new password with a `reset` code, ends every other session and signs
/// this device in.
#[utoipa::path(post, path = "/api/auth/reset", tag = "accounts", request_body = ResetRequest,
    responses((status = 200, body = LoginResponse),
        (status = 400, body = ErrorBody, description = "`code` wrong or expired, `new_password` weak or the same as the old"),
        (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn reset(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<ResetRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    Ok(Json(
        accounts::reset_password(&state.store, &state.config.keys, req).await?,
    ))
}
