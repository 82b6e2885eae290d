use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use zhiyuan_shared::api::Health;

/// `{"status":"ok"}` once the store answers.
#[utoipa::path(get, path = "/api/health", tag = "public",
    responses((status = 200, body = Health), (status = 503, body = zhiyuan_shared::api::ErrorBody)))]
pub async fn get(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "health check: store did not answer");
        ApiError::Busy
    })?;
    Ok(Json(Health {
        status: "ok".into(),
    }))
}
