//! Dispatch (派单 → 接单, SPEC §16): a region admin or a station manager over a need sends
//! it to a named approved organisation with a deadline to answer; the organisation's
//! organizers accept (the need is claimed by it) or decline with a reason; a declined or
//! unanswered need returns to the open queue. Every step is one conditional write on the
//! need's version (see `needs::change`), so of a dispatch and a claim, an accept, a decline
//! and the deadline job, or a withdrawal and a dispatch, exactly one wins and the others
//! are decided again from what won. The need keeps every dispatch in its item.

use super::activities::require_org_covers;
use super::cursor::{next_cursor, parse_limit, resume_from};
use super::looks_like_id;
use super::needs::{change, not_found, view, withdrawn};
use super::notices::{deliver, notice};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::NoticeId;
use crate::notify::NoticeSender;
use crate::store::Store;
use crate::store::needs::{DispatchEntry, NeedItem};
use crate::store::orgs::OrgItem;
use zhiyuan_shared::api::Page;
use zhiyuan_shared::need::{
    DeclineRequest, DispatchOutcome, DispatchRequest, MAX_DISPATCHES, Need, NeedStatus,
};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::OrgStatus;
use zhiyuan_shared::query::PageQuery;
use zhiyuan_shared::record::mask_name;
use zhiyuan_shared::station::StationStatus;
use zhiyuan_shared::time::Timestamp;

/// Region admins over the need's region (a city admin over its banners) and the managers
/// of an approved station whose region holds the need.
async fn require_dispatcher(store: &Store, caller: &Caller, n: &NeedItem) -> Result<(), ApiError> {
    if caller.administers(&n.region_code) {
        return Ok(());
    }
    for station_id in caller.managed_stations() {
        let here = store.get_station(station_id).await?.is_some_and(|s| {
            s.status == StationStatus::Approved && s.region_code.covers(&n.region_code)
        });
        if here {
            return Ok(());
        }
    }
    Err(ApiError::forbidden(
        "forbidden",
        "only a region admin or a station manager over the need's region may dispatch it",
    ))
}

/// The organisation a need may be dispatched to: approved, and working where the need is.
async fn dispatchable_org(store: &Store, org_id: &str, n: &NeedItem) -> Result<OrgItem, ApiError> {
    let org = store
        .get_org(org_id)
        .await?
        .filter(|o| o.status == OrgStatus::Approved)
        .ok_or_else(|| ApiError::invalid("org_id", "is not an approved organisation"))?;
    // The same rule as publishing: an organisation serves only within its own region.
    require_org_covers(&org.region_code, &n.region_code, false).map_err(|_| {
        ApiError::invalid(
            "org_id",
            "the organisation's region does not cover the need's",
        )
    })?;
    Ok(org)
}

fn caller_name(caller: &Caller) -> String {
    mask_name(
        caller
            .user
            .volunteer
            .as_ref()
            .map_or(caller.user.display_name.as_str(), |v| v.real_name.as_str()),
    )
}

