//! Who is calling. Until accounts land, station writes take the configured bootstrap
//! admin token; the extractor is the one place that changes when roles arrive.

use crate::app::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use subtle::ConstantTimeEq;

/// A caller proven to hold the bootstrap admin token.
pub struct BootstrapAdmin;

impl FromRequestParts<AppState> for BootstrapAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        let expected = state
            .config
            .admin_token
            .as_deref()
            .ok_or(ApiError::Unauthorized)?;
        if bool::from(presented.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(BootstrapAdmin)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}
