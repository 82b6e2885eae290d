//! Editing a published activity (`PUT /api/activities/{id}`): its title, description and
//! requirements, and the times and places of shifts that have not started.
//!
//! Places never go below a shift's confirmed sign-ups, checked when read and again by the
//! write's conditions on each place counter (see `store::activity_edits`); raising them
//! promotes the waitlist in order. New times that would make a signed-up volunteer's shifts
//! overlap are refused naming them, unless the organizer confirms. Everyone signed up for
//! a shift whose times, or an activity whose texts, changed gets an `activity_changed`
//! notice; the volunteers' own lists follow the new times.

use super::MAX_ATTEMPTS;
use super::activities::{activity_cancelled, load, ts};
use super::notices::{fixed_notice_id, notice};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::{NoticeId, UserId};
use crate::notify::NoticeSender;
use crate::store::activities::{ActivityItem, ShiftInfo, ShiftItem};
use crate::store::activity_edits::{
    EditRefused, PROMOTE_BATCH, Promotion, ShiftChange, SignupChanged, plan_places,
};
use crate::store::notices::NoticeItem;
use crate::store::signups::SignupItem;
use crate::store::{Store, StoreError, TxError, backoff};
use std::collections::{BTreeMap, HashSet};
use zhiyuan_shared::activity::{
    Activity, ActivityEditInput, ActivityStatus, EditOverlap, MAX_AHEAD_SECONDS, RefusedOccurrence,
    overlaps,
};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::time::Timestamp;

/// A day in seconds: the longest shift, so any shift overlapping another starts at most
/// this long before it.
const DAY: i64 = 24 * 3600;

/// What an edit did: saved, or refused because new times overlap volunteers' other shifts.
pub enum EditOutcome {
    Saved(Box<Activity>),
    Overlaps(Vec<EditOverlap>),
    /// "Edit all future": these later occurrences cannot take the edit; nothing written.
    Refused(Vec<RefusedOccurrence>),
}

fn shift_started() -> ApiError {
    ApiError::conflict(
        "shift_started",
        "a shift that has started cannot be changed",
    )
}

fn changed_meanwhile() -> ApiError {
    ApiError::conflict(
        "activity_changed",
        "the activity was changed by someone else meanwhile; reload and retry",
    )
}

fn below_signups(shift: &ShiftItem) -> ApiError {
    ApiError::conflict(
        "places_below_signups",
        format!(
            "shift {} has {} confirmed sign-ups: places cannot go below that",
            shift.id(),
            shift.taken
        ),
    )
}

/// Applies new shift facts to an activity, keeping its first start and end in step.
fn with_shift(a: &ActivityItem, info: &ShiftInfo) -> ActivityItem {
    let mut out = a.clone();
    if let Some(s) = out.shifts.iter_mut().find(|s| s.n == info.n) {
        *s = info.clone();
    }
    if let Some(first) = out.shifts.iter().map(|s| s.starts_at).min() {
        out.first_start = first;
    }
    if let Some(until) = out.shifts.iter().map(|s| s.ends_at).max() {
        out.until = until;
    }
    out
}

/// An edit checked against the activity as read, nothing written yet.
pub(crate) enum Planned {
    /// Nothing to change: the activity is already as asked (also a repeat of this edit).
    Unchanged(Box<ActivityItem>),
    /// New times would make volunteers' shifts overlap; the plan is what would be written.
    Overlaps(Vec<EditOverlap>, Box<EditPlan>),
    Write(Box<EditPlan>),
}

/// What an edit writes: the activity as read (its version is the condition of the
/// writes), as it will be, the shifts that change and whether the texts do.
pub(crate) struct EditPlan {
    pub before: ActivityItem,
    pub after: ActivityItem,
    changes: Vec<(ShiftInfo, ShiftInfo)>,
    texts_changed: bool,
}

