use crate::error::ApiError;
use crate::service;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use zhiyuan_shared::region::Region;

/// Every region with its population and centre.
#[utoipa::path(get, path = "/api/regions", tag = "public", responses((status = 200, body = Vec<Region>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Region>>, ApiError> {
    Ok(Json(service::regions::list(&state.store).await?))
}
