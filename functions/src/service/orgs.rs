//! Organisations: registration, the region admins' approval queue, join requests and
//! their approval by the organisation's organizers.

use super::cursor::{next_cursor, parse_limit, resume_from};
use super::notices::{deliver, notice};
use super::{looks_like_id, nonblank};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::{OrgId, UserId};
use crate::notify::NoticeSender;
use crate::service::regions::ensure_known_region;
use crate::store::orgs::{MemberItem, OrgItem};
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use zhiyuan_shared::api::Page;
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::{Member, MemberStatus, MyMembership, Org, OrgDraft, OrgStatus};
use zhiyuan_shared::query::{MembersQuery, ORG_SEARCH_MAX, OrgsQuery};
use zhiyuan_shared::region::RegionCode;

/// Members read (100 a page) to find an organisation's organizers for a notice: organizers
/// are a handful, but they are scattered through the roster, which is read this far.
const ORGANIZER_SCAN_PAGES: usize = 10;

/// The organisation's organizers (approved members with the organizer flag): everyone
/// an organisation's notices go to (a new 补录 application, a dispatched need, a rating).
pub(crate) async fn organizers_of(store: &Store, org_id: &str) -> Result<Vec<UserId>, StoreError> {
    let mut out = Vec::new();
    let mut resume = None;
    for _ in 0..ORGANIZER_SCAN_PAGES {
        let (page, next) = store
            .members_page(org_id, MemberStatus::Approved, resume, 100)
            .await?;
        out.extend(page.into_iter().filter(|m| m.organizer).map(|m| m.user_id));
        match next {
            Some(k) => resume = Some(k),
            None => break,
        }
    }
    Ok(out)
}

fn org_view(o: OrgItem) -> Org {
    Org {
        id: o.id.into(),
        name: o.name,
        org_type: o.org_type,
        region_code: o.region_code.to_string(),
        service_fields: o.service_fields,
        description: o.description,
        status: o.status,
        member_count: o.member_count,
        created_at: o.created_at,
        rejection_reason: o.rejection_reason,
    }
}

fn member_view(m: MemberItem) -> Member {
    Member {
        user_id: m.user_id.into(),
        real_name: m.real_name,
        volunteer_no: m.volunteer_no,
        status: m.status,
        organizer: m.organizer,
        requested_at: m.requested_at,
        trainings_done: 0,
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no organisation with id {id}"))
}

/// A real-name volunteer registers an organisation; it waits for the region admin. The
/// founder becomes its first member and organizer.
pub async fn create(store: &Store, caller: &Caller, draft: OrgDraft) -> Result<Org, ApiError> {
    let volunteer = caller.volunteer()?;
    ensure_known_region(store, &draft.region_code).await?;
    let id = OrgId::generate();
    let now = crate::clock::now_rfc3339();
    let org = OrgItem {
        id: id.clone(),
        name: draft.name,
        org_type: draft.org_type,
        region_code: draft.region_code,
        service_fields: draft.service_fields,
        description: draft.description,
        status: OrgStatus::Pending,
        member_count: 1,
        created_by: Some(caller.id().clone()),
        created_at: now.clone(),
        rejection_reason: None,
    };
    let founder = MemberItem {
        org_id: id,
        user_id: caller.id().clone(),
        real_name: volunteer.real_name.clone(),
        volunteer_no: volunteer.volunteer_no.clone(),
        status: MemberStatus::Approved,
        organizer: true,
        requested_at: now,
    };
    store.create_org(&org, &founder).await?;
    Ok(org_view(org))
}

/// Who may see an organisation that is not (yet) approved: its organizers and the region
/// admins over it. Everyone else gets a 404, as if it did not exist.
fn may_see_unapproved(caller: Option<&Caller>, org: &OrgItem) -> bool {
    caller.is_some_and(|c| c.organizes(&org.id) || c.administers(&org.region_code))
}

pub async fn get(store: &Store, caller: Option<&Caller>, id: &str) -> Result<Org, ApiError> {
    let org = load(store, id).await?;
    if org.status != OrgStatus::Approved && !may_see_unapproved(caller, &org) {
        return Err(not_found(id));
    }
    Ok(org_view(org))
}

async fn load(store: &Store, id: &str) -> Result<OrgItem, ApiError> {
    if !looks_like_id(id) {
        return Err(not_found(id));
    }
    store.get_org(id).await?.ok_or_else(|| not_found(id))
}

/// Lists organisations of a region (default: the whole province of the deployment's
/// first region) by status. Approved ones are public; pending and rejected ones are the
/// region admins' queue and need an admin covering the region.
pub async fn list(
    store: &Store,
    caller: Option<&Caller>,
    q: &OrgsQuery,
) -> Result<Page<Org>, ApiError> {
    let status = match nonblank(&q.status) {
        None => OrgStatus::Approved,
        Some(s) => OrgStatus::from_slug(s)
            .ok_or_else(|| ApiError::invalid("status", "must be pending, approved or rejected"))?,
    };
    let limit = parse_limit(nonblank(&q.limit))?;
    let name = name_search(nonblank(&q.q))?;
    if let Some(c) = nonblank(&q.covers) {
        let code = RegionCode::parse(c).map_err(|e| ApiError::invalid("covers", e))?;
        if nonblank(&q.region).is_some() {
            return Err(ApiError::invalid(
                "covers",
                "give either region or covers, not both",
            ));
        }
        if status != OrgStatus::Approved {
            return Err(ApiError::invalid(
                "covers",
                "lists approved organisations only",
            ));
        }
        return covering(store, &code, name, nonblank(&q.cursor), limit.get()).await;
    }
    let region = match nonblank(&q.region) {
        Some(r) => RegionCode::parse(r).map_err(|e| ApiError::invalid("region", e))?,
        None => RegionCode::inner_mongolia(),
    };
    if status != OrgStatus::Approved {
        match caller {
            None => return Err(ApiError::Unauthorized),
            Some(c) => c.require_region_admin(&region)?,
        }
    }
    let mut scope = format!("{}:{}", status.slug(), region);
    if let Some(n) = name {
        scope = format!("{scope}:{n}");
    }
    let resume = resume_from(nonblank(&q.cursor), "orgs", &scope)?;
    let (items, next) = store
        .orgs_page(
            region.province(),
            status,
            region.prefix(),
            name,
            resume,
            limit.get(),
        )
        .await?;
    let next_cursor = next_cursor(next, "orgs", scope)?;
    Ok(Page {
        items: items.into_iter().map(org_view).collect(),
        next_cursor,
    })
}

/// `?q=`: trimmed, 1 to [`ORG_SEARCH_MAX`] characters (none when blank).
fn name_search(raw: Option<&str>) -> Result<Option<&str>, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(n) if n.chars().count() > ORG_SEARCH_MAX => Err(ApiError::invalid(
            "q",
            format!("must be at most {ORG_SEARCH_MAX} characters"),
        )),
        Some(n) => Ok(Some(n)),
    }
}

