use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::notices;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::notice::Notices;

/// The caller's inbox, newest first, with the unread count.
#[utoipa::path(get, path = "/api/me/notices", tag = "notices", security(("bearer" = [])),
    params(("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page")),
    responses((status = 200, body = Notices), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Json<Notices>, ApiError> {
    Ok(Json(notices::list(&state.store, &caller, &raw).await?))
}

/// Marks every notice read.
#[utoipa::path(post, path = "/api/me/notices/read", tag = "notices", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn read(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    notices::mark_read(&state.store, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