/// `POST /api/needs/{id}/dispatch`: an open need goes to the organisation, which must
/// answer by `answer_by`. Dispatching it again to the same organisation with the same
/// deadline answers the same.
pub async fn dispatch(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    req: &DispatchRequest,
    now: Timestamp,
) -> Result<Need, ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    let answer_by = req.validate(now)?;
    let seen = store.get_need(id).await?.ok_or_else(|| not_found(id))?;
    // The region never changes, so who may dispatch is decided once.
    require_dispatcher(store, caller, &seen).await?;
    let org = dispatchable_org(store, req.org_id.trim(), &seen).await?;
    let entry = DispatchEntry {
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        by: caller.id().clone(),
        by_name: caller_name(caller),
        at: now.rfc3339_cst(),
        answer_by: answer_by.rfc3339_cst(),
        answer_by_unix: answer_by.unix(),
        outcome: None,
        answered_at: None,
        reason: None,
    };
    let (after, changed) = change(store, id, |n| match n.status {
        NeedStatus::Open if n.dispatches.len() >= MAX_DISPATCHES => Err(ApiError::conflict(
            "too_many_dispatches",
            format!("a need is dispatched at most {MAX_DISPATCHES} times"),
        )),
        NeedStatus::Open => {
            let mut next = n.clone();
            next.status = NeedStatus::Dispatched;
            next.dispatches.push(entry.clone());
            Ok(Some(next))
        }
        NeedStatus::Dispatched
            if n.awaiting().is_some_and(|d| {
                d.org_id == entry.org_id && d.answer_by_unix == entry.answer_by_unix
            }) =>
        {
            Ok(None)
        }
        NeedStatus::Dispatched => Err(ApiError::conflict(
            "already_dispatched",
            "the need is dispatched already and awaits that organisation's answer",
        )),
        NeedStatus::Withdrawn => Err(withdrawn()),
        NeedStatus::Claimed | NeedStatus::Done => Err(ApiError::conflict(
            "wrong_state",
            "an organisation has taken this need on: only an open need can be dispatched",
        )),
    })
    .await?;
    if changed {
        let mut notices = vec![to_poster(&after, NoticeKind::NeedDispatched, &org.name)];
        notices.extend(to_organizers(store, &after, &entry).await);
        deliver(store, sender, &notices).await;
    }
    Ok(view(&after, Some(caller), None))
}

/// The dispatch awaiting `caller`'s organisation's answer, or why there is none.
fn awaiting_caller<'a>(
    n: &'a NeedItem,
    caller: &Caller,
    now: Timestamp,
) -> Result<&'a DispatchEntry, ApiError> {
    match (n.status, n.awaiting()) {
        (NeedStatus::Withdrawn, _) => Err(withdrawn()),
        (NeedStatus::Dispatched, Some(d)) if !caller.organizes(&d.org_id) => {
            Err(ApiError::forbidden(
                "forbidden",
                "only an organizer of the organisation it is dispatched to may answer",
            ))
        }
        (NeedStatus::Dispatched, Some(d)) if d.answer_by_unix <= now.unix() => {
            Err(ApiError::conflict(
                "dispatch_expired",
                "the deadline to answer has passed; the need returns to the queue",
            ))
        }
        (NeedStatus::Dispatched, Some(d)) => Ok(d),
        _ => Err(ApiError::conflict(
            "not_dispatched",
            "the need is not dispatched to your organisation",
        )),
    }
}

/// Whether the need's last dispatch went to one of `caller`'s organisations and ended
/// with `outcome`: a repeated answer answers the same.
fn answered(n: &NeedItem, caller: &Caller, outcome: DispatchOutcome) -> bool {
    n.dispatches
        .last()
        .is_some_and(|d| d.outcome == Some(outcome) && caller.organizes(&d.org_id))
}

fn closing_last(
    n: &NeedItem,
    outcome: DispatchOutcome,
    now: Timestamp,
    reason: Option<String>,
) -> NeedItem {
    let mut next = n.clone();
    if let Some(d) = next.dispatches.last_mut() {
        d.outcome = Some(outcome);
        d.answered_at = Some(now.rfc3339_cst());
        d.reason = reason;
    }
    next
}

/// `POST /api/needs/{id}/accept` (接单): the organisation takes the need on; from here it
/// is claimed by it, as if it had claimed it.
pub async fn accept(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    now: Timestamp,
) -> Result<Need, ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    let (after, changed) = change(store, id, |n| {
        if n.status == NeedStatus::Claimed && answered(n, caller, DispatchOutcome::Accepted) {
            return Ok(None);
        }
        let d = awaiting_caller(n, caller, now)?;
        let mut next = closing_last(n, DispatchOutcome::Accepted, now, None);
        next.status = NeedStatus::Claimed;
        next.claimed_by_org_id = Some(d.org_id.clone());
        next.claimed_by_org_name = Some(d.org_name.clone());
        next.claimed_at = Some(now.rfc3339_cst());
        Ok(Some(next))
    })
    .await?;
    if changed {
        let org = after.claimed_by_org_name.clone().unwrap_or_default();
        deliver(
            store,
            sender,
            &[to_poster(&after, NoticeKind::NeedAccepted, &org)],
        )
        .await;
    }
    Ok(view(&after, Some(caller), None))
}