/// `?covers=`: the approved organisations whose region covers `code` — those of the
/// region itself, then of its city, then of the province (nearest first), each one
/// Query of its exact region on the region index, filtered by name if asked. A page that
/// ends one region goes on into the next; the cursor names the region it stopped in (an
/// empty key: the start of that region).
async fn covering(
    store: &Store,
    code: &RegionCode,
    name: Option<&str>,
    cursor: Option<&str>,
    limit: usize,
) -> Result<Page<Org>, ApiError> {
    const KIND: &str = "orgs_covering";
    let regions = code.and_above();
    let base = format!("{code}:{}#", name.unwrap_or_default());
    let bad = || ApiError::invalid("cursor", "is not a cursor this list returned");
    let (mut stage, mut resume) = match cursor {
        None => (0, None),
        Some(raw) => {
            let scope = super::cursor::scope_of(raw, KIND).ok_or_else(bad)?;
            let stage = scope
                .strip_prefix(&base)
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|s| *s < regions.len())
                .ok_or_else(bad)?;
            let key = resume_from(Some(raw), KIND, &scope)?;
            (stage, key.filter(|k| !k.is_empty()))
        }
    };
    let mut items = Vec::new();
    loop {
        let exact = format!("{}#", regions[stage]);
        let (page, next) = store
            .orgs_page(
                code.province(),
                OrgStatus::Approved,
                &exact,
                name,
                resume.take(),
                limit - items.len(),
            )
            .await?;
        items.extend(page.into_iter().map(org_view));
        let at = match next {
            Some(k) => Some((stage, k)),
            None if stage + 1 < regions.len() && items.len() >= limit => {
                Some((stage + 1, Default::default()))
            }
            None if stage + 1 < regions.len() => {
                stage += 1;
                continue;
            }
            None => None,
        };
        let next_cursor = match at {
            Some((s, k)) => next_cursor(Some(k), KIND, format!("{base}{s}"))?,
            None => None,
        };
        return Ok(Page { items, next_cursor });
    }
}

/// A region admin over the organisation's region approves or rejects it, once.
pub async fn decide(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    to: OrgStatus,
    reason: Option<String>,
) -> Result<Org, ApiError> {
    let org = load(store, id).await?;
    caller.require_region_admin(&org.region_code)?;
    if org.status != OrgStatus::Pending {
        return Err(wrong_state(org.status));
    }
    store
        .decide_org(&org, to, reason.as_deref())
        .await
        .map_err(|e| match e {
            StoreError::ConditionFailed => wrong_state(OrgStatus::Approved),
            other => other.into(),
        })?;
    let kind = match to {
        OrgStatus::Approved => NoticeKind::OrgApproved,
        _ => NoticeKind::OrgRejected,
    };
    let notices: Vec<_> = org
        .created_by
        .iter()
        .map(|founder| {
            notice(
                founder,
                crate::ids::NoticeId::generate(),
                kind,
                &org.name,
                format!("/orgs/{}", org.id),
                None,
                reason.clone(),
            )
        })
        .collect();
    deliver(store, sender, &notices).await;
    Ok(org_view(OrgItem {
        status: to,
        rejection_reason: reason,
        ..org
    }))
}

