//! Sign-ups: a place on a shift that is never over-booked, the waitlist and its
//! promotion on cancellation, rosters, and "my activities".

use super::MAX_ATTEMPTS;
use super::activities::{activity_cancelled, load_shift, no_shift, require_manager, ts};
use super::cursor::{next_cursor, parse_limit, resume_from};
use super::nonblank;
use super::notices::notice;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::UserId;
use crate::notify::NoticeSender;
use crate::store::activities::{ActivityItem, ShiftItem};
use crate::store::signups::{
    Booked, CancelSignupRefused, CancelWrite, SCHEDULE_MAX, ScheduleItem, SignupAttempt,
    SignupRefused,
};
use crate::store::{Store, StoreError, TxError, backoff};
use crate::token::Claims;
use zhiyuan_shared::activity::{
    ActivityStatus, MyShift, RosterEntry, SignupResult, SignupStatus, overlaps,
};
use zhiyuan_shared::api::Page;
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::query::PageQuery;
use zhiyuan_shared::time::Timestamp;

/// A day in seconds: the longest shift, so any shift overlapping another starts at most
/// this long before it.
const DAY: i64 = 24 * 3600;

/// The idempotency token of a sign-up: the client's, or a fresh one.
pub fn client_token(raw: Option<&str>) -> Result<String, ApiError> {
    match raw.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(ulid::Ulid::new().to_string()),
        Some(t)
            if t.len() <= 64
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(t.to_string())
        }
        Some(_) => Err(ApiError::invalid(
            "client_token",
            "must be 1–64 letters, digits, '-' or '_'",
        )),
    }
}

fn already_signed_up() -> ApiError {
    SignupRefused::AlreadySignedUp.into()
}

/// The outcome when this volunteer already has a sign-up for the shift: the original
/// answer for a retry with the same token, a 409 otherwise.
async fn replay(
    store: &Store,
    a: &ActivityItem,
    shift: &ShiftItem,
    user_id: &str,
    token: &str,
) -> Result<SignupResult, ApiError> {
    match store.get_signup(&a.id, shift.n, user_id).await? {
        Some(s) if s.client_token == token => Ok(SignupResult {
            activity_id: a.id.to_string(),
            shift_id: shift.id(),
            status: s.status,
        }),
        _ => Err(already_signed_up()),
    }
}

/// Signs up the volunteer a session names. Their user item is read in the same
/// BatchGetItem as the shift (with their schedule), then admitted as any caller is: a
/// sign-up makes one read and one write when nothing stands in its way.
pub async fn sign_up_session(
    store: &Store,
    session: Claims,
    at: i64,
    shift_id: &str,
    token: &str,
    now: Timestamp,
) -> Result<SignupResult, ApiError> {
    let read = store.signup_read(shift_id, &session.sub).await?;
    let seq = read.user.as_ref().map_or(0, |u| u.signup_seq);
    let caller = Caller::admit(read.user, session, at)?;
    decide(
        store,
        &caller,
        read.found,
        read.schedule,
        seq,
        shift_id,
        token,
        now,
    )
    .await
}

/// Signs the caller up for a shift: confirmed while places last, waitlisted after.
pub async fn sign_up(
    store: &Store,
    caller: &Caller,
    shift_id: &str,
    token: &str,
    now: Timestamp,
) -> Result<SignupResult, ApiError> {
    let read = store.signup_read(shift_id, caller.id()).await?;
    let seq = read
        .user
        .as_ref()
        .map_or(caller.user.signup_seq, |u| u.signup_seq);
    decide(
        store,
        caller,
        read.found,
        read.schedule,
        seq,
        shift_id,
        token,
        now,
    )
    .await
}

/// More attempts for a waitlist join: once a shift is full every join updates its one
/// waitlist count, so under a rush most lose a race (`TransactionConflict`) and try
/// again after a jittered pause (and one read).
const WAITLIST_ATTEMPTS: u32 = 2 * MAX_ATTEMPTS;