/// `POST /api/needs/{id}/decline`: the organisation cannot take it on; the need returns to
/// the open queue, the reason kept in its history.
pub async fn decline(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    req: &DeclineRequest,
    now: Timestamp,
) -> Result<Need, ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    let reason = req.validate()?;
    let (after, changed) = change(store, id, |n| {
        if n.status == NeedStatus::Open && answered(n, caller, DispatchOutcome::Declined) {
            return Ok(None);
        }
        awaiting_caller(n, caller, now)?;
        let mut next = closing_last(n, DispatchOutcome::Declined, now, Some(reason.clone()));
        next.status = NeedStatus::Open;
        Ok(Some(next))
    })
    .await?;
    if changed {
        returned(store, sender, &after).await;
    }
    // Declined, the need is no longer this organisation's to see exactly.
    Ok(view(&after, Some(caller), None))
}

/// The scheduled job's part: every dispatch whose deadline has passed unanswered ends as
/// expired and its need returns to the open queue. Each is a conditional write on the
/// version read, so an answer that lands first wins and a second run finds nothing to do
/// (a returned need leaves the deadline index). Returns how many needs were returned.
pub async fn return_overdue(
    store: &Store,
    sender: NoticeSender,
    now: Timestamp,
) -> Result<usize, ApiError> {
    let mut count = 0;
    for id in store.needs_dispatch_due(now.unix()).await? {
        let (after, changed) = change(store, &id, |n| {
            Ok(n.awaiting()
                .filter(|d| d.answer_by_unix <= now.unix())
                .map(|_| {
                    let mut next = closing_last(n, DispatchOutcome::Expired, now, None);
                    next.status = NeedStatus::Open;
                    next
                }))
        })
        .await?;
        if changed {
            count += 1;
            returned(store, sender, &after).await;
        }
    }
    Ok(count)
}

/// `GET /api/orgs/{id}/dispatched-needs`: what awaits the organisation's answer, the
/// nearest deadline first; for its organizers.
pub async fn dispatched_to(
    store: &Store,
    caller: &Caller,
    org_id: &str,
    q: &PageQuery,
) -> Result<Page<Need>, ApiError> {
    if !caller.organizes(org_id) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers see what is dispatched to it",
        ));
    }
    let limit = parse_limit(q.limit.as_deref())?.get();
    let resume = resume_from(q.cursor.as_deref(), "dispatched_needs", org_id)?;
    let (items, next) = store
        .needs_dispatched_to_page(org_id, resume, limit)
        .await?;
    Ok(Page {
        items: items.iter().map(|n| view(n, Some(caller), None)).collect(),
        next_cursor: next_cursor(next, "dispatched_needs", org_id.to_string())?,
    })
}

/// A notice to the poster, written only by the write that changed the need (so a retried
/// request sends no second one).
fn to_poster(n: &NeedItem, kind: NoticeKind, org_name: &str) -> crate::store::notices::NoticeItem {
    notice(
        &n.posted_by,
        NoticeId::generate(),
        kind,
        &n.title,
        format!("/needs/{}", n.id),
        None,
        (!org_name.is_empty()).then(|| org_name.to_string()),
    )
}

async fn returned(store: &Store, sender: NoticeSender, n: &NeedItem) {
    deliver(store, sender, &[to_poster(n, NoticeKind::NeedReturned, "")]).await;
}

/// A notice to each organizer of the organisation the need was dispatched to, with the
/// deadline.
async fn to_organizers(
    store: &Store,
    n: &NeedItem,
    d: &DispatchEntry,
) -> Vec<crate::store::notices::NoticeItem> {
    let Ok(organizers) = super::orgs::organizers_of(store, &d.org_id).await else {
        tracing::warn!(org = %d.org_id, "organizers not read: no dispatch notice");
        return Vec::new();
    };
    organizers
        .iter()
        .map(|o| {
            notice(
                o,
                NoticeId::generate(),
                NoticeKind::NeedDispatchedToOrg,
                &n.title,
                format!("/needs/{}", n.id),
                Some(d.answer_by.clone()),
                None,
            )
        })
        .collect()
}
