//! Needs and matching (供需对接, SPEC §8): post, list near a point or in a region, claim
//! for an organisation, link to the activity made of it, mark done. Each change is one
//! transaction with the statistics it moves, on the version it was decided from.

use super::cursor::{next_cursor, parse_limit, resume_from};
use super::looks_like_id;
use super::notices::{deliver, notice};
use super::regions::ensure_known_region;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::ActivityId;
use crate::notify::NoticeSender;
use crate::store::needs::{DispatchEntry, NeedItem, NeedRefused};
use crate::store::stats::{Counter, CounterAdd};
use crate::store::{ResumeKey, Store, StoreError, TxError};
use zhiyuan_shared::api::Page;
use zhiyuan_shared::geo::{self, LatLng, Radius, STORED_PRECISION, distance_m};
use zhiyuan_shared::need::{Dispatch, Need, NeedInput, NeedPlace, NeedStatus};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::OrgStatus;
use zhiyuan_shared::query::{NeedsQuery, PageQuery};
use zhiyuan_shared::record::mask_name;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

pub(super) fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no need with id {id}"))
}

/// Whether `caller` may see where exactly a need is and who asked: its poster, the
/// organizers of the organisation that claimed it (or that it is dispatched to, while it
/// awaits their answer), and region admins over its region (a city admin over its banners
/// too).
fn sees_exact_place(n: &NeedItem, caller: Option<&Caller>) -> bool {
    caller.is_some_and(|c| {
        c.id() == &n.posted_by
            || n.claimed_by_org_id
                .as_deref()
                .is_some_and(|o| c.organizes(o))
            || n.awaiting().is_some_and(|d| c.organizes(&d.org_id))
            || c.administers(&n.region_code)
    })
}

fn dispatch_view(d: &DispatchEntry) -> Dispatch {
    Dispatch {
        org_id: d.org_id.to_string(),
        org_name: d.org_name.clone(),
        dispatched_by: d.by_name.clone(),
        dispatched_at: d.at.clone(),
        answer_by: d.answer_by.clone(),
        outcome: d.outcome,
        answered_at: d.answered_at.clone(),
        reason: d.reason.clone(),
    }
}

/// The one way a need is shown: the area for everyone, the exact place only for those
/// [`sees_exact_place`] admits. Every route builds its answer here, so none can leak the
/// place by forgetting a field.
pub(crate) fn view(n: &NeedItem, caller: Option<&Caller>, from: Option<LatLng>) -> Need {
    let area = geo::coarse_cell(n.at);
    let sees = sees_exact_place(n, caller);
    let place = sees.then(|| NeedPlace {
        address: n.address.clone(),
        lat: n.at.lat(),
        lng: n.at.lng(),
        posted_by: n.poster_name.clone(),
    });
    Need {
        id: n.id.to_string(),
        title: n.title.clone(),
        description: n.description.clone(),
        service_target: n.service_target,
        region_code: n.region_code.to_string(),
        lat: area.lat(),
        lng: area.lng(),
        when: n.when.clone(),
        status: n.status,
        posted_at: n.posted_at.clone(),
        claimed_by_org_id: n.claimed_by_org_id.clone().map(String::from),
        claimed_by_org_name: n.claimed_by_org_name.clone(),
        claimed_at: n.claimed_at.clone(),
        activity_id: n.activity_id.clone().map(String::from),
        done_at: n.done_at.clone(),
        mine: caller.is_some_and(|c| c.id() == &n.posted_by),
        distance_m: from.map(|p| distance_m(p, area).round()),
        place,
        dispatch: n.awaiting().map(dispatch_view),
        // Who declined and why is for those who see the need exactly.
        dispatches: if sees {
            n.dispatches.iter().map(dispatch_view).collect()
        } else {
            Vec::new()
        },
    }
}

/// The statistics counter a need of a status is counted in.
fn counted_as(status: NeedStatus) -> Option<Counter> {
    match status {
        // A dispatched need is still waiting for someone to serve it.
        NeedStatus::Open | NeedStatus::Dispatched => Some(Counter::NeedsOpen),
        NeedStatus::Claimed => Some(Counter::NeedsClaimed),
        NeedStatus::Done => Some(Counter::NeedsDone),
        // A withdrawn need leaves the open count and joins no other.
        NeedStatus::Withdrawn => None,
    }
}

