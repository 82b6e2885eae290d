//! The activity archive (活动档案) and, for the local server, the stand-ins for S3's
//! presigned upload and download URLs.

use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::files::{Ticket, content_disposition};
use crate::service::attachments::Archive;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::archive::{Attachment, AttachmentList, UploadRequest, UploadTicket};
use zhiyuan_shared::time::Timestamp;

fn archive(state: &AppState) -> Archive<'_> {
    Archive {
        store: &state.store,
        files: &state.files,
        keys: &state.config.keys,
    }
}

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// Step 1 of an upload: the organizer says what they will send and gets a presigned
/// `PUT` (S3 in the cloud, this server locally) valid for 15 minutes.
#[utoipa::path(post, path = "/api/activities/{id}/attachments", tag = "archive",
    params(("id" = String, Path, description = "activity id")),
    request_body = UploadRequest, security(("bearer" = [])),
    responses((status = 201, body = UploadTicket), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn request_upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<UploadRequest>,
) -> Result<(StatusCode, Json<UploadTicket>), ApiError> {
    let ticket = archive(&state)
        .request_upload(&caller, &id, &req, now())
        .await?;
    Ok((StatusCode::CREATED, Json(ticket)))
}

/// Step 3: the bytes have been sent; they are checked (size, magic bytes) and filed, or
/// thrown away with the reason (`field: file`).
#[utoipa::path(post, path = "/api/activities/{id}/attachments/{file_id}/complete", tag = "archive",
    params(("id" = String, Path, description = "activity id"), ("file_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Attachment), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Json<Attachment>, ApiError> {
    Ok(Json(
        archive(&state)
            .complete(&caller, &id, &file_id, now())
            .await?,
    ))
}

/// The archive with download links, for the activity's organizers and region admins.
#[utoipa::path(get, path = "/api/activities/{id}/attachments", tag = "archive",
    params(("id" = String, Path, description = "activity id")), security(("bearer" = [])),
    responses((status = 200, body = AttachmentList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<AttachmentList>, ApiError> {
    Ok(Json(archive(&state).list(&caller, &id, now()).await?))
}

#[utoipa::path(delete, path = "/api/activities/{id}/attachments/{file_id}", tag = "archive",
    params(("id" = String, Path, description = "activity id"), ("file_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    archive(&state).remove(&caller, &id, &file_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Local stand-in for S3's presigned `PUT`: the ticket names the one object, its type
/// and exact size; more bytes than that are refused as they arrive.
#[utoipa::path(put, path = "/api/uploads/{ticket}", tag = "archive",
    params(("ticket" = String, Path, description = "signed upload ticket from an upload request")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn upload(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let ticket = Ticket::open(&state.config.keys, &raw, "put", clock::now_unix())?;
    let sent = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // S3 refuses a content type other than the signed one; so does this.
    if !sent.eq_ignore_ascii_case(&ticket.ct) {
        return Err(ApiError::invalid(
            "content-type",
            format!("must be {} as in the upload link", ticket.ct),
        ));
    }
    state.files.accept_local_upload(&ticket, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Local stand-in for S3's presigned `GET`: always a download, never a page. The type
/// is the stored allow-listed one, the browser may not sniff another, and a sandbox CSP
/// stops anything that still tried to run.
#[utoipa::path(get, path = "/api/files/{ticket}", tag = "archive",
    params(("ticket" = String, Path, description = "signed download ticket from the archive list")),
    responses((status = 200, description = "the file, as an attachment"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn download(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let ticket = Ticket::open(&state.config.keys, &raw, "get", clock::now_unix())?;
    let bytes = state
        .files
        .read_local(&ticket)
        .await?
        .ok_or_else(|| ApiError::NotFound("the file has been removed".into()))?;
    let value =
        |v: &str| HeaderValue::from_str(v).map_err(|e| ApiError::Internal(format!("header: {e}")));
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, value(&ticket.ct)?);
    h.insert(
        header::CONTENT_DISPOSITION,
        value(&content_disposition(&ticket.name))?,
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, value("nosniff")?);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        value("default-src 'none'; sandbox")?,
    );
    h.insert(header::CACHE_CONTROL, value("private, max-age=600")?);
    Ok(resp)
}
