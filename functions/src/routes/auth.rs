use super::extract::ClientAddr;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::accounts;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use zhiyuan_shared::account::{LoginRequest, LoginResponse, RegisterRequest, RegisterResponse};
use zhiyuan_shared::api::ErrorBody;

/// Creates a phone + password account and signs it in.
#[utoipa::path(post, path = "/api/auth/register", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "phone_taken")))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let out = accounts::register(&state.store, &state.config.keys, req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Signs in. The same 401 for an unknown phone and a wrong password; 429 with
/// `Retry-After` after too many failures for a phone or attempts from a client.
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    Ok(Json(
        accounts::login(&state.store, &state.config.keys, &client, req).await?,
    ))
}

/// Ends every session of the caller, on every device.
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    accounts::logout(&state.store, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