/// Every rule is checked before the write; the write itself re-checks the places and
/// that the caller has signed up for nothing since, so no race can over-book or
/// double-book.
#[allow(clippy::too_many_arguments)]
async fn decide(
    store: &Store,
    caller: &Caller,
    found: Option<(ActivityItem, ShiftItem)>,
    mut schedule: Option<ScheduleItem>,
    mut seq: u64,
    shift_id: &str,
    token: &str,
    now: Timestamp,
) -> Result<SignupResult, ApiError> {
    let volunteer = caller.volunteer()?;
    let (a, mut shift) = found.ok_or_else(|| no_shift(shift_id))?;
    if a.status == ActivityStatus::Cancelled || shift.status == ActivityStatus::Cancelled {
        return Err(activity_cancelled());
    }
    if now >= shift.starts_at {
        return Err(ApiError::conflict(
            "shift_started",
            "this shift has already started",
        ));
    }
    if now > a.deadline {
        return Err(ApiError::conflict(
            "deadline_passed",
            "the recruitment deadline has passed",
        ));
    }
    if a.min_age > 0 {
        let age = volunteer.birth_date.years_until(shift.starts_at.cst_date());
        if age < u16::from(a.min_age) {
            return Err(ApiError::Unprocessable {
                code: "below_min_age",
                message: format!("this activity needs volunteers aged {} or over", a.min_age),
            });
        }
    }
    super::guardian::require_consent(volunteer, shift.starts_at.cst_date())?;
    let me = caller.id();
    // After a counter was found full, the next attempt tries another counter from the same
    // read at once; any other refusal reads the shift again after a pause.
    let (mut reread, mut pause) = (false, false);
    // The overlap check's answer, kept until something is read again.
    let mut checked: Option<Option<Vec<Booked>>> = None;
    let mut attempt = 0;
    loop {
        if pause {
            backoff(attempt).await;
        }
        if reread {
            let r = store.signup_read(shift_id, me).await?;
            shift = r.found.ok_or_else(|| no_shift(shift_id))?.1;
            // The account was closed while this sign-up was in flight.
            let u = r.user.filter(|u| u.closed_at.is_none());
            seq = u.ok_or(ApiError::Unauthorized)?.signup_seq;
            schedule = r.schedule;
            checked = None;
            if shift.status == ActivityStatus::Cancelled {
                return Err(activity_cancelled());
            }
        }
        (reread, pause) = (true, true);
        let booked = match checked.take() {
            Some(b) => b,
            None => match check_overlaps(store, me, &shift, shift_id, schedule.as_ref(), seq, now)
                .await?
            {
                Overlaps::Mine => return replay(store, &a, &shift, me, token).await,
                Overlaps::Found => {
                    return Err(ApiError::conflict(
                        "overlapping_shift",
                        "you are signed up for another shift at this time",
                    ));
                }
                Overlaps::None(b) => b,
            },
        };
        let place = shift.counter_with_room();
        let w = SignupAttempt {
            activity: &a,
            shift: &shift,
            user_id: me,
            real_name: &volunteer.real_name,
            volunteer_no: &volunteer.volunteer_no,
            place,
            client_token: token,
            signed_up_at: crate::clock::now_rfc3339(),
            user_seq_seen: seq,
            schedule: next_schedule(booked.clone(), &shift, shift_id, now),
        };
        let status = w.status();
        let result = store.sign_up(&w).await;
        attempt += 1;
        let budget = if place.is_none() {
            WAITLIST_ATTEMPTS
        } else {
            MAX_ATTEMPTS
        };
        match result {
            Ok(()) => {
                return Ok(SignupResult {
                    activity_id: a.id.to_string(),
                    shift_id: shift_id.to_string(),
                    status,
                });
            }
            Err(TxError::Refused(SignupRefused::AlreadySignedUp)) => {
                return replay(store, &a, &shift, me, token).await;
            }
            // That counter filled since it was read: fall back to the others.
            Err(TxError::Refused(SignupRefused::ShiftChanged)) if place.is_some() => {
                // With every counter now known full the next try is the waitlist, whose
                // write checks that they all still are.
                shift.mark_full(place.unwrap_or_default());
                (reread, pause) = (false, false);
                checked = Some(booked);
            }
            // The shift filled or freed, another of the caller's sign-ups committed, the
            // transaction lost a race, or its answer was lost: read again and retry.
            Err(
                TxError::Refused(SignupRefused::ShiftChanged | SignupRefused::UserChanged)
                | TxError::Store(
                    StoreError::TransactionConflict
                    | StoreError::Throttled
                    | StoreError::Unavailable(_),
                ),
            ) => {}
            Err(other) => return Err(other.into()),
        }
        if attempt >= budget {
            return Err(ApiError::Busy);
        }
    }
}

