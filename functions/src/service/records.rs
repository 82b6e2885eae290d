//! Service records: check-in with a rotating code or by hand, automatic closing of
//! forgotten check-outs, confirmation, corrections and disputes with an audit trail, and
//! the volunteer's records with hours, stars and perks.
//!
//! Every change to a record goes through [`commit::commit`]: read the record, decide the change
//! from what was read, write the record's next version together with its audit entry and
//! the change to the volunteer's total (see `store::records`). A lost race re-reads and
//! decides again, so retries and concurrent requests never count a record twice.

pub(crate) mod backfill;
mod checkin;
mod commit;
mod review;

pub use checkin::{attendance, check_in, checkin_code, close_due};
pub(crate) use commit::{Actor, stats_of_change};
pub use review::{answer, confirm, confirm_shift, correct, dispute};

use super::activities::{load_shift, require_manager};
use super::cursor::{next_cursor, parse_limit, resume_from};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::activities::ActivityItem;
use crate::store::records::{AuditItem, RecordItem, StateItem};
use commit::RecordKey;
use zhiyuan_shared::query::PageQuery;
use zhiyuan_shared::record::{
    AuditEntry, Dispute, MyRecords, RecordDetail, RecordState, STAR_MINUTES, ServiceRecord, hours,
    perks, star_of_minutes,
};
use zhiyuan_shared::time::Timestamp;

pub(crate) fn ts(t: Timestamp) -> String {
    t.rfc3339_cst()
}

pub(crate) fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no record with id {id}"))
}

pub(crate) fn wrong_state(message: &str) -> ApiError {
    ApiError::conflict("wrong_state", message)
}

fn state_view(s: &StateItem) -> RecordState {
    RecordState {
        check_in: s.check_in.map(ts),
        check_out: s.check_out.map(ts),
        hours: hours(u64::from(s.minutes)),
        status: s.status,
    }
}

pub(crate) fn view(r: &RecordItem) -> ServiceRecord {
    ServiceRecord {
        id: r.id.clone(),
        activity_id: r.activity_id.clone(),
        shift_id: r.shift_id(),
        org_id: r.org_id.clone(),
        org_name: r.org_name.clone(),
        activity_title: r.activity_title.clone(),
        content: r
            .content
            .clone()
            .or_else(|| r.service_field.map(|f| f.slug().to_string()))
            .unwrap_or_default(),
        address: r.address.clone(),
        user_id: r.user_id.to_string(),
        real_name: r.real_name.clone(),
        volunteer_no: r.volunteer_no.clone(),
        id_masked: r.id_masked.clone(),
        date: r.check_in.unwrap_or(r.shift_starts).cst_date().iso(),
        shift_starts_at: ts(r.shift_starts),
        shift_ends_at: ts(r.shift_ends),
        check_in: r.check_in.map(ts),
        check_out: r.check_out.map(ts),
        hours: hours(u64::from(r.minutes)),
        status: r.status,
        training: r.training,
        auto_closed: r.auto_closed,
        location_checked: r.location_checked,
        source: r.source,
        recorded_by: r.recorded_by_name.clone(),
        recorded_at: r.recorded_at.clone(),
        confirmed_by: r.confirmed_by_name.clone(),
        confirmed_at: r.confirmed_at.clone(),
        dispute: r.dispute.as_ref().map(|d| Dispute {
            reason: d.reason.clone(),
            raised_at: d.raised_at.clone(),
            status: d.status,
            answer: d.answer.clone(),
            answered_at: d.answered_at.clone(),
        }),
        transferred_from: r.transferred_from.clone(),
        version: r.version,
    }
}

fn audit_view(a: &AuditItem) -> AuditEntry {
    AuditEntry {
        version: a.version,
        action: a.action,
        by: a.by_name.clone(),
        at: a.at.clone(),
        reason: a.reason.clone(),
        before: a.before.as_ref().map(state_view),
        after: state_view(&a.after),
    }
}

/// A local record by id, with its activity; 404 for anything that is not one.
pub(crate) async fn load_record(
    store: &Store,
    id: &str,
) -> Result<(RecordItem, ActivityItem), ApiError> {
    store
        .record_with_activity(id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// Nobody confirms, enters or corrects their own hours: an organizer (or region admin)
/// who also served the shift needs another to review their record.
pub(crate) fn refuse_own(caller: &Caller, volunteer: &crate::ids::UserId) -> Result<(), ApiError> {
    if caller.id() == volunteer {
        Err(ApiError::forbidden(
            "own_record",
            "nobody may confirm, enter or correct their own hours: another organizer must",
        ))
    } else {
        Ok(())
    }
}

pub(crate) fn key_of(r: &RecordItem) -> RecordKey<'_> {
    RecordKey {
        activity_id: &r.activity_id,
        n: r.n,
        user_id: &r.user_id,
    }
}

fn reason_text(raw: &str) -> Result<String, ApiError> {
    zhiyuan_shared::text::clean(raw, 500, false).map_err(|e| ApiError::invalid("reason", e))
}

/// A record with its audit trail: for its volunteer and the activity's managers.
pub async fn get(store: &Store, caller: &Caller, id: &str) -> Result<RecordDetail, ApiError> {
    let (r, a) = load_record(store, id).await?;
    if &r.user_id != caller.id() {
        require_manager(caller, &a)?;
    }
    let audit = store.audit_of(&r).await?;
    Ok(RecordDetail {
        record: view(&r),
        audit: audit.iter().map(audit_view).collect(),
    })
}

/// A shift's records for review (its managers).
pub async fn of_shift(
    store: &Store,
    caller: &Caller,
    shift_id: &str,
    q: &PageQuery,
) -> Result<zhiyuan_shared::api::Page<ServiceRecord>, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    let limit = parse_limit(q.limit.as_deref())?;
    let resume = resume_from(q.cursor.as_deref(), "records", shift_id)?;
    let (items, next) = store
        .records_of_shift(&a.id, shift.n, resume, limit.get())
        .await?;
    Ok(zhiyuan_shared::api::Page {
        items: items.iter().map(view).collect(),
        next_cursor: next_cursor(next, "records", shift_id.to_string())?,
    })
}

/// The caller's records, newest first, with their total, stars and unlocked perks.
pub async fn mine(store: &Store, caller: &Caller, q: &PageQuery) -> Result<MyRecords, ApiError> {
    let limit = parse_limit(q.limit.as_deref())?;
    let resume = resume_from(q.cursor.as_deref(), "my_records", caller.id())?;
    let (items, next) = store
        .records_of_user(caller.id(), resume, limit.get(), true)
        .await?;
    let minutes = caller.user.served_minutes;
    let star = star_of_minutes(minutes);
    Ok(MyRecords {
        items: items.iter().map(view).collect(),
        next_cursor: next_cursor(next, "my_records", caller.id().to_string())?,
        total_hours: hours(minutes),
        star_level: star,
        hours_to_next_star: STAR_MINUTES
            .iter()
            .find(|t| **t > minutes)
            .map(|t| hours(t - minutes)),
        perks: perks().into_iter().filter(|p| p.min_star <= star).collect(),
    })
}

/// Every record of a volunteer (certificates, transfers): bounded by what one person can
/// serve, read in pages of 100.
pub(crate) async fn all_of_user(store: &Store, user_id: &str) -> Result<Vec<RecordItem>, ApiError> {
    let mut out = Vec::new();
    let mut resume = None;
    loop {
        let (page, next) = store.records_of_user(user_id, resume, 100, false).await?;
        out.extend(page);
        match next {
            Some(k) => resume = Some(k),
            None => return Ok(out),
        }
    }
}
