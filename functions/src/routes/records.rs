//! Service records, certificates, perks and hours transfer.

use super::extract::Query;
use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::{certificates, records, transfers};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::query::{CertificateQuery, PageQuery};
use zhiyuan_shared::record::{
    AttendanceRequest, Certificate, CertificateCheck, CheckinCode, CheckinRequest, CheckinResult,
    ConfirmAllResult, CorrectRequest, MyRecords, Perk, ReasonRequest, RecordDetail, ServiceRecord,
    TransferFile, TransferKey, TransferResult,
};
use zhiyuan_shared::time::Timestamp;

fn now() -> Timestamp {
    Timestamp::from_unix(clock::now_unix())
}

/// The shift's current check-in code, for the organizer's screen (it changes every 30 s).
#[utoipa::path(get, path = "/api/shifts/{id}/checkin-code", tag = "records", security(("bearer" = [])),
    params(("id" = String, Path, description = "shift id")),
    responses((status = 200, body = CheckinCode), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "activity_cancelled")))]
#[tracing::instrument(skip_all)]
pub async fn checkin_code(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<CheckinCode>, ApiError> {
    Ok(Json(
        records::checkin_code(&state.store, &state.config, &caller, &id, now()).await?,
    ))
}

/// The volunteer enters (or scans) the code: checks in, and the next time out.
#[utoipa::path(post, path = "/api/shifts/{id}/checkin", tag = "records", request_body = CheckinRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "shift id")),
    responses((status = 200, body = CheckinResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "volunteer_required, not_signed_up"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "too_early, shift_over, already_checked_out, activity_cancelled"),
        (status = 422, body = ErrorBody, description = "invalid_code, too_far"),
        (status = 429, body = ErrorBody, description = "ten wrong codes in 15 minutes")))]
#[tracing::instrument(skip_all)]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<CheckinRequest>,
) -> Result<Json<CheckinResult>, ApiError> {
    Ok(Json(
        records::check_in(&state.store, &state.config, &caller, &id, &req, now()).await?,
    ))
}

/// An organizer checks a volunteer in or out by hand → the record, `pending`.
#[utoipa::path(post, path = "/api/shifts/{id}/attendance", tag = "records", request_body = AttendanceRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "shift id")),
    responses((status = 200, body = ServiceRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "forbidden, own_record (one's own hours)"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_signed_up, wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<AttendanceRequest>,
) -> Result<Json<ServiceRecord>, ApiError> {
    Ok(Json(
        records::attendance(
            &state.store,
            state.config.hours_step_minutes,
            &caller,
            &id,
            &req,
            now(),
        )
        .await?,
    ))
}

/// A shift's records for review: pending, open, automatically closed, confirmed.
#[utoipa::path(get, path = "/api/shifts/{id}/records", tag = "records", security(("bearer" = [])),
    params(("id" = String, Path, description = "shift id"), PageQuery),
    responses((status = 200, body = Page<ServiceRecord>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn of_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<ServiceRecord>>, ApiError> {
    Ok(Json(
        records::of_shift(&state.store, &caller, &id, &q).await?,
    ))
}

/// Confirms every checked-out pending record of the shift; the caller's own record is
/// skipped (counted in `skipped_own`): nobody confirms their own hours.
#[utoipa::path(post, path = "/api/shifts/{id}/records/confirm", tag = "records", security(("bearer" = [])),
    params(("id" = String, Path, description = "shift id")),
    responses((status = 200, body = ConfirmAllResult), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn confirm_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ConfirmAllResult>, ApiError> {
    Ok(Json(
        records::confirm_shift(&state.store, &caller, &id, now()).await?,
    ))
}

/// A record with its audit trail (its volunteer, the activity's managers).
#[utoipa::path(get, path = "/api/records/{id}", tag = "records", security(("bearer" = [])),
    params(("id" = String, Path, description = "record id")),
    responses((status = 200, body = RecordDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<RecordDetail>, ApiError> {
    Ok(Json(records::get(&state.store, &caller, &id).await?))
}

/// Confirms a record's hours; confirming again changes nothing.
#[utoipa::path(post, path = "/api/records/{id}/confirm", tag = "records", security(("bearer" = [])),
    params(("id" = String, Path, description = "record id")),
    responses((status = 200, body = ServiceRecord), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "forbidden, own_record (one's own hours)"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "record_open, wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ServiceRecord>, ApiError> {
    Ok(Json(
        records::confirm(&state.store, &caller, &id, now()).await?,
    ))
}

/// Corrects a record's times, or voids it, with a reason; the original stays in the audit.
#[utoipa::path(post, path = "/api/records/{id}/correct", tag = "records", request_body = CorrectRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "record id")),
    responses((status = 200, body = ServiceRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "forbidden, own_record (one's own hours)"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn correct(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<CorrectRequest>,
) -> Result<Json<ServiceRecord>, ApiError> {
    Ok(Json(
        records::correct(&state.store, &state.config, &caller, &id, &req, now()).await?,
    ))
}

/// The volunteer disputes their record (纠错).
#[utoipa::path(post, path = "/api/records/{id}/dispute", tag = "records", request_body = ReasonRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "record id")),
    responses((status = 201, body = ServiceRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "dispute_open, wrong_state")))]
#[tracing::instrument(skip_all)]
pub async fn dispute(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ReasonRequest>,
) -> Result<(StatusCode, Json<ServiceRecord>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(records::dispute(&state.store, &caller, &id, &req.reason, now()).await?),
    ))
}

/// The organisation answers an open dispute.
#[utoipa::path(post, path = "/api/records/{id}/answer", tag = "records", request_body = ReasonRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "record id")),
    responses((status = 200, body = ServiceRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "no_open_dispute")))]
#[tracing::instrument(skip_all)]
pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ReasonRequest>,
) -> Result<Json<ServiceRecord>, ApiError> {
    Ok(Json(
        records::answer(&state.store, &caller, &id, &req.reason, now()).await?,
    ))
}

/// The caller's records, newest first, with total hours, star level and perks.
#[utoipa::path(get, path = "/api/me/records", tag = "records", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = MyRecords), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Json<MyRecords>, ApiError> {
    Ok(Json(records::mine(&state.store, &caller, &q).await?))
}

