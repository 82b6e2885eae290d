//! Service records: check-in with a rotating code or by hand, automatic closing of
//! forgotten check-outs, confirmation, corrections and disputes with an audit trail, and
//! the volunteer's records with hours, stars and perks.
//!
//! Every change to a record goes through [`commit`]: read the record, decide the change
//! from what was read, write the record's next version together with its audit entry and
//! the change to the volunteer's total (see `store::records`). A lost race re-reads and
//! decides again, so retries and concurrent requests never count a record twice.

use super::activities::{activity_cancelled, load_shift, require_manager};
use super::cursor::{next_cursor, parse_limit, resume_from};
use crate::auth::Caller;
use crate::config::Config;
use crate::error::ApiError;
use crate::store::activities::{ActivityItem, ShiftItem};
use crate::store::records::{
    AuditItem, AutocloseItem, DisputeItem, Queue, RECORD_UNCHANGED, RecordItem, RecordWrite,
    StateItem, USER_UNCHANGED,
};
use crate::store::stats::{CounterAdd, UserStatsWrite};
use crate::store::{Store, StoreError, backoff, keys};
use std::collections::HashMap;
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};
use zhiyuan_shared::geo::{LatLng, distance_m};
use zhiyuan_shared::record::{
    AttendanceRequest, AuditAction, AuditEntry, CHECKIN_EARLY_SECONDS, CODE_PERIOD_SECONDS,
    CheckinAction, CheckinCode, CheckinRequest, CheckinResult, ConfirmAllResult, CorrectRequest,
    Dispute, DisputeStatus, MyRecords, RecordDetail, RecordState, RecordStatus, STAR_MINUTES,
    ServiceRecord, hours, parse_code, perks, served_minutes, star_of_minutes, validate_times,
};
use zhiyuan_shared::time::Timestamp;

pub const ENTITY: &str = "record";
const AUDIT_ENTITY: &str = "record_audit";
/// How often a change re-reads and tries again after losing a race.
pub(crate) const MAX_ATTEMPTS: u32 = 8;
/// A second scan this soon after checking in repeats the check-in (a double tap, or a
/// retry whose answer was lost) instead of checking out.
pub const REPEAT_SCAN_SECONDS: i64 = 300;
/// Wrong codes a volunteer may enter in [`WRONG_CODE_WINDOW`] seconds before check-in
/// waits: guessing one of a million codes that live a minute is hopeless at this rate.
pub const MAX_WRONG_CODES: u32 = 10;
pub const WRONG_CODE_WINDOW: i64 = 15 * 60;
/// Who the scheduled job records as the author of an automatic change.
const SYSTEM: (&str, &str) = ("system", "system");

fn ts(unix: i64) -> String {
    Timestamp::from_unix(unix).rfc3339_cst()
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no record with id {id}"))
}

fn wrong_state(message: &str) -> ApiError {
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
        shift_id: if r.activity_id.is_empty() {
            String::new()
        } else {
            keys::shift_id(&r.activity_id, r.n)
        },
        org_id: r.org_id.clone(),
        org_name: r.org_name.clone(),
        activity_title: r.activity_title.clone(),
        content: r
            .content
            .clone()
            .or_else(|| r.service_field.map(|f| f.slug().to_string()))
            .unwrap_or_default(),
        address: r.address.clone(),
        user_id: r.user_id.clone(),
        real_name: r.real_name.clone(),
        volunteer_no: r.volunteer_no.clone(),
        id_masked: r.id_masked.clone(),
        date: Timestamp::from_unix(r.check_in.unwrap_or(r.shift_starts))
            .cst_date()
            .iso(),
        shift_starts_at: ts(r.shift_starts),
        shift_ends_at: ts(r.shift_ends),
        check_in: r.check_in.map(ts),
        check_out: r.check_out.map(ts),
        hours: hours(u64::from(r.minutes)),
        status: r.status,
        training: r.training,
        auto_closed: r.auto_closed,
        location_checked: r.location_checked,
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
    pub user_id: &'a str,
}

