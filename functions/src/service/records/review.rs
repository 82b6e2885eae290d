//! Review: confirmation (one record or a whole shift), corrections and voids, and
//! disputes with their answers. Each is one commit of the record's next version.

use super::commit::{Actor, Change, Decision, commit, with_times};
use super::{key_of, load_record, not_found, reason_text, refuse_own, view, wrong_state};
use crate::auth::Caller;
use crate::config::Config;
use crate::error::ApiError;
use crate::service::activities::{load_shift, require_manager};
use crate::store::Store;
use crate::store::records::{DisputeItem, RecordItem};
use zhiyuan_shared::record::{
    AuditAction, ConfirmAllResult, CorrectRequest, DisputeStatus, RecordStatus, ServiceRecord,
    validate_times,
};
use zhiyuan_shared::time::Timestamp;

/// The decision of a confirmation: pending and closed → confirmed; already counted → as
/// it is (confirming is idempotent).
fn decide_confirm(
    before: Option<&RecordItem>,
    by: &Actor<'_>,
    at: &str,
) -> Result<Decision, ApiError> {
    let r = before.ok_or_else(|| ApiError::NotFound("the record is gone".into()))?;
    match r.status {
        s if s.counts() => Ok(Decision::Done(r.clone())),
        RecordStatus::Void => Err(wrong_state("the record is void")),
        _ if r.is_open() => Err(ApiError::conflict(
            "record_open",
            "the volunteer has not checked out: check them out first",
        )),
        _ => Ok(Decision::Write(Change {
            after: RecordItem {
                status: RecordStatus::Confirmed,
                confirmed_by_name: Some(by.name.to_string()),
                confirmed_at: Some(at.to_string()),
                ..r.clone()
            },
            action: AuditAction::Confirm,
            reason: None,
            at: at.to_string(),
        })),
    }
}

pub async fn confirm(
    store: &Store,
    caller: &Caller,
    id: &str,
    now: Timestamp,
) -> Result<ServiceRecord, ApiError> {
    let (r, a) = load_record(store, id).await?;
    require_manager(caller, &a)?;
    refuse_own(caller, &r.user_id)?;
    let by = Actor::of(caller);
    let at = now.rfc3339_cst();
    let record = commit(store, &key_of(&r), &by, |before| {
        decide_confirm(before, &by, &at)
    })
    .await?;
    Ok(view(&record))
}

/// Confirms every closed pending record of a shift, one record at a time: a failure part
/// way leaves the rest pending, and running it again confirms them (and no other twice).
/// The caller's own record is skipped and counted in `skipped_own` (the rest of the shift
/// is still confirmed; another organizer confirms theirs).
pub async fn confirm_shift(
    store: &Store,
    caller: &Caller,
    shift_id: &str,
    now: Timestamp,
) -> Result<ConfirmAllResult, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    let by = Actor::of(caller);
    let at = now.rfc3339_cst();
    let mut result = ConfirmAllResult {
        confirmed: 0,
        still_open: 0,
        skipped_own: 0,
    };
    let mut resume = None;
    loop {
        let (page, next) = store.records_of_shift(&a.id, shift.n, resume, 100).await?;
        for r in page.iter().filter(|r| r.status == RecordStatus::Pending) {
            if refuse_own(caller, &r.user_id).is_err() {
                result.skipped_own += 1;
                continue;
            }
            if r.is_open() || r.check_in.is_none() {
                result.still_open += 1;
                continue;
            }
            let after = commit(store, &key_of(r), &by, |before| {
                decide_confirm(before, &by, &at)
            })
            .await?;
            if after.status.counts() {
                result.confirmed += 1;
            }
        }
        match next {
            Some(k) => resume = Some(k),
            None => return Ok(result),
        }
    }
}

