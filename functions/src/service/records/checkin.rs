//! Check-in and check-out: by the rotating code the organizer shows, by hand, and the
//! scheduled close of records whose volunteer never checked out.

use super::commit::{Actor, Change, Decision, RecordKey, commit, new_record, with_times};
use super::{ts, view, wrong_state};
use crate::auth::Caller;
use crate::config::Config;
use crate::error::ApiError;
use crate::service::activities::{activity_cancelled, load_shift, require_manager};
use crate::store::Store;
use crate::store::activities::{ActivityItem, ShiftItem};
use crate::store::records::RecordItem;
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};
use zhiyuan_shared::geo::{LatLng, distance_m};
use zhiyuan_shared::record::{
    AttendanceRequest, AuditAction, CHECKIN_EARLY_SECONDS, CODE_PERIOD_SECONDS, CheckinAction,
    CheckinCode, CheckinRequest, CheckinResult, RecordStatus, ServiceRecord, parse_code,
    validate_times,
};
use zhiyuan_shared::time::Timestamp;

/// A second scan this soon after checking in repeats the check-in (a double tap, or a
/// retry whose answer was lost) instead of checking out.
pub const REPEAT_SCAN_SECONDS: i64 = 300;
/// Wrong codes a volunteer may enter in [`WRONG_CODE_WINDOW`] seconds before check-in
/// waits: guessing one of a million codes that live a minute is hopeless at this rate.
pub const MAX_WRONG_CODES: u32 = 10;
pub const WRONG_CODE_WINDOW: i64 = 15 * 60;
/// Who the scheduled job records as the author of an automatic change.
const SYSTEM: (&str, &str) = ("system", "system");

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
        code: config.keys.checkin_code(&shift.id(), window)?,
        changes_at: ts(Timestamp::from_unix((window + 1) * CODE_PERIOD_SECONDS)),
        period_seconds: CODE_PERIOD_SECONDS as u32,
    })
}

/// Whether `code` is the shift's code of this window or the one before.
fn code_is_current(config: &Config, shift_id: &str, code: &str, now: Timestamp) -> bool {
    let window = now.unix().div_euclid(CODE_PERIOD_SECONDS);
    [window, window - 1].iter().any(|w| {
        config
            .keys
            .checkin_code(shift_id, *w)
            .is_ok_and(|c| c == code)
    })
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
    if distance_m(at, a.at) > f64::from(radius) {
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
    if now < shift.starts_at.plus(-CHECKIN_EARLY_SECONDS) {
        return Err(ApiError::conflict(
            "too_early",
            "check-in opens an hour before the shift starts",
        ));
    }
    if now > shift.ends_at {
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
                ..with_times(fresh.clone(), Some(now), None, step)
            },
            action: AuditAction::CheckIn,
            reason: None,
            at: at.clone(),
        })),
        Some(r)
            if r.is_open()
                && now.unix() - r.check_in.map_or(0, Timestamp::unix) < REPEAT_SCAN_SECONDS =>
        {
            Ok(Decision::Done(r.clone()))
        }
        Some(r) if r.is_open() => Ok(Decision::Write(Change {
            after: with_times(r.clone(), r.check_in, Some(now.min(r.shift_ends)), step),
            action: AuditAction::CheckOut,
            reason: None,
            at: at.clone(),
        })),
        Some(r) if r.check_in.is_none() => Ok(Decision::Write(Change {
            after: with_times(r.clone(), Some(now), None, step),
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
    let Some(user_id) = crate::ids::UserId::parse(req.user_id.trim()) else {
        return Err(ApiError::invalid("user_id", "is not a volunteer's id"));
    };
    super::refuse_own(caller, &user_id)?;
    let times = validate_times(
        &req.check_in,
        &req.check_out,
        (shift.starts_at.unix(), shift.ends_at.unix()),
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
        require_confirmed_signup(store, &shift, &user_id, "they do").await
    {
        return Err(ApiError::conflict("not_signed_up", message));
    }
    let user = store
        .get_user(&user_id)
        .await?
        .ok_or_else(|| ApiError::invalid("user_id", "is not a volunteer's id"))?;
    let by = Actor::of(caller);
    let fresh = new_record(&a, &shift, &user, &by, now)?;
    let key = RecordKey {
        activity_id: &a.id,
        n: shift.n,
        user_id: &user_id,
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
        let check_in = times.check_in.or(base.check_in);
        let check_out = times.check_out.or(base.check_out);
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