/// What the auto-close queue needs for a record, given its state before and after.
fn queue_change<'q>(
    before: Option<&RecordItem>,
    after: &RecordItem,
    entry: &'q AutocloseItem,
) -> Queue<'q> {
    let was_open = before.is_some_and(RecordItem::is_open);
    match (was_open, after.is_open()) {
        (false, true) => Queue::Enter(entry),
        (true, false) => Queue::Leave {
            pk: entry.pk.clone(),
            sk: entry.sk.clone(),
        },
        _ => Queue::Unchanged,
    }
}

fn autoclose_entry(r: &RecordItem) -> AutocloseItem {
    AutocloseItem {
        pk: keys::autoclose_pk(&Timestamp::from_unix(r.shift_ends).cst_date().iso()),
        sk: keys::autoclose_sk(r.shift_ends, &r.id),
        entity_type: "autoclose".into(),
        activity_id: r.activity_id.clone(),
        n: r.n,
        user_id: r.user_id.clone(),
    }
}

/// Writes one decided change: the record's next version, its audit entry, the total's
/// change (after's counted minutes less before's) and the queue's.
async fn write(
    store: &Store,
    before: Option<&RecordItem>,
    mut change: Change,
    by: &Actor<'_>,
) -> Result<RecordItem, StoreError> {
    change.after.version = before.map_or(1, |b| b.version + 1);
    let after = &change.after;
    let audit = AuditItem {
        pk: after.pk.clone(),
        sk: keys::audit_sk(&after.sk, after.version),
        entity_type: AUDIT_ENTITY.into(),
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
    let entry = autoclose_entry(after);
    let stats = stats_of_change(store, before, after).await?;
    store
        .write_record(RecordWrite {
            record: after,
            seen_version: before.map(|b| b.version),
            audit: &audit,
            stats,
            queue: queue_change(before, after, &entry),
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
    Ok(super::stats::record_effect(&user, before, after))
}

/// Reads, decides and writes until the write lands on the version it was decided from.
pub(crate) async fn commit(
    store: &Store,
    key: &RecordKey<'_>,
    by: &Actor<'_>,
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
        match write(store, before.as_ref(), change, by).await {
            Ok(after) => return Ok(after),
            Err(
                StoreError::ConditionFailedAt(RECORD_UNCHANGED | USER_UNCHANGED)
                | StoreError::TransactionConflict
                | StoreError::Throttled,
            ) => backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Busy)
}

/// A new record for a volunteer's shift, before its first check-in.
fn new_record(
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
    let id = keys::record_id(&shift.id(), &user.id);
    Ok(RecordItem {
        pk: keys::activity_pk(&a.id),
        sk: keys::record_sk(shift.n, &user.id),
        gsi4pk: keys::records_of_user(&user.id),
        gsi4sk: keys::record_list_sk(shift.starts_at, &id),
        entity_type: ENTITY.into(),
        id,
        activity_id: a.id.clone(),
        n: shift.n,
        user_id: user.id.clone(),
        real_name: v.real_name.clone(),
        volunteer_no: v.volunteer_no.clone(),
        id_masked: v.id_masked.clone(),
        org_id: a.org_id.clone(),
        org_name: a.org_name.clone(),
        activity_title: a.title.clone(),
        service_field: Some(a.service_field),
        content: None,
        address: a.address.clone(),
        region_code: a.region_code.clone(),
        shift_starts: shift.starts_at,
        shift_ends: shift.ends_at,
        check_in: None,
        check_out: None,
        minutes: 0,
        status: RecordStatus::Pending,
        training: a.is_training,
        auto_closed: false,
        location_checked: false,
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
fn with_times(
    mut r: RecordItem,
    check_in: Option<i64>,
    check_out: Option<i64>,
    step: u32,
) -> RecordItem {
    r.check_in = check_in;
    r.check_out = check_out;
    r.minutes = match (check_in, check_out) {
        (Some(i), Some(o)) => served_minutes((r.shift_starts, r.shift_ends), i, o, step),
        _ => 0,
    };
    r
}

async fn require_confirmed_signup(
    store: &Store,
    shift: &ShiftItem,
    user_id: &str,
    whose: &str,
) -> Result<(), ApiError> {
    match store
        .get_signup(&shift.activity_id, shift.n, user_id)
        .await?
    {
        Some(s) if s.status == SignupStatus::Confirmed => Ok(()),
        _ => Err(ApiError::forbidden(
            "not_signed_up",
            format!("{whose} not have a confirmed place on this shift"),
        )),
    }
}

/// The code the organizer's screen shows now.
pub async fn checkin_code(
    store: &Store,
    config: &Config,
    caller: &Caller,
    shift_id: &str,
    now: Timestamp,
) -> Result<CheckinCode, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    if a.status == ActivityStatus::Cancelled {
        return Err(activity_cancelled());
    }
    let window = now.unix().div_euclid(CODE_PERIOD_SECONDS);
    Ok(CheckinCode {
        shift_id: shift.id(),
        code: config.keys.checkin_code(&shift.id(), window),
        changes_at: ts((window + 1) * CODE_PERIOD_SECONDS),
        period_seconds: CODE_PERIOD_SECONDS as u32,
    })
}

/// Whether `code` is the shift's code of this window or the one before.
fn code_is_current(config: &Config, shift_id: &str, code: &str, now: Timestamp) -> bool {
    let window = now.unix().div_euclid(CODE_PERIOD_SECONDS);
    [window, window - 1]
        .iter()
        .any(|w| config.keys.checkin_code(shift_id, *w) == code)
}

/// The position check, when the activity asks for one. The position is used here and
/// not stored: the record keeps only that the check passed.
fn check_distance(a: &ActivityItem, req: &CheckinRequest) -> Result<bool, ApiError> {
    let Some(radius) = a.checkin_radius_m else {
        return Ok(false);
    };
    let (Some(lat), Some(lng)) = (req.lat, req.lng) else {
        return Err(ApiError::invalid(
            "location",
            "this activity checks where you check in: allow the location and try again",
        ));
    };
    let at = LatLng::new(lat, lng).map_err(|e| ApiError::invalid("location", e))?;
    let place = LatLng::new(a.lat, a.lng).map_err(|e| ApiError::Internal(e.to_string()))?;
    if distance_m(at, place) > f64::from(radius) {
        return Err(ApiError::Unprocessable {
            code: "too_far",
            message: format!("check in within {radius} m of the activity's place"),
        });
    }
    Ok(true)
}

/// The volunteer's scan: checks in the first time, out the next (see
/// [`REPEAT_SCAN_SECONDS`]).
pub async fn check_in(
    store: &Store,
    config: &Config,
    caller: &Caller,
    shift_id: &str,
    req: &CheckinRequest,
    now: Timestamp,
) -> Result<CheckinResult, ApiError> {
    caller.volunteer()?;
    let code = parse_code(&req.code)?;
    let (a, shift) = load_shift(store, shift_id).await?;
    if a.status == ActivityStatus::Cancelled {
        return Err(activity_cancelled());
    }
    require_confirmed_signup(store, &shift, caller.id(), "you do").await?;
    if now.unix() < shift.starts_at - CHECKIN_EARLY_SECONDS {
        return Err(ApiError::conflict(
            "too_early",
            "check-in opens an hour before the shift starts",
        ));
    }
    if now.unix() > shift.ends_at {
        return Err(ApiError::conflict("shift_over", "the shift is over"));
    }
    let window = now.unix().div_euclid(WRONG_CODE_WINDOW);
    if store.attempts("checkin", caller.id(), window).await? >= MAX_WRONG_CODES {
        return Err(ApiError::TooManyRequests {
            retry_after: (WRONG_CODE_WINDOW - now.unix().rem_euclid(WRONG_CODE_WINDOW)) as u64,
        });
    }
    if !code_is_current(config, &shift.id(), &code, now) {
        store
            .count_attempt(
                "checkin",
                caller.id(),
                window,
                (window + 2) * WRONG_CODE_WINDOW,
            )
            .await?;
        return Err(ApiError::Unprocessable {
            code: "invalid_code",
            message: "the code is wrong or has expired: enter the one on the screen now".into(),
        });
    }
    let location_checked = check_distance(&a, req)?;
    let by = Actor::of(caller);
    let fresh = new_record(&a, &shift, &caller.user, &by, now)?;
    let step = config.hours_step_minutes;
    let key = RecordKey {
        activity_id: &a.id,
        n: shift.n,
        user_id: caller.id(),
    };
    let at = now.rfc3339_cst();
    let record = commit(store, &key, &by, |before| match before {
        None => Ok(Decision::Write(Change {
            after: RecordItem {
                location_checked,
                ..with_times(fresh.clone(), Some(now.unix()), None, step)
            },
            action: AuditAction::CheckIn,
            reason: None,
            at: at.clone(),
        })),
        Some(r) if r.is_open() && now.unix() - r.check_in.unwrap_or(0) < REPEAT_SCAN_SECONDS => {
            Ok(Decision::Done(r.clone()))
        }
        Some(r) if r.is_open() => Ok(Decision::Write(Change {
            after: with_times(
                r.clone(),
                r.check_in,
                Some(now.unix().min(r.shift_ends)),
                step,
            ),
            action: AuditAction::CheckOut,
            reason: None,
            at: at.clone(),
        })),
        Some(r) if r.check_in.is_none() => Ok(Decision::Write(Change {
            after: with_times(r.clone(), Some(now.unix()), None, step),
            action: AuditAction::CheckIn,
            reason: None,
            at: at.clone(),
        })),
        Some(_) => Err(ApiError::conflict(
            "already_checked_out",
            "you have checked in and out of this shift already",
        )),
    })
    .await?;
    Ok(CheckinResult {
        action: if record.is_open() {
            CheckinAction::CheckedIn
        } else {
            CheckinAction::CheckedOut
        },
        record: view(&record),
    })
}

/// An organizer checks a volunteer in or out by hand, or fixes the times of a record not
/// yet confirmed.
pub async fn attendance(
    store: &Store,
    step: u32,
    caller: &Caller,
    shift_id: &str,
    req: &AttendanceRequest,
    now: Timestamp,
) -> Result<ServiceRecord, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    let user_id = req.user_id.trim();
    if !super::looks_like_id(user_id) {
        return Err(ApiError::invalid("user_id", "is not a volunteer's id"));
    }
    let times = validate_times(
        &req.check_in,
        &req.check_out,
        (shift.starts_at, shift.ends_at),
        now,
    )
    .map_err(ApiError::from)?;
    if times.check_in.is_none() && times.check_out.is_none() {
        return Err(ApiError::invalid(
            "check_in",
            "give a check-in or check-out time",
        ));
    }
    if let Err(ApiError::Forbidden { message, .. }) =
        require_confirmed_signup(store, &shift, user_id, "they do").await
    {
        return Err(ApiError::conflict("not_signed_up", message));
    }
    let user = store
        .get_user(user_id)
        .await?
        .ok_or_else(|| ApiError::invalid("user_id", "is not a volunteer's id"))?;
    let by = Actor::of(caller);
    let fresh = new_record(&a, &shift, &user, &by, now)?;
    let key = RecordKey {
        activity_id: &a.id,
        n: shift.n,
        user_id,
    };
    let at = now.rfc3339_cst();
    let record = commit(store, &key, &by, |before| {
        let base = match before {
            None => fresh.clone(),
            Some(r) if r.status == RecordStatus::Pending => r.clone(),
            Some(_) => {
                return Err(wrong_state(
                    "the record is confirmed: change it with a correction",
                ));
            }
        };
        let check_in = times.check_in.map(Timestamp::unix).or(base.check_in);
        let check_out = times.check_out.map(Timestamp::unix).or(base.check_out);
        let Some(i) = check_in else {
            return Err(ApiError::invalid(
                "check_in",
                "check the volunteer in first",
            ));
        };
        if check_out.is_some_and(|o| o <= i) {
            return Err(ApiError::invalid("check_out", "must be after the check-in"));
        }
        Ok(Decision::Write(Change {
            after: with_times(base, Some(i), check_out, step),
            action: AuditAction::HandEntry,
            reason: None,
            at: at.clone(),
        }))
    })
    .await?;
    Ok(view(&record))
}

/// A local record by id, with its activity; 404 for anything that is not one.
async fn load_record(store: &Store, id: &str) -> Result<(RecordItem, ActivityItem), ApiError> {
    let (shift_id, user_id) = keys::parse_record_id(id).ok_or_else(|| not_found(id))?;
    let (aid, n) = keys::parse_shift_id(shift_id).ok_or_else(|| not_found(id))?;
    let (r, a) = tokio::join!(store.get_record(aid, n, user_id), store.get_activity(aid));
    match (r?, a?) {
        (Some(r), Some(a)) => Ok((r, a)),
        _ => Err(not_found(id)),
    }
}

fn key_of(r: &RecordItem) -> RecordKey<'_> {
    RecordKey {
        activity_id: &r.activity_id,
        n: r.n,
        user_id: &r.user_id,
    }
}

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
    };
    let mut resume = None;
    loop {
        let (page, next) = store.records_of_shift(&a.id, shift.n, resume, 100).await?;
        for r in page.iter().filter(|r| r.status == RecordStatus::Pending) {
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

fn reason_text(raw: &str) -> Result<String, ApiError> {
    zhiyuan_shared::text::clean(raw, 500, false).map_err(|e| ApiError::invalid("reason", e))
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
    let reason = reason_text(&req.reason)?;
    let times = if req.void {
        None
    } else {
        let t = validate_times(
            &req.check_in,
            &req.check_out,
            (r.shift_starts, r.shift_ends),
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
                let check_in = t.check_in.map(Timestamp::unix).or(r.check_in);
                let check_out = t.check_out.map(Timestamp::unix).or(r.check_out);
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
    if r.user_id != caller.id() {
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

/// A record with its audit trail: for its volunteer and the activity's managers.
pub async fn get(store: &Store, caller: &Caller, id: &str) -> Result<RecordDetail, ApiError> {
    let (r, a) = load_record(store, id).await?;
    if r.user_id != caller.id() {
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
    raw: &HashMap<String, String>,
) -> Result<zhiyuan_shared::api::Page<ServiceRecord>, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    let limit = parse_limit(raw.get("limit").map(String::as_str))?;
    let resume = resume_from(raw.get("cursor").map(String::as_str), "records", shift_id)?;
    let (items, next) = store
        .records_of_shift(&a.id, shift.n, resume, limit.get())
        .await?;
    Ok(zhiyuan_shared::api::Page {
        items: items.iter().map(view).collect(),
        next_cursor: next_cursor(next, "records", shift_id.to_string())?,
    })
}

/// The caller's records, newest first, with their total, stars and unlocked perks.
pub async fn mine(
    store: &Store,
    caller: &Caller,
    raw: &HashMap<String, String>,
) -> Result<MyRecords, ApiError> {
    let limit = parse_limit(raw.get("limit").map(String::as_str))?;
    let resume = resume_from(
        raw.get("cursor").map(String::as_str),
        "my_records",
        caller.id(),
    )?;
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

/// Closes records left open past their shift's end, at the end, flagged for review.
/// Returns how many it closed. Safe to run twice: a closed record is left as it is.
pub async fn close_due(store: &Store, step: u32, now: Timestamp) -> Result<usize, ApiError> {
    let today = now.cst_date().iso();
    let yesterday = now.plus(-24 * 3600).cst_date().iso();
    let by = Actor {
        id: SYSTEM.0,
        name: SYSTEM.1,
    };
    let at = now.rfc3339_cst();
    let mut closed = 0;
    for day in [yesterday, today] {
        for entry in store.autoclose_due(&day, now.unix()).await? {
            let key = RecordKey {
                activity_id: &entry.activity_id,
                n: entry.n,
                user_id: &entry.user_id,
            };
            let after = commit(store, &key, &by, |before| match before {
                Some(r) if r.is_open() => Ok(Decision::Write(Change {
                    after: RecordItem {
                        auto_closed: true,
                        ..with_times(r.clone(), r.check_in, Some(r.shift_ends), step)
                    },
                    action: AuditAction::AutoClose,
                    reason: None,
                    at: at.clone(),
                })),
                Some(r) => Ok(Decision::Done(r.clone())),
                None => Err(ApiError::NotFound("record gone".into())),
            })
            .await;
            match after {
                Ok(r) if r.auto_closed && r.check_out == Some(r.shift_ends) => closed += 1,
                Ok(_) | Err(ApiError::NotFound(_)) => store.leave_autoclose(&entry).await?,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(closed)
}