fn counter(n: &NeedItem, status: NeedStatus, by: i64) -> Option<CounterAdd> {
    let c = counted_as(status)?;
    Some(CounterAdd::in_year(
        n.region_code.as_str(),
        &n.id,
        super::stats::year_of(n.posted_unix),
        c,
        by,
    ))
}

/// Anyone signed in posts a need (a resident needs only a phone account).
pub async fn post(
    store: &Store,
    caller: &Caller,
    input: &NeedInput,
    now: Timestamp,
) -> Result<Need, ApiError> {
    let d = input.validate()?;
    ensure_known_region(store, &d.region_code).await?;
    let id = crate::ids::NeedId::generate();
    let poster = caller
        .user
        .volunteer
        .as_ref()
        .map_or(caller.user.display_name.as_str(), |v| v.real_name.as_str());
    let item = NeedItem {
        id: id.clone(),
        title: d.title,
        description: d.description,
        service_target: d.service_target,
        address: d.address,
        at: d.at,
        // The geo index holds the cell, not the place: a near list is decided by the cell.
        geohash: geo::geohash(geo::coarse_cell(d.at), STORED_PRECISION),
        region_code: d.region_code,
        when: d.when,
        status: NeedStatus::Open,
        posted_by: caller.id().clone(),
        poster_name: mask_name(poster),
        posted_at: now.rfc3339_cst(),
        posted_unix: now.unix(),
        claimed_by_org_id: None,
        claimed_by_org_name: None,
        claimed_at: None,
        activity_id: None,
        done_at: None,
        dispatches: Vec::new(),
        version: 1,
    };
    store
        .post_need(&item, &Vec::from_iter(counter(&item, NeedStatus::Open, 1)))
        .await?;
    Ok(view(&item, Some(caller), None))
}

pub async fn get(store: &Store, caller: Option<&Caller>, id: &str) -> Result<Need, ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    let n = store
        .get_need(id)
        .await?
        // A withdrawn need is no one's business but of those who saw it exactly.
        .filter(|n| n.status != NeedStatus::Withdrawn || sees_exact_place(n, caller))
        .ok_or_else(|| not_found(id))?;
    Ok(view(&n, caller, None))
}

fn status_param(raw: Option<&str>) -> Result<NeedStatus, ApiError> {
    match raw {
        None => Ok(NeedStatus::Open),
        // Withdrawn needs are listed to their poster only (`GET /api/me/needs`).
        Some(s) => NeedStatus::from_slug(s.trim())
            .filter(|s| *s != NeedStatus::Withdrawn)
            .ok_or_else(|| {
                ApiError::invalid("status", "must be open, dispatched, claimed or done")
            }),
    }
}

fn number(raw: Option<&str>, key: &'static str) -> Result<Option<f64>, ApiError> {
    raw.map(|v| {
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| ApiError::invalid(key, "must be a number"))
    })
    .transpose()
}