/// `PUT /api/activities/{id}` by an organizer of the activity's organisation.
pub async fn edit(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    input: &ActivityEditInput,
    now: Timestamp,
) -> Result<EditOutcome, ApiError> {
    match plan(store, caller, id, input, now).await? {
        Planned::Unchanged(_) => {}
        Planned::Overlaps(found, _) => return Ok(EditOutcome::Overlaps(found)),
        Planned::Write(p) => apply(store, sender, *p, now).await?,
    }
    Ok(EditOutcome::Saved(Box::new(
        super::activities::get(store, id).await?,
    )))
}

/// Checks an edit against the activity as read now — who may, which shifts change and
/// may (not started, places not below confirmed sign-ups), overlaps unless confirmed —
/// and plans it, writing nothing: the first refusal is the answer.
pub(crate) async fn plan(
    store: &Store,
    caller: &Caller,
    id: &str,
    input: &ActivityEditInput,
    now: Timestamp,
) -> Result<Planned, ApiError> {
    let draft = input.validate()?;
    let before = load(store, id).await?;
    if !caller.organizes(&before.org_id) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may edit its activities",
        ));
    }
    if before.status != ActivityStatus::Published {
        return Err(activity_cancelled());
    }
    // The shifts that change, each as it is and as it will be.
    let mut changes: Vec<(ShiftInfo, ShiftInfo)> = Vec::new();
    for (i, d) in draft.shifts.iter().enumerate() {
        let fault =
            |reason: &str| ApiError::invalid("shifts", format!("shift {}: {reason}", i + 1));
        let Some(old) = before.shifts.iter().find(|s| s.id(&before.id) == d.id) else {
            return Err(fault("is not a shift of this activity"));
        };
        let moved = old.starts_at != d.starts_at || old.ends_at != d.ends_at;
        if !moved && old.capacity == d.capacity {
            continue;
        }
        if now >= old.starts_at {
            return Err(shift_started());
        }
        if moved && d.starts_at <= now {
            return Err(fault("must start in the future"));
        }
        if d.starts_at.unix() - now.unix() > MAX_AHEAD_SECONDS {
            return Err(fault("must start within a year"));
        }
        let new = ShiftInfo {
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            capacity: d.capacity,
            // The places spread over the counters the shift has.
            counters: old.counters(),
            n: old.n,
        };
        changes.push((old.clone(), new));
    }
    let mut after = before.clone();
    after.title = draft.title.clone();
    after.description = draft.description.clone();
    after.requirements = draft.requirements.clone();
    for (_, new) in &changes {
        after = with_shift(&after, new);
    }
    // Recruitment closes at the latest when the last shift starts: a move earlier brings
    // the deadline with it.
    if let Some(last) = after.shifts.iter().map(|s| s.starts_at).max()
        && after.deadline > last
    {
        after.deadline = last;
    }
    let texts_changed = after.title != before.title
        || after.description != before.description
        || after.requirements != before.requirements;
    if !texts_changed && changes.is_empty() {
        return Ok(Planned::Unchanged(Box::new(before)));
    }
    // Places never below the confirmed sign-ups, as read now (the write checks again).
    for (old, new) in &changes {
        let live = store
            .get_shift(&before.id, old.n)
            .await?
            .ok_or_else(|| super::activities::no_shift(&old.id(&before.id)))?;
        if new.capacity < live.taken {
            return Err(below_signups(&live));
        }
    }
    let found = if input.confirm_overlaps {
        Vec::new()
    } else {
        overlaps_of(store, &before, &after, &changes).await?
    };
    let plan = Box::new(EditPlan {
        before,
        after,
        changes,
        texts_changed,
    });
    Ok(if found.is_empty() {
        Planned::Write(plan)
    } else {
        Planned::Overlaps(found, plan)
    })
}

