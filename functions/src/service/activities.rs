//! Activities: publishing by organizers, listings, sign-up that never over-books,
//! cancellation with waitlist promotion, rosters, "my activities", and cancelling a whole
//! activity with notices to everyone signed up.

use super::cursor::{next_cursor, parse_limit, resume_from};
use super::looks_like_id;
use super::notices::{fixed_notice_id, notice};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::notify::NoticeSender;
use crate::service::regions::ensure_known_region;
use crate::store::activities::{
    ActivityItem, CancelWrite, ListFilter, MyShiftItem, SHIFT_HAS_ROOM, SIGNUP_IS_NEW, ShiftInfo,
    ShiftItem, SignupItem, SignupWrite, USER_UNCHANGED, WaitItem,
};
use crate::store::{Store, StoreError, backoff, keys};
use std::collections::HashMap;
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::activity::{
    Activity, ActivityDraft, ActivityStatus, MyShift, PlaceDraft, RosterEntry, Shift, SignupResult,
    SignupStatus, overlaps,
};
use zhiyuan_shared::api::Page;
use zhiyuan_shared::geo::{LatLng, Radius, distance_m};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::OrgStatus;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

pub const ENTITY: &str = "activity";
/// How often a sign-up or cancellation re-reads and tries again after losing a race.
const MAX_ATTEMPTS: u32 = 8;
/// A day in seconds: the longest shift, so any shift overlapping another starts at most
/// this long before it.
const DAY: i64 = 24 * 3600;

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no activity with id {id}"))
}

fn no_shift(id: &str) -> ApiError {
    ApiError::NotFound(format!("no shift with id {id}"))
}

fn ts(unix: i64) -> String {
    Timestamp::from_unix(unix).rfc3339_cst()
}

fn shift_view(info: &ShiftInfo, activity_id: &str, live: Option<&ShiftItem>) -> Shift {
    Shift {
        id: keys::shift_id(activity_id, info.n),
        starts_at: ts(info.starts_at),
        ends_at: ts(info.ends_at),
        capacity: info.capacity,
        taken: live.map_or(0, |l| l.taken),
        waitlist: live.map_or(0, |l| l.waitlisted),
    }
}

fn view(a: ActivityItem, live: &[ShiftItem], distance: Option<f64>) -> Activity {
    let shifts = a
        .shifts
        .iter()
        .map(|info| {
            let l = live.iter().find(|l| l.activity_id == a.id && l.n == info.n);
            shift_view(info, &a.id, l)
        })
        .collect();
    Activity {
        id: a.id,
        org_id: a.org_id,
        org_name: a.org_name,
        title: a.title,
        description: a.description,
        service_field: a.service_field,
        service_targets: a.service_targets,
        station_id: a.station_id,
        station_name: a.station_name,
        address: a.address,
        lat: a.lat,
        lng: a.lng,
        region_code: a.region_code,
        deadline: ts(a.deadline),
        min_age: a.min_age,
        skills: a.skills,
        requirements: a.requirements,
        is_training: a.is_training,
        checkin_radius_m: a.checkin_radius_m,
        status: a.status,
        cancel_reason: a.cancel_reason,
        shifts,
        created_at: a.created_at,
        distance_m: distance.map(f64::round),
    }
}

/// Who may manage an activity: its organisation's organizers and region admins over it.
pub(crate) fn require_manager(caller: &Caller, a: &ActivityItem) -> Result<(), ApiError> {
    let admin = RegionCode::parse(&a.region_code).is_ok_and(|c| caller.administers(&c));
    if caller.organizes(&a.org_id) || admin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may do this",
        ))
    }
}