/// `GET /api/needs`: with `lat` and `lng`, the nearest first within `radius_km`; otherwise a
/// region's (`region`, required), oldest first. Both paged with cursors to the end.
pub async fn list(
    store: &Store,
    caller: Option<&Caller>,
    q: &NeedsQuery,
) -> Result<Page<Need>, ApiError> {
    let status = status_param(q.status.as_deref())?;
    let limit = parse_limit(q.limit.as_deref())?.get();
    match (
        number(q.lat.as_deref(), "lat")?,
        number(q.lng.as_deref(), "lng")?,
    ) {
        (Some(lat), Some(lng)) => {
            let point =
                LatLng::new(lat, lng).map_err(|e| ApiError::invalid("lat", e.to_string()))?;
            let radius = match number(q.radius_km.as_deref(), "radius_km")? {
                None => Radius::from_km(Radius::DEFAULT_KM),
                Some(km) => Radius::from_km(km),
            }
            .map_err(|e| ApiError::invalid("radius_km", e.to_string()))?;
            let scope = format!("{lat},{lng},{}/{}", radius.metres(), status.slug());
            let resume = resume_from(q.cursor.as_deref(), "needs_near", &scope)?;
            let after = resume.map(|k| near_position(&k)).transpose()?;
            let (items, more) = near(store, point, radius, status, after, limit).await?;
            let next = match (more, items.last()) {
                (true, Some((d, n))) => Some(ResumeKey::from([
                    (NEAR_DISTANCE.to_string(), d.to_string()),
                    (NEAR_ID.to_string(), n.id.to_string()),
                ])),
                _ => None,
            };
            Ok(Page {
                items: items
                    .iter()
                    .map(|(_, n)| view(n, caller, Some(point)))
                    .collect(),
                next_cursor: next_cursor(next, "needs_near", scope)?,
            })
        }
        (None, None) => {
            let region = q
                .region
                .as_deref()
                .ok_or_else(|| ApiError::invalid("region", "give a region, or lat and lng"))
                .and_then(|r| {
                    RegionCode::parse(r).map_err(|e| ApiError::invalid("region", e.to_string()))
                })?;
            let scope = format!("{region}/{}", status.slug());
            let resume = resume_from(q.cursor.as_deref(), "needs", &scope)?;
            let (items, next) = store
                .needs_in_region_page(region.province(), status, region.prefix(), resume, limit)
                .await?;
            Ok(Page {
                items: items.iter().map(|n| view(n, caller, None)).collect(),
                next_cursor: next_cursor(next, "needs", scope)?,
            })
        }
        (None, Some(_)) => Err(ApiError::invalid("lat", "give lat with lng")),
        (Some(_), None) => Err(ApiError::invalid("lng", "give lng with lat")),
    }
}

/// The farthest a need's exact place lies from its cell's centre (half a cell's diagonal
/// is ≈ 0.66 km), rounded up.
const COARSE_REACH_M: f64 = 1000.0;

/// A "near" cursor's keys: the last need's distance (whole millimetres) and id.
const NEAR_DISTANCE: &str = "d";
const NEAR_ID: &str = "id";

fn near_position(k: &ResumeKey) -> Result<(u64, String), ApiError> {
    let bad = || ApiError::invalid("cursor", "is not a cursor this list returned");
    let d = k
        .get(NEAR_DISTANCE)
        .and_then(|d| d.parse().ok())
        .ok_or_else(bad)?;
    let id = k
        .get(NEAR_ID)
        .filter(|id| looks_like_id(id))
        .ok_or_else(bad)?;
    Ok((d, id.clone()))
}

/// The needs whose coarse cell centre is within `radius` of `point`, nearest first (ties
/// by id), after `after` (a distance in millimetres and an id): at most `limit`, and
/// whether more follow. Only the cell decides, never the exact place: which needs are
/// listed, their order and their distance say nothing finer than the ≈ 1 km grid. Reads
/// the geohash cells covering the circle widened by a cell's reach (needs indexed before
/// the index held the cell sit at their exact point), never a province.
async fn near(
    store: &Store,
    point: LatLng,
    radius: Radius,
    status: NeedStatus,
    after: Option<(u64, String)>,
    limit: usize,
) -> Result<(Vec<(u64, NeedItem)>, bool), ApiError> {
    let reach = Radius::clamped_metres(radius.metres() + COARSE_REACH_M);
    let covering = geo::covering_with_at_most(
        point,
        reach,
        crate::store::needs::MIN_CELL_PRECISION,
        geo::MAX_COVERING_CELLS,
    );
    let mut tasks = tokio::task::JoinSet::new();
    for cell in covering.cells {
        let store = store.clone();
        tasks.spawn(async move { store.needs_in_cell(&cell, status).await });
    }
    let mut items = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        items.extend(joined.map_err(|e| ApiError::Internal(e.to_string()))??);
    }
    let mut found: Vec<(u64, NeedItem)> = items
        .into_iter()
        .filter_map(|n| {
            let d = distance_m(point, geo::coarse_cell(n.at));
            (d <= radius.metres()).then_some(((d * 1000.0).round() as u64, n))
        })
        .filter(|(d, n)| {
            after
                .as_ref()
                .is_none_or(|(ad, aid)| (*d, n.id.as_str()) > (*ad, aid.as_str()))
        })
        .collect();
    found.sort_by(|a, b| (a.0, a.1.id.as_str()).cmp(&(b.0, b.1.id.as_str())));
    let more = found.len() > limit;
    found.truncate(limit);
    Ok((found, more))
}