/// Writes a planned edit, each step conditional on the version the plan read (so an
/// activity changed since is refused, or, if the change was this edit's own, found
/// done), then the volunteers' lists and notices.
pub(crate) async fn apply(
    store: &Store,
    sender: NoticeSender,
    plan: EditPlan,
    now: Timestamp,
) -> Result<(), ApiError> {
    let EditPlan {
        before,
        after,
        changes,
        texts_changed,
    } = plan;
    // One transaction per changed shift; the texts go with the first.
    let mut current = before.clone();
    current.deadline = after.deadline;
    current.title = after.title.clone();
    current.description = after.description.clone();
    current.requirements = after.requirements.clone();
    let mut promoted_notices = Vec::new();
    if changes.is_empty() {
        current = commit_step(store, &before, current, None, now, &mut promoted_notices).await?;
    }
    let mut seen = before.clone();
    for (_, new) in &changes {
        let step = with_shift(&current, new);
        current = commit_step(store, &seen, step, Some(new), now, &mut promoted_notices).await?;
        seen = current.clone();
    }
    sender.send(&promoted_notices);
    follow_up(store, sender, &before, &current, texts_changed, now).await;
    Ok(())
}

/// Writes one step of the edit over `seen`: the activity as `step` (the texts and shifts
/// so far), with `shift`'s new times and places. Retries lost races from a fresh read;
/// returns the activity as written.
async fn commit_step(
    store: &Store,
    seen: &ActivityItem,
    mut step: ActivityItem,
    shift: Option<&ShiftInfo>,
    now: Timestamp,
    notices: &mut Vec<NoticeItem>,
) -> Result<ActivityItem, ApiError> {
    let mut seen = seen.clone();
    step.version = seen.version + 1;
    let mut attempt = 0;
    // What the last transaction tried to write: a step of a raise, or `step` itself.
    let mut attempted = step.clone();
    loop {
        if attempt >= MAX_ATTEMPTS {
            return Err(ApiError::Busy);
        }
        if attempt > 0 {
            backoff(attempt).await;
        }
        attempt += 1;
        let result = match shift {
            None => store.edit_activity(&seen, &step, None).await,
            Some(new) => {
                let live = store
                    .get_shift(&seen.id, new.n)
                    .await?
                    .ok_or_else(|| super::activities::no_shift(&new.id(&seen.id)))?;
                if now >= live.starts_at {
                    return Err(shift_started());
                }
                if new.capacity < live.taken {
                    return Err(below_signups(&live));
                }
                // Newly free places go to the waitlist in order, a batch per transaction;
                // a raise larger than one batch is written in steps that each stay full.
                let room = new.capacity - live.taken;
                let wanted = room.min(live.waitlisted) as usize;
                let waits = match wanted {
                    0 => Vec::new(),
                    w => store.waiting(&seen.id, new.n, w.min(PROMOTE_BATCH)).await?,
                };
                let promote = waits.len() as u32;
                let partial = (promote as usize) < wanted;
                let mut this = new.clone();
                if partial {
                    this.capacity = live.taken + promote;
                }
                let title = step.title.clone();
                let mut built = Vec::with_capacity(waits.len());
                for w in &waits {
                    let n = notice(
                        &w.user_id,
                        NoticeId::generate(),
                        NoticeKind::Promoted,
                        &title,
                        format!("/activities/{}", seen.id),
                        Some(ts(new.starts_at)),
                        None,
                    );
                    let sms = super::sms_notices::queue_item(store, &n, now).await?;
                    built.push((n, sms));
                }
                let places = plan_places(&live.places, this.capacity, promote);
                let mut seats = places
                    .iter()
                    .flat_map(|p| std::iter::repeat_n(p.counter, p.add as usize))
                    .collect::<Vec<u8>>()
                    .into_iter();
                let promotions: Vec<Promotion<'_>> = waits
                    .iter()
                    .zip(&built)
                    .map(|(w, (n, sms))| Promotion {
                        wait: w,
                        counter: seats.next().unwrap_or_default(),
                        notice: n,
                        sms: sms.as_ref(),
                    })
                    .collect();
                let change = ShiftChange {
                    shift: &live,
                    leaves_free: this.capacity > live.taken + promote,
                    after: this.clone(),
                    places,
                    promote: promotions,
                };
                let written = with_shift(&step, &this);
                attempted = written.clone();
                let r = store.edit_activity(&seen, &written, Some(&change)).await;
                if r.is_ok() {
                    notices.extend(built.into_iter().map(|(n, _)| n));
                    if partial {
                        // Promoted this batch; the rest of the raise is the next step.
                        seen = written;
                        step.version = seen.version + 1;
                        attempt = 0;
                        continue;
                    }
                }
                r
            }
        };
        match result {
            Ok(()) => return Ok(step),
            Err(TxError::Refused(EditRefused::ActivityChanged)) => {
                // Our own write whose answer was lost, or someone else's edit.
                let stored = load(store, &seen.id).await?;
                if stored.status != ActivityStatus::Published {
                    return Err(activity_cancelled());
                }
                if stored.version != attempted.version || !same_facts(&stored, &attempted) {
                    return Err(changed_meanwhile());
                }
                if same_facts(&stored, &step) {
                    return Ok(stored);
                }
                // A step of a raise went through: the rest is the next step.
                seen = stored;
                step.version = seen.version + 1;
                attempt = 0;
            }
            Err(
                TxError::Refused(EditRefused::ShiftChanged)
                | TxError::Store(
                    StoreError::TransactionConflict
                    | StoreError::Throttled
                    | StoreError::Unavailable(_),
                ),
            ) => continue,
            Err(other) => return Err(other.into()),
        }
    }
}