/// An organizer publishes an activity of their (approved) organisation.
pub async fn create(
    store: &Store,
    caller: &Caller,
    draft: ActivityDraft,
) -> Result<Activity, ApiError> {
    if !looks_like_id(&draft.org_id) {
        return Err(ApiError::invalid("org_id", "is not an organisation id"));
    }
    if !caller.organizes(&draft.org_id) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may publish its activities",
        ));
    }
    let org = store
        .get_org(&draft.org_id)
        .await?
        .ok_or_else(|| ApiError::invalid("org_id", "no such organisation"))?;
    if org.status != OrgStatus::Approved {
        return Err(ApiError::conflict(
            "org_not_approved",
            "the organisation is not approved yet",
        ));
    }
    let (station_id, station_name, address, at, region) = match draft.place {
        PlaceDraft::Station(id) => {
            let st = match looks_like_id(&id) {
                true => store.get_station(&id).await?,
                false => None,
            }
            .ok_or_else(|| ApiError::invalid("station_id", "no such station"))?;
            let at = LatLng::new(st.lat, st.lng).map_err(|e| ApiError::Internal(e.to_string()))?;
            let region = RegionCode::parse(&st.region_code)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            (Some(st.id), Some(st.name), st.address, at, region)
        }
        PlaceDraft::Address {
            address,
            at,
            region_code,
        } => {
            ensure_known_region(store, &region_code).await?;
            (None, None, address, at, region_code)
        }
    };
    let id = ulid::Ulid::new().to_string();
    let shifts: Vec<ShiftInfo> = draft
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| ShiftInfo {
            n: (i + 1) as u8,
            starts_at: s.starts_at.unix(),
            ends_at: s.ends_at.unix(),
            capacity: s.capacity,
        })
        .collect();
    let first_start = shifts.iter().map(|s| s.starts_at).min().unwrap_or_default();
    let until = shifts.iter().map(|s| s.ends_at).max().unwrap_or_default();
    let list_sk = keys::activity_list_sk(until, &id);
    let activity = ActivityItem {
        pk: keys::activity_pk(&id),
        sk: keys::ACTIVITY_SK.into(),
        gsi4pk: keys::activities_of_province(region.province()),
        gsi4sk: list_sk.clone(),
        entity_type: ENTITY.into(),
        id: id.clone(),
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        title: draft.title,
        description: draft.description,
        service_field: draft.service_field,
        service_targets: draft.service_targets,
        station_id: station_id.clone(),
        station_name,
        address,
        lat: at.lat(),
        lng: at.lng(),
        region_code: region.to_string(),
        deadline: draft.deadline.unix(),
        min_age: draft.min_age,
        skills: draft.skills,
        requirements: draft.requirements,
        is_training: draft.is_training,
        checkin_radius_m: draft.checkin_radius_m,
        status: ActivityStatus::Published,
        cancel_reason: None,
        cancelled_at: None,
        shifts: shifts.clone(),
        first_start,
        until,
        created_by: caller.id().to_string(),
        created_at: crate::clock::now_rfc3339(),
    };
    let mut copies = vec![ActivityItem {
        sk: keys::ACTIVITY_BY_ORG_SK.into(),
        gsi4pk: keys::activities_of_org(&org.id),
        entity_type: "activity_listing".into(),
        ..activity.clone()
    }];
    if let Some(sid) = &station_id {
        copies.push(ActivityItem {
            sk: keys::ACTIVITY_BY_STATION_SK.into(),
            gsi4pk: keys::activities_of_station(sid),
            entity_type: "activity_listing".into(),
            ..activity.clone()
        });
    }
    let shift_items: Vec<ShiftItem> = shifts
        .iter()
        .map(|s| {
            let sid = keys::shift_id(&id, s.n);
            ShiftItem {
                pk: keys::activity_pk(&id),
                sk: keys::shift_sk(s.n),
                gsi4pk: Some(keys::reminder_pk(
                    &Timestamp::from_unix(s.starts_at).cst_date().iso(),
                )),
                gsi4sk: Some(keys::reminder_sk(s.starts_at, &sid)),
                entity_type: "shift".into(),
                activity_id: id.clone(),
                n: s.n,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                capacity: s.capacity,
                taken: 0,
                waitlisted: 0,
                status: ActivityStatus::Published,
            }
        })
        .collect();
    store
        .create_activity(&activity, &copies, &shift_items)
        .await?;
    Ok(view(activity, &shift_items, None))
}

async fn load(store: &Store, id: &str) -> Result<ActivityItem, ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    store.get_activity(id).await?.ok_or_else(|| not_found(id))
}

pub async fn get(store: &Store, id: &str) -> Result<Activity, ApiError> {
    let a = load(store, id).await?;
    let live = store.shifts_of(id).await?;
    Ok(view(a, &live, None))
}