/// The needs the caller posted, newest first.
pub async fn mine(store: &Store, caller: &Caller, q: &PageQuery) -> Result<Page<Need>, ApiError> {
    let limit = parse_limit(q.limit.as_deref())?.get();
    let resume = resume_from(q.cursor.as_deref(), "my_needs", caller.id())?;
    let (items, next) = store.my_needs(caller.id(), resume, limit).await?;
    Ok(Page {
        items: items.iter().map(|n| view(n, Some(caller), None)).collect(),
        next_cursor: next_cursor(next, "my_needs", caller.id().to_string())?,
    })
}

/// Reads the need, decides its next state, writes it on the version read; a lost race
/// decides again from what won.
pub(super) async fn change(
    store: &Store,
    id: &str,
    decide: impl Fn(&NeedItem) -> Result<Option<NeedItem>, ApiError>,
) -> Result<(NeedItem, bool), ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    for attempt in 0..super::MAX_ATTEMPTS {
        let before = store.get_need(id).await?.ok_or_else(|| not_found(id))?;
        let Some(mut after) = decide(&before)? else {
            return Ok((before, false));
        };
        after.version = before.version + 1;
        let mut adds = Vec::new();
        if counted_as(after.status) != counted_as(before.status) {
            adds.extend(counter(&before, before.status, -1));
            adds.extend(counter(&after, after.status, 1));
        }
        match store.update_need(&after, before.version, &adds).await {
            Ok(()) => return Ok((after, true)),
            Err(
                TxError::Refused(NeedRefused::Changed)
                | TxError::Store(StoreError::TransactionConflict | StoreError::Throttled),
            ) => crate::store::backoff(attempt).await,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Busy)
}

/// An organizer takes the need on for one of their approved organisations. Claiming it
/// again for the same organisation answers the same; another organisation gets 409.
pub async fn claim(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    org_id: &str,
    now: Timestamp,
) -> Result<Need, ApiError> {
    let org_id = org_id.trim();
    if org_id.is_empty() {
        return Err(ApiError::invalid("org_id", "choose the organisation"));
    }
    if !caller.organizes(org_id) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only an organizer of the organisation may claim for it",
        ));
    }
    let org = store
        .get_org(org_id)
        .await?
        .filter(|o| o.status == OrgStatus::Approved)
        .ok_or_else(|| {
            ApiError::conflict(
                "org_not_approved",
                "the organisation must be approved first",
            )
        })?;
    let (after, changed) = change(store, id, |n| match n.status {
        NeedStatus::Open => Ok(Some(NeedItem {
            status: NeedStatus::Claimed,
            claimed_by_org_id: Some(org.id.clone()),
            claimed_by_org_name: Some(org.name.clone()),
            claimed_at: Some(now.rfc3339_cst()),
            ..n.clone()
        })),
        NeedStatus::Claimed if n.claimed_by_org_id.as_deref() == Some(org.id.as_str()) => Ok(None),
        NeedStatus::Withdrawn => Err(withdrawn()),
        NeedStatus::Dispatched => Err(ApiError::conflict(
            "already_dispatched",
            "the need is dispatched to an organisation, which answers first",
        )),
        _ => Err(ApiError::conflict(
            "already_claimed",
            "another organisation has taken this need on",
        )),
    })
    .await?;
    if changed {
        tell_poster(store, sender, &after, NoticeKind::NeedClaimed).await;
    }
    Ok(view(&after, Some(caller), None))
}

pub(super) fn withdrawn() -> ApiError {
    ApiError::conflict("need_withdrawn", "the poster has withdrawn this need")
}