fn same_facts(a: &ActivityItem, b: &ActivityItem) -> bool {
    a.title == b.title
        && a.description == b.description
        && a.requirements == b.requirements
        && a.shifts.len() == b.shifts.len()
        && a.shifts.iter().zip(&b.shifts).all(|(x, y)| {
            x.starts_at == y.starts_at && x.ends_at == y.ends_at && x.capacity == y.capacity
        })
}

/// Every sign-up of a shift, a page at a time.
async fn all_signups(
    store: &Store,
    a: &ActivityItem,
    n: u8,
) -> Result<Vec<SignupItem>, StoreError> {
    let mut out = Vec::new();
    let mut resume = None;
    loop {
        let (page, next) = store.signups_page(&a.id, n, resume, 100).await?;
        out.extend(page);
        match next {
            Some(k) => resume = Some(k),
            None => return Ok(out),
        }
    }
}

/// The signed-up volunteers whose shifts would overlap once the moved shifts take their
/// new times: with another activity's shift they hold, or with another shift of this one.
async fn overlaps_of(
    store: &Store,
    before: &ActivityItem,
    after: &ActivityItem,
    changes: &[(ShiftInfo, ShiftInfo)],
) -> Result<Vec<EditOverlap>, ApiError> {
    let moved: Vec<&ShiftInfo> = changes
        .iter()
        .filter(|(o, n)| o.starts_at != n.starts_at || o.ends_at != n.ends_at)
        .map(|(_, n)| n)
        .collect();
    if moved.is_empty() {
        return Ok(Vec::new());
    }
    let mut holders: BTreeMap<u8, Vec<SignupItem>> = BTreeMap::new();
    for s in &after.shifts {
        holders.insert(s.n, all_signups(store, before, s.n).await?);
    }
    let mut found = Vec::new();
    for new in moved {
        let window = (new.starts_at, new.ends_at);
        for signup in holders.get(&new.n).into_iter().flatten() {
            let mut report = |other_title: &str, other_start: Timestamp| {
                found.push(EditOverlap {
                    real_name: signup.real_name.clone(),
                    volunteer_no: signup.volunteer_no.clone(),
                    shift_id: new.id(&before.id),
                    other_title: other_title.to_string(),
                    other_starts_at: ts(other_start),
                });
            };
            // Other shifts of this activity they hold, at their times after the edit.
            for other in after.shifts.iter().filter(|s| s.n != new.n) {
                let holds = holders
                    .get(&other.n)
                    .is_some_and(|l| l.iter().any(|s| s.user_id == signup.user_id));
                if holds && overlaps(window, (other.starts_at, other.ends_at)) {
                    report(&after.title, other.starts_at);
                }
            }
            let (mine, _) = store
                .my_shifts_between(
                    &signup.user_id,
                    new.starts_at.plus(-DAY),
                    new.ends_at,
                    None,
                    100,
                )
                .await?;
            for m in mine.iter().filter(|m| {
                m.activity_id != before.id
                    && m.activity_status == ActivityStatus::Published
                    && overlaps(window, (m.starts_at, m.ends_at))
            }) {
                report(&m.title, m.starts_at);
            }
        }
    }
    Ok(found)
}