/// `GET /api/activities`: upcoming activities (those not yet over), soonest-ending first,
/// of a station, an organisation, or the province narrowed by region, field, dates and
/// distance.
pub async fn list(
    store: &Store,
    raw: &HashMap<String, String>,
    now: Timestamp,
) -> Result<Page<Activity>, ApiError> {
    let get = |k: &str| raw.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let limit = parse_limit(get("limit"))?;
    let time = |field: &'static str| -> Result<Option<Timestamp>, ApiError> {
        get(field)
            .map(|v| Timestamp::parse(v).map_err(|e| ApiError::invalid(field, e)))
            .transpose()
    };
    let from = time("from")?.unwrap_or(now);
    let to = time("to")?;
    let field = get("field")
        .map(|f| {
            ServiceField::from_slug(f)
                .ok_or_else(|| ApiError::invalid("field", "is not a known service field"))
        })
        .transpose()?;
    let region = get("region")
        .map(|r| RegionCode::parse(r).map_err(|e| ApiError::invalid("region", e)))
        .transpose()?;
    let centre = match (get("lat"), get("lng")) {
        (None, None) => None,
        (Some(lat), Some(lng)) => {
            let num = |f: &'static str, v: &str| {
                v.parse::<f64>()
                    .map_err(|_| ApiError::invalid(f, "must be a number"))
            };
            Some(
                LatLng::new(num("lat", lat)?, num("lng", lng)?)
                    .map_err(|e| ApiError::invalid("lat", e))?,
            )
        }
        (Some(_), None) => return Err(ApiError::invalid("lng", "give lng with lat")),
        (None, Some(_)) => return Err(ApiError::invalid("lat", "give lat with lng")),
    };
    let radius = match get("radius_km") {
        None => Radius::from_km(20.0).map_err(|e| ApiError::Internal(e.to_string()))?,
        Some(r) => r
            .parse::<f64>()
            .ok()
            .and_then(|km| Radius::from_km(km).ok())
            .ok_or_else(|| ApiError::invalid("radius_km", "must be a number from 0.1 to 50"))?,
    };
    let (partition, published_only) = match (get("station_id"), get("org_id")) {
        (Some(s), _) => (keys::activities_of_station(s), true),
        // An organisation's own list keeps its cancelled activities visible.
        (None, Some(o)) => (keys::activities_of_org(o), false),
        (None, None) => {
            let province = region.as_ref().map_or("15", |r| r.province()).to_string();
            (keys::activities_of_province(&province), true)
        }
    };
    let bbox = centre.map(|c| {
        let dlat = radius.metres() / 111_320.0;
        let dlng = radius.metres() / (111_320.0 * c.lat().to_radians().cos().max(0.01));
        (
            c.lat() - dlat,
            c.lng() - dlng,
            c.lat() + dlat,
            c.lng() + dlng,
        )
    });
    let filter = ListFilter {
        published_only,
        region_prefix: region.as_ref().map(|r| r.prefix().to_string()),
        field,
        starts_before: to.map(Timestamp::unix),
        bbox,
    }
    .build();
    let mut scope: Vec<(&String, &String)> = raw
        .iter()
        .filter(|(k, _)| *k != "cursor" && *k != "limit")
        .collect();
    scope.sort();
    let scope = format!("{scope:?}|{}", from.unix());
    let resume = resume_from(get("cursor"), "activities", &scope)?;
    let (items, next) = store
        .activities_page(partition, from.unix(), filter, resume, limit.get())
        .await?;
    let refs: Vec<&ActivityItem> = items.iter().collect();
    let live = store.shift_counts(&refs).await?;
    let items = items
        .into_iter()
        .filter_map(|a| {
            let d = centre.and_then(|c| LatLng::new(a.lat, a.lng).ok().map(|p| distance_m(c, p)));
            // The box is a little larger than the circle.
            (d.is_none_or(|d| d <= radius.metres())).then(|| view(a, &live, d))
        })
        .collect();
    Ok(Page {
        items,
        next_cursor: next_cursor(next, "activities", scope)?,
    })
}

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