/// A correction keeps the original in the audit trail: new times (a counted record
/// becomes `corrected` and the total moves by the difference) or `void` (it stops
/// counting). It also answers an open dispute.
pub async fn correct(
    store: &Store,
    config: &Config,
    caller: &Caller,
    id: &str,
    req: &CorrectRequest,
    now: Timestamp,
) -> Result<ServiceRecord, ApiError> {
    let (r, a) = load_record(store, id).await?;
    require_manager(caller, &a)?;
    refuse_own(caller, &r.user_id)?;
    let reason = reason_text(&req.reason)?;
    let times = if req.void {
        None
    } else {
        let t = validate_times(
            &req.check_in,
            &req.check_out,
            (r.shift_starts.unix(), r.shift_ends.unix()),
            now,
        )
        .map_err(ApiError::from)?;
        if t.check_in.is_none() && t.check_out.is_none() {
            return Err(ApiError::invalid(
                "check_in",
                "give the corrected times, or void the record",
            ));
        }
        Some(t)
    };
    let by = Actor::of(caller);
    let at = now.rfc3339_cst();
    let step = config.hours_step_minutes;
    let record = commit(store, &key_of(&r), &by, |before| {
        let r = before.ok_or_else(|| not_found(id))?;
        if r.status == RecordStatus::Void {
            return Err(wrong_state("the record is void"));
        }
        let dispute = r.dispute.clone().map(|d| match d.status {
            DisputeStatus::Open => DisputeItem {
                status: DisputeStatus::Answered,
                answer: Some(reason.clone()),
                answered_at: Some(at.clone()),
                ..d
            },
            DisputeStatus::Answered => d,
        });
        let (after, action) = match times {
            None => (
                RecordItem {
                    status: RecordStatus::Void,
                    ..r.clone()
                },
                AuditAction::Void,
            ),
            Some(t) => {
                let check_in = t.check_in.or(r.check_in);
                let check_out = t.check_out.or(r.check_out);
                let (Some(i), Some(o)) = (check_in, check_out) else {
                    return Err(ApiError::invalid("check_out", "give the check-out time"));
                };
                if o <= i {
                    return Err(ApiError::invalid("check_out", "must be after the check-in"));
                }
                let status = if r.status.counts() {
                    RecordStatus::Corrected
                } else {
                    RecordStatus::Pending
                };
                (
                    RecordItem {
                        status,
                        ..with_times(r.clone(), Some(i), Some(o), step)
                    },
                    AuditAction::Correct,
                )
            }
        };
        Ok(Decision::Write(Change {
            after: RecordItem { dispute, ..after },
            action,
            reason: Some(reason.clone()),
            at: at.clone(),
        }))
    })
    .await?;
    Ok(view(&record))
}

/// The volunteer disputes a record (纠错): one open dispute at a time.
pub async fn dispute(
    store: &Store,
    caller: &Caller,
    id: &str,
    reason: &str,
    now: Timestamp,
) -> Result<ServiceRecord, ApiError> {
    let (r, _) = load_record(store, id).await?;
    if &r.user_id != caller.id() {
        return Err(ApiError::forbidden(
            "forbidden",
            "only the volunteer may dispute their record",
        ));
    }
    let reason = reason_text(reason)?;
    let by = Actor::of(caller);
    let at = now.rfc3339_cst();
    let record = commit(store, &key_of(&r), &by, |before| {
        let r = before.ok_or_else(|| not_found(id))?;
        if r.status == RecordStatus::Void {
            return Err(wrong_state("the record is void"));
        }
        if r.dispute
            .as_ref()
            .is_some_and(|d| d.status == DisputeStatus::Open)
        {
            return Err(ApiError::conflict(
                "dispute_open",
                "this record's dispute is still waiting for an answer",
            ));
        }
        Ok(Decision::Write(Change {
            after: RecordItem {
                dispute: Some(DisputeItem {
                    reason: reason.clone(),
                    raised_at: at.clone(),
                    status: DisputeStatus::Open,
                    answer: None,
                    answered_at: None,
                }),
                ..r.clone()
            },
            action: AuditAction::Dispute,
            reason: Some(reason.clone()),
            at: at.clone(),
        }))
    })
    .await?;
    Ok(view(&record))
}

/// The organisation answers a dispute without changing the record (a correction answers
/// it too).
pub async fn answer(
    store: &Store,
    caller: &Caller,
    id: &str,
    answer: &str,
    now: Timestamp,
) -> Result<ServiceRecord, ApiError> {
    let (r, a) = load_record(store, id).await?;
    require_manager(caller, &a)?;
    let answer = reason_text(answer)?;
    let by = Actor::of(caller);
    let at = now.rfc3339_cst();
    let record = commit(store, &key_of(&r), &by, |before| {
        let r = before.ok_or_else(|| not_found(id))?;
        let Some(d) = r
            .dispute
            .clone()
            .filter(|d| d.status == DisputeStatus::Open)
        else {
            return Err(ApiError::conflict(
                "no_open_dispute",
                "this record has no dispute waiting for an answer",
            ));
        };
        Ok(Decision::Write(Change {
            after: RecordItem {
                dispute: Some(DisputeItem {
                    status: DisputeStatus::Answered,
                    answer: Some(answer.clone()),
                    answered_at: Some(at.clone()),
                    ..d
                }),
                ..r.clone()
            },
            action: AuditAction::Answer,
            reason: Some(answer.clone()),
            at: at.clone(),
        }))
    })
    .await?;
    Ok(view(&record))
}