/// What the caller's other sign-ups say about a sign-up for `shift`.
enum Overlaps {
    /// They are signed up for this shift already.
    Mine,
    /// A sign-up of theirs for a published activity overlaps it.
    Found,
    /// None overlaps; their complete schedule when it is known (and short enough to keep).
    None(Option<Vec<Booked>>),
}

/// The overlap check. From the schedule item alone while it is complete (its `seq` is the
/// user's) and names neither this shift nor one overlapping it; otherwise the mirrors
/// decide, as written: every sign-up from a day ago on (a shift lasts at most a day, so
/// any that has not ended), from which the schedule is rebuilt.
async fn check_overlaps(
    store: &Store,
    me: &UserId,
    shift: &ShiftItem,
    shift_id: &str,
    schedule: Option<&ScheduleItem>,
    seq: u64,
    now: Timestamp,
) -> Result<Overlaps, ApiError> {
    let this = (shift.starts_at, shift.ends_at);
    // Every sign-up bumps `signup_seq`, so at 0 there has never been one: nothing to read.
    let never = ScheduleItem::default();
    let schedule = schedule.or((seq == 0).then_some(&never));
    if let Some(s) = schedule.filter(|s| s.seq == seq)
        && !s
            .shifts
            .iter()
            .any(|b| b.shift_id == shift_id || overlaps((b.starts_at, b.ends_at), this))
    {
        return Ok(Overlaps::None(Some(s.shifts.clone())));
    }
    let (mut mine, more) = store
        .my_shifts_between(me, now.plus(-DAY), far_future(), None, SCHEDULE_MAX)
        .await?;
    let complete = more.is_none();
    if !complete {
        // Too many to keep: those that could overlap this shift decide.
        (mine, _) = store
            .my_shifts_between(me, shift.starts_at.plus(-DAY), shift.ends_at, None, 100)
            .await?;
    }
    if mine.iter().any(|m| m.shift_id == shift_id) {
        return Ok(Overlaps::Mine);
    }
    if mine.iter().any(|m| {
        m.activity_status == ActivityStatus::Published && overlaps((m.starts_at, m.ends_at), this)
    }) {
        return Ok(Overlaps::Found);
    }
    Ok(Overlaps::None(
        complete.then(|| mine.iter().map(Booked::from).collect()),
    ))
}

/// The schedule after a sign-up for `shift`: the known one without the shifts that have
/// ended (they overlap nothing still to come), plus this one; None if unknown or too long.
fn next_schedule(
    booked: Option<Vec<Booked>>,
    shift: &ShiftItem,
    shift_id: &str,
    now: Timestamp,
) -> Option<Vec<Booked>> {
    let mut next: Vec<Booked> = booked?
        .into_iter()
        .filter(|b| b.ends_at > now && b.shift_id != shift_id)
        .collect();
    next.push(Booked {
        shift_id: shift_id.to_string(),
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
    });
    (next.len() <= SCHEDULE_MAX).then_some(next)
}

/// Past every sign-up: the keys hold eleven digits of seconds.
fn far_future() -> Timestamp {
    Timestamp::from_unix(99_999_999_999)
}