fn wrong_state(now: OrgStatus) -> ApiError {
    ApiError::conflict(
        "wrong_state",
        format!("the organisation is {} already", now.slug()),
    )
}

/// A real-name volunteer asks to join an approved organisation.
pub async fn join(store: &Store, caller: &Caller, id: &str) -> Result<MyMembership, ApiError> {
    let volunteer = caller.volunteer()?;
    let org = load(store, id).await?;
    if org.status != OrgStatus::Approved {
        if !may_see_unapproved(Some(caller), &org) {
            return Err(not_found(id));
        }
        return Err(ApiError::conflict(
            "org_not_approved",
            "the organisation is not approved yet",
        ));
    }
    let member = MemberItem {
        org_id: org.id.clone(),
        user_id: caller.id().clone(),
        real_name: volunteer.real_name.clone(),
        volunteer_no: volunteer.volunteer_no.clone(),
        status: MemberStatus::Pending,
        organizer: false,
        requested_at: crate::clock::now_rfc3339(),
    };
    store.request_membership(&org, &member).await?;
    Ok(MyMembership {
        org_id: org.id.into(),
        org_name: org.name,
        status: MemberStatus::Pending,
        organizer: false,
    })
}

/// Who may manage an organisation's members: its organizers and region admins over it.
fn require_org_manager(caller: &Caller, org: &OrgItem) -> Result<(), ApiError> {
    if caller.organizes(&org.id) || caller.administers(&org.region_code) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may do this",
        ))
    }
}

pub async fn members(
    store: &Store,
    caller: &Caller,
    id: &str,
    q: &MembersQuery,
) -> Result<Page<Member>, ApiError> {
    let org = load(store, id).await?;
    require_org_manager(caller, &org)?;
    let status = match nonblank(&q.status) {
        None => MemberStatus::Approved,
        Some(s) => MemberStatus::from_slug(s)
            .ok_or_else(|| ApiError::invalid("status", "must be pending or approved"))?,
    };
    let limit = parse_limit(nonblank(&q.limit))?;
    let scope = format!("{id}:{}", status.slug());
    let resume = resume_from(nonblank(&q.cursor), "members", &scope)?;
    // "Who is trained": at least this many trainings attended (filtering one page at a
    // time, so a page may hold fewer and still have a cursor).
    let min_trainings: u32 = match nonblank(&q.min_trainings) {
        None => 0,
        Some(v) => v.parse().ok().filter(|n| *n <= 1000).ok_or_else(|| {
            ApiError::invalid("min_trainings", "must be a whole number from 0 to 1000")
        })?,
    };
    let (items, next) = store.members_page(id, status, resume, limit.get()).await?;
    let next_cursor = next_cursor(next, "members", scope)?;
    let ids: Vec<UserId> = items.iter().map(|m| m.user_id.clone()).collect();
    let trained: HashMap<UserId, u32> = store
        .users(&ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.trainings_done))
        .collect();
    Ok(Page {
        items: items
            .into_iter()
            .map(|m| {
                let done = trained.get(&m.user_id).copied().unwrap_or(0);
                Member {
                    trainings_done: done,
                    ..member_view(m)
                }
            })
            .filter(|m| m.trainings_done >= min_trainings)
            .collect(),
        next_cursor,
    })
}

/// An organizer approves a join request. Approving twice answers 409 `wrong_state`.
pub async fn approve_member(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    org_id: &str,
    user_id: &str,
) -> Result<Member, ApiError> {
    let org = load(store, org_id).await?;
    require_org_manager(caller, &org)?;
    let no_request = || ApiError::NotFound(format!("no join request from user {user_id}"));
    let Some(user_id) = UserId::parse(user_id) else {
        return Err(no_request());
    };
    let pending = match store
        .get_member(org_id, MemberStatus::Pending, &user_id)
        .await?
    {
        Some(p) => p,
        None => {
            return match store
                .get_member(org_id, MemberStatus::Approved, &user_id)
                .await?
            {
                Some(_) => Err(ApiError::conflict(
                    "wrong_state",
                    "this member is approved already",
                )),
                None => Err(no_request()),
            };
        }
    };
    store.approve_membership(&pending).await?;
    let n = notice(
        &user_id,
        crate::ids::NoticeId::generate(),
        NoticeKind::MemberApproved,
        &org.name,
        format!("/orgs/{}", org.id),
        None,
        None,
    );
    deliver(store, sender, &[n]).await;
    Ok(member_view(MemberItem {
        status: MemberStatus::Approved,
        ..pending
    }))
}

pub async fn my_memberships(store: &Store, caller: &Caller) -> Result<Vec<MyMembership>, ApiError> {
    // A person belongs to a handful of organisations: one page of 100 holds them.
    let (items, _) = store.memberships_of(caller.id(), None, 100).await?;
    Ok(items
        .into_iter()
        .map(|m| MyMembership {
            org_id: m.org_id.into(),
            org_name: m.org_name,
            status: m.status,
            organizer: m.organizer,
        })
        .collect())
}
