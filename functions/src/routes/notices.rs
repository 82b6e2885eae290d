use super::extract::Query;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::notices;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::notice::Notices;
use zhiyuan_shared::query::PageQuery;

/// The caller's inbox, newest first, with the unread count.
#[utoipa::path(get, path = "/api/me/notices", tag = "notices", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Notices), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Notices>, ApiError> {
    Ok(Json(notices::list(&state.store, &caller, &q).await?))
}

/// Marks every notice read.
#[utoipa::path(post, path = "/api/me/notices/read", tag = "notices", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn read(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    notices::mark_read(&state.store, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