/// Withdraws the caller's sign-up before the shift starts. A confirmed place passes to the
/// first on the waitlist, who is told in the app.
pub async fn cancel_signup(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    shift_id: &str,
    now: Timestamp,
) -> Result<(), ApiError> {
    let (a, mut shift) = load_shift(store, shift_id).await?;
    if a.status == ActivityStatus::Cancelled {
        return Err(activity_cancelled());
    }
    if now >= shift.starts_at {
        return Err(ApiError::conflict(
            "shift_started",
            "this shift has already started",
        ));
    }
    let me = caller.id();
    // After a failure whose outcome is unknown, an absent sign-up means it went through.
    let mut ambiguous = false;
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
            shift = store
                .get_shift(&a.id, shift.n)
                .await?
                .ok_or_else(|| no_shift(shift_id))?;
        }
        let Some(signup) = store.get_signup(&a.id, shift.n, me).await? else {
            return if ambiguous {
                Ok(())
            } else {
                Err(ApiError::NotFound(
                    "you are not signed up for this shift".into(),
                ))
            };
        };
        let promoted;
        let notice_item;
        let sms_item;
        let how = match signup.status {
            SignupStatus::Waitlisted => CancelWrite::LeaveWaitlist,
            SignupStatus::Confirmed => match store.first_waiting(&a.id, shift.n).await? {
                None => CancelWrite::FreePlace,
                Some(w) => {
                    promoted = w;
                    notice_item = notice(
                        &promoted.user_id,
                        crate::ids::NoticeId::generate(),
                        NoticeKind::Promoted,
                        &a.title,
                        format!("/activities/{}", a.id),
                        Some(ts(shift.starts_at)),
                        None,
                    );
                    sms_item = super::sms_notices::queue_item(store, &notice_item, now).await?;
                    CancelWrite::Promote {
                        wait: &promoted,
                        notice: &notice_item,
                        sms: sms_item.as_ref(),
                    }
                }
            },
        };
        let sent = match &how {
            CancelWrite::Promote { notice, .. } => Some((*notice).clone()),
            _ => None,
        };
        match store.cancel_signup(&a, &shift, &signup, how).await {
            Ok(()) => {
                if let Some(n) = sent {
                    sender.send(&[n]);
                }
                return Ok(());
            }
            Err(TxError::Store(StoreError::Unavailable(_) | StoreError::Throttled)) => {
                ambiguous = true
            }
            Err(
                TxError::Refused(CancelSignupRefused::Changed)
                | TxError::Store(StoreError::TransactionConflict),
            ) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::Busy)
}

/// A shift's roster, for the activity's organizers.
pub async fn roster(
    store: &Store,
    caller: &Caller,
    shift_id: &str,
    q: &PageQuery,
) -> Result<Page<RosterEntry>, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    let limit = parse_limit(nonblank(&q.limit))?;
    let resume = resume_from(nonblank(&q.cursor), "roster", shift_id)?;
    let (items, next) = store
        .signups_page(&a.id, shift.n, resume, limit.get())
        .await?;
    Ok(Page {
        items: items
            .into_iter()
            .map(|s| RosterEntry {
                user_id: s.user_id.into(),
                real_name: s.real_name,
                volunteer_no: s.volunteer_no,
                status: s.status,
                signed_up_at: s.signed_up_at,
            })
            .collect(),
        next_cursor: next_cursor(next, "roster", shift_id.to_string())?,
    })
}

/// The caller's sign-ups from a day ago on, soonest first.
pub async fn my_shifts(
    store: &Store,
    caller: &Caller,
    q: &PageQuery,
    now: Timestamp,
) -> Result<Page<MyShift>, ApiError> {
    let limit = parse_limit(nonblank(&q.limit))?;
    let resume = resume_from(nonblank(&q.cursor), "my_shifts", caller.id())?;
    let (items, next) = store
        .my_shifts_between(
            caller.id(),
            now.plus(-DAY),
            far_future(),
            resume,
            limit.get(),
        )
        .await?;
    Ok(Page {
        items: items.into_iter().map(my_shift_view).collect(),
        next_cursor: next_cursor(next, "my_shifts", caller.id().to_string())?,
    })
}

/// One of the volunteer's sign-ups as their own lists show it.
pub(crate) fn my_shift_view(m: crate::store::signups::MyShiftItem) -> MyShift {
    MyShift {
        activity_id: m.activity_id.into(),
        shift_id: m.shift_id,
        title: m.title,
        address: m.address,
        starts_at: ts(m.starts_at),
        ends_at: ts(m.ends_at),
        status: m.status,
        activity_status: m.activity_status,
    }
}
