//! Assisted registration (代注册): thin handlers over `service::assisted`.

use super::extract::ClientAddr;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::assisted;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::assisted::{
    AssistedCodeRequest, AssistedRegistration, AssistedRegistrationRequest,
};

/// Sends the resident's phone an `assisted_register` code, which the resident reads out
/// to the helper. By a station manager or an organizer of an approved organisation; 202
/// whether or not the phone has an account (one that has gets a note to sign in
/// instead); 429 over the phone's limits or the helper's 40 a day.
#[utoipa::path(post, path = "/api/assisted-registrations/codes", tag = "accounts",
    security(("bearer" = [])), request_body = AssistedCodeRequest,
    responses((status = 202, description = "accepted; a code is on its way to the resident's phone"),
        (status = 400, body = ErrorBody, description = "`phone` invalid"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn request_code(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    caller: Caller,
    JsonBody(req): JsonBody<AssistedCodeRequest>,
) -> Result<StatusCode, ApiError> {
    assisted::request_code(
        &state.store,
        &state.config.keys,
        &state.config.sms,
        &client,
        &caller,
        req,
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Registers an older resident (代注册) with a real-name profile: with `phone` and the
/// `code` the resident read out, or without a phone on signed paper consent
/// (`paper_consent`, `consent_note`). The account is marked assisted and has no password
/// until the resident takes it over (`POST /api/auth/reset` with a `reset` code). 20 a
/// day per helper.
#[utoipa::path(post, path = "/api/assisted-registrations", tag = "accounts",
    security(("bearer" = [])), request_body = AssistedRegistrationRequest,
    responses((status = 201, body = AssistedRegistration),
        (status = 400, body = ErrorBody, description = "a field is invalid (named in `field`); `code` when the code is missing, wrong, expired or used"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not a station manager or an organizer of an approved organisation"),
        (status = 409, body = ErrorBody, description = "`phone_taken` or `id_number_taken`"),
        (status = 429, body = ErrorBody, description = "the helper's daily limit, or too many wrong codes for the phone")))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    caller: Caller,
    JsonBody(req): JsonBody<AssistedRegistrationRequest>,
) -> Result<(StatusCode, Json<AssistedRegistration>), ApiError> {
    let out = assisted::register(&state.store, &state.config.keys, &client, &caller, req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}