pub(crate) async fn load_shift(
    store: &Store,
    shift_id: &str,
) -> Result<(ActivityItem, ShiftItem), ApiError> {
    let (aid, n) = keys::parse_shift_id(shift_id).ok_or_else(|| no_shift(shift_id))?;
    let (a, s) = tokio::join!(store.get_activity(aid), store.get_shift(aid, n));
    match (a?, s?) {
        (Some(a), Some(s)) => Ok((a, s)),
        _ => Err(no_shift(shift_id)),
    }
}

pub(crate) fn activity_cancelled() -> ApiError {
    ApiError::conflict("activity_cancelled", "the activity has been cancelled")
}

fn already_signed_up() -> ApiError {
    ApiError::conflict(
        "already_signed_up",
        "you are already signed up for this shift",
    )
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
            activity_id: a.id.clone(),
            shift_id: shift.id(),
            status: s.status,
        }),
        _ => Err(already_signed_up()),
    }
}

/// Signs the caller up for a shift: confirmed while places last, waitlisted after. Every
/// rule is checked before the write; the write itself re-checks the places and that the
/// caller has signed up for nothing since, so no race can over-book or double-book.
pub async fn sign_up(
    store: &Store,
    caller: &Caller,
    shift_id: &str,
    token: &str,
    now: Timestamp,
) -> Result<SignupResult, ApiError> {
    let volunteer = caller.volunteer()?;
    let (a, mut shift) = load_shift(store, shift_id).await?;
    if a.status == ActivityStatus::Cancelled || shift.status == ActivityStatus::Cancelled {
        return Err(activity_cancelled());
    }
    if now.unix() >= shift.starts_at {
        return Err(ApiError::conflict(
            "shift_started",
            "this shift has already started",
        ));
    }
    if now.unix() > a.deadline {
        return Err(ApiError::conflict(
            "deadline_passed",
            "the recruitment deadline has passed",
        ));
    }
    if a.min_age > 0 {
        let born = zhiyuan_shared::identity::Date::parse_iso(&volunteer.birth_date)
            .ok_or_else(|| ApiError::Internal("stored birth date unreadable".into()))?;
        let age = born.years_until(Timestamp::from_unix(shift.starts_at).cst_date());
        if age < u16::from(a.min_age) {
            return Err(ApiError::Unprocessable {
                code: "below_min_age",
                message: format!("this activity needs volunteers aged {} or over", a.min_age),
            });
        }
    }
    let me = caller.id();
    let mut seq = caller.user.signup_seq;
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
            let (s, u) = tokio::join!(store.get_shift(&a.id, shift.n), store.get_user(me));
            shift = s?.ok_or_else(|| no_shift(shift_id))?;
            seq = u?.map_or(seq, |u| u.signup_seq);
            if shift.status == ActivityStatus::Cancelled {
                return Err(activity_cancelled());
            }
        }
        let (mine, _) = store
            .my_shifts_between(me, shift.starts_at - DAY, shift.ends_at, None, 100)
            .await?;
        if mine.iter().any(|m| m.shift_id == shift_id) {
            return replay(store, &a, &shift, me, token).await;
        }
        if mine.iter().any(|m| {
            m.activity_status == ActivityStatus::Published
                && overlaps(
                    (
                        Timestamp::from_unix(m.starts_at),
                        Timestamp::from_unix(m.ends_at),
                    ),
                    (
                        Timestamp::from_unix(shift.starts_at),
                        Timestamp::from_unix(shift.ends_at),
                    ),
                )
        }) {
            return Err(ApiError::conflict(
                "overlapping_shift",
                "you are signed up for another shift at this time",
            ));
        }
        let status = if shift.taken < shift.capacity {
            SignupStatus::Confirmed
        } else {
            SignupStatus::Waitlisted
        };
        let wait = (status == SignupStatus::Waitlisted).then(|| WaitItem {
            pk: shift.pk.clone(),
            sk: keys::wait_sk(shift.n, &ulid::Ulid::new().to_string()),
            entity_type: "wait".into(),
            user_id: me.to_string(),
        });
        let signup = SignupItem {
            pk: shift.pk.clone(),
            sk: keys::signup_sk(shift.n, me),
            entity_type: "signup".into(),
            activity_id: a.id.clone(),
            n: shift.n,
            user_id: me.to_string(),
            real_name: volunteer.real_name.clone(),
            volunteer_no: volunteer.volunteer_no.clone(),
            status,
            signed_up_at: crate::clock::now_rfc3339(),
            client_token: token.to_string(),
            wait_sk: wait.as_ref().map(|w| w.sk.clone()),
        };
        let mine = my_shift(&a, &shift, me, status);
        let result = store
            .sign_up(SignupWrite {
                shift: &shift,
                signup: &signup,
                mine: &mine,
                wait: wait.as_ref(),
                user_seq_seen: seq,
            })
            .await;
        match result {
            Ok(()) => {
                return Ok(SignupResult {
                    activity_id: a.id.clone(),
                    shift_id: shift_id.to_string(),
                    status,
                });
            }
            Err(StoreError::ConditionFailedAt(SIGNUP_IS_NEW)) => {
                return replay(store, &a, &shift, me, token).await;
            }
            // The shift filled or freed, another of the caller's sign-ups committed, the
            // transaction lost a race, or its answer was lost: read again and retry.
            Err(
                StoreError::ConditionFailedAt(SHIFT_HAS_ROOM | USER_UNCHANGED)
                | StoreError::TransactionConflict
                | StoreError::Throttled
                | StoreError::Unavailable(_),
            ) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::Busy)
}