/// After the edit committed: the volunteers' own lists take the new times and title, and
/// everyone whose shift moved (or, when the texts changed, everyone signed up for a shift
/// still to come) gets one notice. Every part is idempotent (mirrors rewritten while their
/// sign-up is as read, notices with fixed ids), so a failure is retried as a whole; if the
/// store stays down the failure is logged and the edit stands.
async fn follow_up(
    store: &Store,
    sender: NoticeSender,
    before: &ActivityItem,
    after: &ActivityItem,
    texts_changed: bool,
    now: Timestamp,
) {
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
        }
        match try_follow_up(store, sender, before, after, texts_changed, now).await {
            Ok(()) => return,
            Err(e) if attempt + 1 == MAX_ATTEMPTS => {
                tracing::warn!(error = %e, activity = %after.id, "edit follow-up incomplete");
            }
            Err(_) => {}
        }
    }
}

async fn try_follow_up(
    store: &Store,
    sender: NoticeSender,
    before: &ActivityItem,
    after: &ActivityItem,
    texts_changed: bool,
    now: Timestamp,
) -> Result<(), ApiError> {
    let at_ms = (now.unix().max(0) as u64) * 1000;
    let mut told: HashSet<UserId> = HashSet::new();
    let mut notices = Vec::new();
    for new in &after.shifts {
        let Some(old) = before.shifts.iter().find(|s| s.n == new.n) else {
            continue;
        };
        let moved = old.starts_at != new.starts_at || old.ends_at != new.ends_at;
        if old.starts_at <= now || !(moved || texts_changed) {
            continue;
        }
        for signup in all_signups(store, after, new.n).await? {
            move_mirror(store, after, old, new, signup.clone()).await?;
            if told.insert(signup.user_id.clone()) {
                notices.push(notice(
                    &signup.user_id,
                    fixed_notice_id(
                        at_ms,
                        &format!("changed:{}:{}:{}", after.id, after.version, signup.user_id),
                    ),
                    NoticeKind::ActivityChanged,
                    &after.title,
                    format!("/activities/{}", after.id),
                    Some(ts(new.starts_at)),
                    None,
                ));
            }
        }
    }
    super::notices::publish(store, sender, &notices).await
}

/// Rewrites one volunteer's mirror while their sign-up is as read; a sign-up promoted
/// meanwhile is read again, one withdrawn is left alone.
async fn move_mirror(
    store: &Store,
    a: &ActivityItem,
    old: &ShiftInfo,
    new: &ShiftInfo,
    mut signup: SignupItem,
) -> Result<(), ApiError> {
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
        }
        match store.move_my_shift(a, old, new, &signup).await {
            Ok(()) => return Ok(()),
            Err(TxError::Refused(SignupChanged::Changed)) => {
                match store.get_signup(&a.id, new.n, &signup.user_id).await? {
                    Some(s) => signup = s,
                    None => return Ok(()),
                }
            }
            Err(TxError::Store(
                StoreError::TransactionConflict
                | StoreError::Throttled
                | StoreError::Unavailable(_),
            )) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::Busy)
}
