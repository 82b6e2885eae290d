//! The record an approved 补录 application creates: confirmed at once, marked as a
//! backfill, committed through the same engine as every other record (so totals and
//! statistics count it once) in one transaction with the application's decision.

use super::commit::{Actor, Change, Decision, RecordKey, commit_with, new_record, with_times};
use crate::error::ApiError;
use crate::store::Store;
use crate::store::accounts::UserItem;
use crate::store::activities::{ActivityItem, ShiftItem};
use crate::store::backfills::BackfillItem;
use crate::store::records::RecordItem;
use zhiyuan_shared::record::{AuditAction, RecordSource, RecordStatus};
use zhiyuan_shared::time::Timestamp;

/// What the record an application asks for would count, by the deployment's step.
pub(crate) fn minutes_of(
    shift: &ShiftItem,
    check_in: Timestamp,
    check_out: Timestamp,
    step: u32,
) -> u32 {
    zhiyuan_shared::record::served_minutes(
        (shift.starts_at.unix(), shift.ends_at.unix()),
        check_in.unix(),
        check_out.unix(),
        step,
    )
}

/// The approved application's record and the decision, written together. Refused with
/// `already_decided` when another decision came first (its record found, or its decision
/// refusing this transaction), with `record_exists` when the
/// volunteer has a record of the shift already (they checked in after all).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn approve(
    store: &Store,
    step: u32,
    a: &ActivityItem,
    shift: &ShiftItem,
    applicant: &UserItem,
    approved: &BackfillItem,
    by: &Actor<'_>,
    now: Timestamp,
) -> Result<RecordItem, ApiError> {
    let at = now.rfc3339_cst();
    let fresh = new_record(a, shift, applicant, by, now)?;
    let record = RecordItem {
        status: RecordStatus::Confirmed,
        confirmed_by_name: Some(by.name.to_string()),
        confirmed_at: Some(at.clone()),
        source: RecordSource::Backfill,
        backfill_id: Some(approved.id.to_string()),
        ..with_times(
            fresh,
            Some(approved.check_in),
            Some(approved.check_out),
            step,
        )
    };
    let key = RecordKey {
        activity_id: &a.id,
        n: shift.n,
        user_id: &applicant.id,
    };
    commit_with(store, &key, by, Some(approved), |before| match before {
        None => Ok(Decision::Write(Change {
            after: record.clone(),
            action: AuditAction::Backfill,
            reason: Some(approved.content.clone()),
            at: at.clone(),
        })),
        // The record of this application exists: a racing decision (or an earlier
        // request whose answer was lost) approved it first. Only the decision that wrote
        // it answers 200; every other one is told it came too late, so two approvals
        // never both report success for one record.
        Some(r) if r.backfill_id.as_deref() == Some(approved.id.as_str()) => {
            Err(crate::service::backfills::already_decided())
        }
        Some(_) => Err(ApiError::conflict(
            "record_exists",
            "the volunteer has a record of this shift already: refuse the application",
        )),
    })
    .await
}