/// The caller's certificate (志愿服务记录证明), of one organisation's records or of all.
#[utoipa::path(get, path = "/api/me/certificate", tag = "records", security(("bearer" = [])),
    params(CertificateQuery),
    responses((status = 200, body = Certificate), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "no_confirmed_records")))]
#[tracing::instrument(skip_all)]
pub async fn certificate(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<CertificateQuery>,
) -> Result<Json<Certificate>, ApiError> {
    let org = q.org.as_deref();
    Ok(Json(
        certificates::issue(&state.store, &state.config, &caller, org, now()).await?,
    ))
}

/// Anyone checks a certificate's verification code.
#[utoipa::path(get, path = "/api/certificates/{code}", tag = "records",
    params(("code" = String, Path, description = "verification code")),
    responses((status = 200, body = CertificateCheck), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn verify(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<CertificateCheck>, ApiError> {
    Ok(Json(certificates::verify(&state.store, &code).await?))
}

/// The perks catalogue: what each star level unlocks.
#[utoipa::path(get, path = "/api/perks", tag = "records", responses((status = 200, body = Vec<Perk>)))]
pub async fn perks() -> Json<Vec<Perk>> {
    Json(zhiyuan_shared::record::perks())
}

/// The caller's counted records as a signed transfer file (it carries the whole ID
/// number): after a re-check within the last 5 minutes, never cached. POST, so no cache
/// or history keeps it (the GET of before answers 405).
#[utoipa::path(post, path = "/api/me/transfer", tag = "records", security(("bearer" = [])),
    responses((status = 200, body = TransferFile, description = "served with Cache-Control: no-store"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "volunteer_required, recheck_required")))]
#[tracing::instrument(skip_all)]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let file = transfers::export(&state.store, &state.config, &caller, now()).await?;
    Ok(super::me::no_store(Json(file).into_response()))
}

/// A region admin imports a transfer file for a volunteer of their region.
#[utoipa::path(post, path = "/api/transfers", tag = "records", request_body = TransferFile,
    security(("bearer" = [])),
    responses((status = 200, body = TransferResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "bad_signature, untrusted_key, volunteer_not_found")))]
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(file): JsonBody<TransferFile>,
) -> Result<Json<TransferResult>, ApiError> {
    Ok(Json(
        transfers::import(&state.store, &state.config, &caller, &file, now()).await?,
    ))
}

/// This deployment's transfer signing key, for other deployments to trust.
#[utoipa::path(get, path = "/api/transfers/key", tag = "records", responses((status = 200, body = TransferKey)))]
pub async fn transfer_key(State(state): State<AppState>) -> Json<TransferKey> {
    Json(transfers::key(&state.config))
}
