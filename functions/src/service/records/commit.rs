//! The commit engine: every change to a record is read, decided from what was read, and
//! written as the record's next version with its audit entry and the change to the
//! volunteer's totals, in one transaction; a lost race decides again.

use super::super::MAX_ATTEMPTS;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::activities::{ActivityItem, ShiftItem};
use crate::store::backfills::BackfillItem;
use crate::store::records::{AuditItem, Queue, RecordItem, RecordRefused, RecordWrite, StateItem};
use crate::store::stats::{CounterAdd, UserStatsWrite};
use crate::store::{Store, StoreError, TxError, backoff};
use zhiyuan_shared::record::{AuditAction, RecordStatus, served_minutes};
use zhiyuan_shared::time::Timestamp;

/// Who makes a change: user id and the name the audit trail shows.
pub(crate) struct Actor<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

impl<'a> Actor<'a> {
    /// The caller, named by their real name when they have one.
    pub(crate) fn of(caller: &'a Caller) -> Self {
        let name = caller
            .user
            .volunteer
            .as_ref()
            .map_or(caller.user.display_name.as_str(), |v| v.real_name.as_str());
        Self {
            id: &caller.user.id,
            name,
        }
    }
}

/// A decided change: the record's next state and what the audit trail says about it.
pub(crate) struct Change {
    pub after: RecordItem,
    pub action: AuditAction,
    pub reason: Option<String>,
    pub at: String,
}

pub(crate) enum Decision {
    Write(Change),
    /// Nothing to write: the record is already as asked (a retry, or a repeat).
    Done(RecordItem),
}

/// Where a local record lives.
pub(crate) struct RecordKey<'a> {
    pub activity_id: &'a str,
    pub n: u8,
    pub user_id: &'a crate::ids::UserId,
}

/// What a change does to the auto-close queue, given the record's state before and after.
fn queue_change(before: Option<&RecordItem>, after: &RecordItem) -> Queue {
    let was_open = before.is_some_and(RecordItem::is_open);
    match (was_open, after.is_open()) {
        (false, true) => Queue::Enter,
        (true, false) => Queue::Leave,
        _ => Queue::Unchanged,
    }
}

/// Writes one decided change: the record's next version, its audit entry, the total's
/// change (after's counted minutes less before's) and the queue's.
async fn write(
    store: &Store,
    before: Option<&RecordItem>,
    mut change: Change,
    by: &Actor<'_>,
    backfill: Option<&BackfillItem>,
) -> Result<RecordItem, TxError<RecordRefused>> {
    change.after.version = before.map_or(1, |b| b.version + 1);
    let after = &change.after;
    let audit = AuditItem {
        record_id: after.id.clone(),
        version: after.version,
        action: change.action,
        by: by.id.to_string(),
        by_name: by.name.to_string(),
        at: change.at.clone(),
        reason: change.reason.clone(),
        before: before.map(StateItem::from),
        after: StateItem::from(after),
    };
    let stats = stats_of_change(store, before, after).await?;
    store
        .write_record(RecordWrite {
            record: after,
            seen_version: before.map(|b| b.version),
            audit: &audit,
            stats,
            queue: queue_change(before, after),
            backfill,
        })
        .await?;
    Ok(change.after)
}

/// What a change does to the volunteer's totals and the statistics, read from the
/// volunteer's current totals; None (and no read) when nothing counted changes.
pub(crate) async fn stats_of_change(
    store: &Store,
    before: Option<&RecordItem>,
    after: &RecordItem,
) -> Result<Option<(UserStatsWrite, Vec<CounterAdd>)>, StoreError> {
    let unchanged = before.map_or((0, false, false), RecordItem::footprint) == after.footprint();
    if unchanged {
        return Ok(None);
    }
    let user = store
        .get_user(&after.user_id)
        .await?
        .ok_or_else(|| StoreError::Decode(format!("record {} of a missing user", after.id)))?;
    Ok(crate::service::stats::record_effect(&user, before, after))
}

/// Reads, decides and writes until the write lands on the version it was decided from.
pub(crate) async fn commit(
    store: &Store,
    key: &RecordKey<'_>,
    by: &Actor<'_>,
    decide: impl Fn(Option<&RecordItem>) -> Result<Decision, ApiError>,
) -> Result<RecordItem, ApiError> {
    commit_with(store, key, by, None, decide).await
}

/// [`commit`], writing with the record the 补录 application it approves (only if that is
/// still pending): the record and the decision commit together or not at all.
pub(crate) async fn commit_with(
    store: &Store,
    key: &RecordKey<'_>,
    by: &Actor<'_>,
    backfill: Option<&BackfillItem>,
    decide: impl Fn(Option<&RecordItem>) -> Result<Decision, ApiError>,
) -> Result<RecordItem, ApiError> {
    for attempt in 0..MAX_ATTEMPTS {
        let before = store
            .get_record(key.activity_id, key.n, key.user_id)
            .await?;
        let change = match decide(before.as_ref())? {
            Decision::Done(r) => return Ok(r),
            Decision::Write(c) => c,
        };
        match write(store, before.as_ref(), change, by, backfill).await {
            Ok(after) => return Ok(after),
            Err(
                TxError::Refused(RecordRefused::RecordChanged | RecordRefused::UserChanged)
                | TxError::Store(StoreError::TransactionConflict | StoreError::Throttled),
            ) => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Busy)
}

/// A new record for a volunteer's shift, before its first check-in.
pub(super) fn new_record(
    a: &ActivityItem,
    shift: &ShiftItem,
    user: &crate::store::accounts::UserItem,
    by: &Actor<'_>,
    now: Timestamp,
) -> Result<RecordItem, ApiError> {
    let v = user
        .volunteer
        .as_ref()
        .ok_or_else(|| ApiError::conflict("not_signed_up", "this person is not a volunteer"))?;
    Ok(RecordItem {
        id: RecordItem::local_id(&shift.id(), &user.id),
        activity_id: a.id.to_string(),
        n: shift.n,
        user_id: user.id.clone(),
        real_name: v.real_name.clone(),
        volunteer_no: v.volunteer_no.clone(),
        id_masked: v.id_masked.clone(),
        org_id: a.org_id.to_string(),
        org_name: a.org_name.clone(),
        activity_title: a.title.clone(),
        service_field: Some(a.service_field),
        content: None,
        address: a.address.clone(),
        region_code: a.region_code.to_string(),
        shift_starts: shift.starts_at,
        shift_ends: shift.ends_at,
        check_in: None,
        check_out: None,
        minutes: 0,
        status: RecordStatus::Pending,
        training: a.is_training,
        auto_closed: false,
        location_checked: false,
        source: Default::default(),
        backfill_id: None,
        recorded_by: by.id.to_string(),
        recorded_by_name: by.name.to_string(),
        recorded_at: now.rfc3339_cst(),
        confirmed_by_name: None,
        confirmed_at: None,
        dispute: None,
        transferred_from: None,
        origin_id: None,
        version: 0,
    })
}

/// Sets a record's times and recomputes its minutes by the deployment's rule.
pub(super) fn with_times(
    mut r: RecordItem,
    check_in: Option<Timestamp>,
    check_out: Option<Timestamp>,
    step: u32,
) -> RecordItem {
    r.check_in = check_in;
    r.check_out = check_out;
    r.minutes = match (check_in, check_out) {
        (Some(i), Some(o)) => served_minutes(
            (r.shift_starts.unix(), r.shift_ends.unix()),
            i.unix(),
            o.unix(),
            step,
        ),
        _ => 0,
    };
    r
}