fn my_shift(
    a: &ActivityItem,
    shift: &ShiftItem,
    user_id: &str,
    status: SignupStatus,
) -> MyShiftItem {
    let sid = shift.id();
    MyShiftItem {
        pk: keys::user_pk(user_id),
        sk: keys::my_shift_sk(shift.starts_at, &sid),
        entity_type: "my_shift".into(),
        activity_id: a.id.clone(),
        shift_id: sid,
        title: a.title.clone(),
        address: a.address.clone(),
        starts_at: shift.starts_at,
        ends_at: shift.ends_at,
        status,
        activity_status: a.status,
    }
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
    if now.unix() >= shift.starts_at {
        return Err(ApiError::conflict(
            "shift_started",
            "this shift has already started",
        ));
    }
    let me = caller.id();
    let mine_sk = keys::my_shift_sk(shift.starts_at, shift_id);
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
        let promoted_mine;
        let notice_item;
        let how = match signup.status {
            SignupStatus::Waitlisted => CancelWrite::LeaveWaitlist {
                wait_sk: signup.wait_sk.clone().unwrap_or_default(),
            },
            SignupStatus::Confirmed => match store.first_waiting(&a.id, shift.n).await? {
                None => CancelWrite::FreePlace,
                Some(w) => {
                    promoted = w;
                    promoted_mine =
                        my_shift(&a, &shift, &promoted.user_id, SignupStatus::Confirmed);
                    notice_item = notice(
                        &promoted.user_id,
                        &ulid::Ulid::new().to_string(),
                        NoticeKind::Promoted,
                        &a.title,
                        format!("/activities/{}", a.id),
                        Some(ts(shift.starts_at)),
                        None,
                    );
                    CancelWrite::Promote {
                        wait: &promoted,
                        promoted_signup_sk: keys::signup_sk(shift.n, &promoted.user_id),
                        promoted_mine: &promoted_mine,
                        notice: &notice_item,
                    }
                }
            },
        };
        let sent = match &how {
            CancelWrite::Promote { notice, .. } => Some((*notice).clone()),
            _ => None,
        };
        match store.cancel_signup(&shift, &signup, &mine_sk, how).await {
            Ok(()) => {
                if let Some(n) = sent {
                    sender.send(&[n]);
                }
                return Ok(());
            }
            Err(StoreError::Unavailable(_) | StoreError::Throttled) => ambiguous = true,
            Err(StoreError::ConditionFailedAt(_) | StoreError::TransactionConflict) => {}
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
    raw: &HashMap<String, String>,
) -> Result<Page<RosterEntry>, ApiError> {
    let (a, shift) = load_shift(store, shift_id).await?;
    require_manager(caller, &a)?;
    let get = |k: &str| raw.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let limit = parse_limit(get("limit"))?;
    let resume = resume_from(get("cursor"), "roster", shift_id)?;
    let (items, next) = store
        .signups_page(&a.id, Some(shift.n), resume, limit.get())
        .await?;
    Ok(Page {
        items: items
            .into_iter()
            .map(|s| RosterEntry {
                user_id: s.user_id,
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
    raw: &HashMap<String, String>,
    now: Timestamp,
) -> Result<Page<MyShift>, ApiError> {
    let get = |k: &str| raw.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let limit = parse_limit(get("limit"))?;
    let resume = resume_from(get("cursor"), "my_shifts", caller.id())?;
    let from = now.unix() - DAY;
    let (items, next) = store
        .my_shifts_between(caller.id(), from, 99_999_999_999, resume, limit.get())
        .await?;
    Ok(Page {
        items: items
            .into_iter()
            .map(|m| MyShift {
                activity_id: m.activity_id,
                shift_id: m.shift_id,
                title: m.title,
                address: m.address,
                starts_at: ts(m.starts_at),
                ends_at: ts(m.ends_at),
                status: m.status,
                activity_status: m.activity_status,
            })
            .collect(),
        next_cursor: next_cursor(next, "my_shifts", caller.id().to_string())?,
    })
}

/// Cancels an activity: no sign-up commits after it, and everyone signed up gets a notice.
/// Cancelling again re-sends what a crash may have left unsent (notices have fixed ids, so
/// nobody gets one twice).
pub async fn cancel_activity(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    reason: String,
) -> Result<Activity, ApiError> {
    let mut a = load(store, id).await?;
    require_manager(caller, &a)?;
    if a.status == ActivityStatus::Published {
        let at_ms = crate::clock::now_unix() * 1000;
        let mut copies = vec![(a.pk.clone(), keys::ACTIVITY_BY_ORG_SK.to_string())];
        if a.station_id.is_some() {
            copies.push((a.pk.clone(), keys::ACTIVITY_BY_STATION_SK.to_string()));
        }
        match store.cancel_activity(&a, &copies, &reason, at_ms).await {
            Ok(()) => {
                a.status = ActivityStatus::Cancelled;
                a.cancel_reason = Some(reason);
                a.cancelled_at = Some(at_ms);
            }
            // Cancelled meanwhile by someone else: carry on with the stored state.
            Err(StoreError::ConditionFailedAt(0)) => a = load(store, id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    notify_cancellation(store, sender, &a).await?;
    let live = store.shifts_of(id).await?;
    Ok(view(a, &live, None))
}

async fn notify_cancellation(
    store: &Store,
    sender: NoticeSender,
    a: &ActivityItem,
) -> Result<(), ApiError> {
    let at_ms = a.cancelled_at.unwrap_or_default().max(0) as u64;
    let mut resume = None;
    loop {
        let (page, next) = store.signups_page(&a.id, None, resume, 100).await?;
        let mut notices = Vec::with_capacity(page.len());
        let mut mirrors = Vec::with_capacity(page.len());
        for s in &page {
            let Some(info) = a.shifts.iter().find(|i| i.n == s.n) else {
                continue;
            };
            let shift = ShiftItem {
                pk: a.pk.clone(),
                sk: keys::shift_sk(info.n),
                gsi4pk: None,
                gsi4sk: None,
                entity_type: "shift".into(),
                activity_id: a.id.clone(),
                n: info.n,
                starts_at: info.starts_at,
                ends_at: info.ends_at,
                capacity: info.capacity,
                taken: 0,
                waitlisted: 0,
                status: a.status,
            };
            mirrors.push(my_shift(a, &shift, &s.user_id, s.status));
            notices.push(notice(
                &s.user_id,
                &fixed_notice_id(at_ms, &format!("cancel:{}:{}:{}", a.id, s.n, s.user_id)),
                NoticeKind::ActivityCancelled,
                &a.title,
                format!("/activities/{}", a.id),
                Some(ts(info.starts_at)),
                a.cancel_reason.clone(),
            ));
        }
        store.put_all(&mirrors).await?;
        store.put_all(&notices).await?;
        sender.send(&notices);
        match next {
            Some(n) => resume = Some(n),
            None => return Ok(()),
        }
    }
}