/// The poster withdraws their need while it is open (again: the same answer). It is one
/// conditional write on the version read, like a claim, so when both race exactly one
/// wins and the other is decided again from what won (and refused).
pub async fn withdraw(store: &Store, caller: &Caller, id: &str) -> Result<Need, ApiError> {
    let (after, _) = change(store, id, |n| {
        if caller.id() != &n.posted_by {
            // A withdrawn need is hidden from others (as `get` hides it).
            if n.status == NeedStatus::Withdrawn && !sees_exact_place(n, Some(caller)) {
                return Err(not_found(id));
            }
            return Err(ApiError::forbidden(
                "not_poster",
                "only the poster may withdraw a need",
            ));
        }
        match n.status {
            NeedStatus::Open => Ok(Some(NeedItem {
                status: NeedStatus::Withdrawn,
                ..n.clone()
            })),
            NeedStatus::Withdrawn => Ok(None),
            NeedStatus::Dispatched => Err(ApiError::conflict(
                "wrong_state",
                "the need is dispatched to an organisation awaiting its answer: only an open need can be withdrawn",
            )),
            _ => Err(ApiError::conflict(
                "wrong_state",
                "an organisation has taken this need on: only an open need can be withdrawn",
            )),
        }
    })
    .await?;
    Ok(view(&after, Some(caller), None))
}

/// The claiming organisation marks the need done (again: the same answer).
pub async fn complete(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    now: Timestamp,
) -> Result<Need, ApiError> {
    let (after, changed) = change(store, id, |n| {
        let claimer = n.claimed_by_org_id.as_deref().unwrap_or_default();
        if n.status == NeedStatus::Withdrawn {
            return Err(withdrawn());
        }
        if matches!(n.status, NeedStatus::Open | NeedStatus::Dispatched) {
            return Err(ApiError::conflict(
                "wrong_state",
                "an organisation must claim or accept the need first",
            ));
        }
        if !caller.organizes(claimer) {
            return Err(ApiError::forbidden(
                "forbidden",
                "only the organisation that claimed the need may mark it done",
            ));
        }
        Ok((n.status == NeedStatus::Claimed).then(|| NeedItem {
            status: NeedStatus::Done,
            done_at: Some(now.rfc3339_cst()),
            ..n.clone()
        }))
    })
    .await?;
    if changed {
        tell_poster(store, sender, &after, NoticeKind::NeedDone).await;
    }
    Ok(view(&after, Some(caller), None))
}

/// Checks that `org_id` claimed the need and it is not done: before an activity is made
/// of it, so a refused need creates no activity.
pub async fn claimed_by(store: &Store, id: &str, org_id: &str) -> Result<NeedItem, ApiError> {
    let bad = || {
        ApiError::conflict(
            "need_not_claimed",
            "the activity's organisation must claim the need first",
        )
    };
    if !looks_like_id(id) {
        return Err(ApiError::invalid("need_id", "is not a need"));
    }
    let n = store
        .get_need(id)
        .await?
        .ok_or_else(|| ApiError::invalid("need_id", "is not a need"))?;
    if n.status != NeedStatus::Claimed || n.claimed_by_org_id.as_deref() != Some(org_id) {
        return Err(bad());
    }
    Ok(n)
}

/// Records the activity made of a claimed need, so the resident can follow it.
pub async fn link_activity(
    store: &Store,
    id: &str,
    activity_id: &ActivityId,
) -> Result<(), ApiError> {
    change(store, id, |n| {
        Ok(
            (n.activity_id.as_ref() != Some(activity_id)).then(|| NeedItem {
                activity_id: Some(activity_id.clone()),
                ..n.clone()
            }),
        )
    })
    .await
    .map(|_| ())
}

pub(super) async fn tell_poster(
    store: &Store,
    sender: NoticeSender,
    n: &NeedItem,
    kind: NoticeKind,
) {
    let item = notice(
        &n.posted_by,
        // Sent only by the write that changed the need, so retries send no second one.
        crate::ids::NoticeId::generate(),
        kind,
        &n.title,
        format!("/needs/{}", n.id),
        None,
        n.claimed_by_org_name.clone(),
    );
    deliver(store, sender, &[item]).await;
}
