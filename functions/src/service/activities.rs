//! Activities: publishing by organizers, listings, and cancelling a whole activity with
//! notices to everyone signed up. Sign-ups are in `signups.rs`.

use super::cursor::{next_cursor, parse_limit, resume_from, scope_of};
use super::notices::{fixed_notice_id, notice};
use super::{looks_like_id, nonblank};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::ActivityId;
use crate::notify::NoticeSender;
use crate::service::regions::ensure_known_region;
use crate::store::activities::{
    ActivityItem, CELL_PRECISION, CancelActivityRefused, ListFilter, ListScope, ShiftInfo,
    ShiftItem, counters_for,
};
use crate::store::signups::{MyShift, MyShiftItem};
use crate::store::{Store, TxError};
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::activity::{
    Activity, ActivityDraft, ActivityInput, ActivityStatus, PlaceDraft, Shift,
};
use zhiyuan_shared::api::Page;
use zhiyuan_shared::geo::{self, LatLng, Radius, distance_m};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::OrgStatus;
use zhiyuan_shared::query::{ActivitiesQuery, to_query_string};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no activity with id {id}"))
}

pub(crate) fn no_shift(id: &str) -> ApiError {
    ApiError::NotFound(format!("no shift with id {id}"))
}

pub(crate) fn ts(t: Timestamp) -> String {
    t.rfc3339_cst()
}

fn shift_view(info: &ShiftInfo, activity_id: &str, live: Option<&ShiftItem>) -> Shift {
    Shift {
        id: info.id(activity_id),
        starts_at: ts(info.starts_at),
        ends_at: ts(info.ends_at),
        capacity: info.capacity,
        taken: live.map_or(0, |l| l.taken),
        waitlist: live.map_or(0, |l| l.waitlisted),
    }
}

pub(crate) fn view(a: ActivityItem, live: &[ShiftItem], distance: Option<f64>) -> Activity {
    let shifts = a
        .shifts
        .iter()
        .map(|info| {
            let l = live.iter().find(|l| l.activity_id == a.id && l.n == info.n);
            shift_view(info, &a.id, l)
        })
        .collect();
    Activity {
        id: a.id.into(),
        org_id: a.org_id.into(),
        org_name: a.org_name,
        title: a.title,
        description: a.description,
        service_field: a.service_field,
        service_targets: a.service_targets,
        station_id: a.station_id.map(String::from),
        station_name: a.station_name,
        address: a.address,
        lat: a.at.lat(),
        lng: a.at.lng(),
        region_code: a.region_code.to_string(),
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
        series: a.series.map(|l| zhiyuan_shared::series::SeriesRef {
            series_id: l.series_id.into(),
            index: l.index,
        }),
    }
}

/// Who may manage an activity: its organisation's organizers and region admins over it.
pub(crate) fn require_manager(caller: &Caller, a: &ActivityItem) -> Result<(), ApiError> {
    if caller.organizes(&a.org_id) || caller.administers(&a.region_code) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may do this",
        ))
    }
}

/// An organisation works where it is registered: an activity's region (its own, or its
/// station's) must lie within the organisation's region, so its region admins see it. An
/// organisation of a city publishes in any of its banners; one of a banner only there.
/// Also for editing an activity's place.
pub(crate) fn require_org_covers(
    org_region: &RegionCode,
    activity_region: &RegionCode,
    at_station: bool,
) -> Result<(), ApiError> {
    if org_region.covers(activity_region) {
        return Ok(());
    }
    let place = if at_station {
        "the station is"
    } else {
        "region_code is"
    };
    Err(ApiError::forbidden(
        "outside_org_region",
        format!(
            "{place} in {activity_region}, outside the organisation's region {org_region}: \
             an organisation publishes only within its own region"
        ),
    ))
}

/// `POST /api/activities`: validates the input, publishes the activity and links the need
/// it answers, if any.
pub async fn publish(
    store: &Store,
    caller: &Caller,
    input: ActivityInput,
    now: Timestamp,
) -> Result<Activity, ApiError> {
    let draft = input.validate(now)?;
    let need = input
        .need_id
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    // A need it answers must be this organisation's claim: checked before anything is
    // written, linked once the activity exists.
    if let Some(n) = need
        && caller.organizes(&draft.org_id)
    {
        super::needs::claimed_by(store, n, &draft.org_id).await?;
    }
    let activity = match &input.repeat {
        None => create(store, caller, draft).await?,
        Some(repeat) => {
            let rule = repeat.validate()?;
            let (template, _) = build(store, caller, draft).await?;
            super::series::publish(store, template, rule, now).await?
        }
    };
    if let Some(n) = need {
        let made = ActivityId::trusted(activity.id.clone());
        super::needs::link_activity(store, n, &made).await?;
    }
    Ok(activity)
}

/// An organizer publishes an activity of their (approved) organisation.
pub async fn create(
    store: &Store,
    caller: &Caller,
    draft: ActivityDraft,
) -> Result<Activity, ApiError> {
    let (activity, shift_items) = build(store, caller, draft).await?;
    store.create_activity(&activity, &shift_items).await?;
    Ok(view(activity, &shift_items, None))
}

/// The activity an organizer's draft makes, checked against the organisation and the
/// place, not yet written.
pub(crate) async fn build(
    store: &Store,
    caller: &Caller,
    draft: ActivityDraft,
) -> Result<(ActivityItem, Vec<ShiftItem>), ApiError> {
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
            (
                Some(st.id),
                Some(st.name),
                st.address,
                st.at,
                st.region_code,
            )
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
    require_org_covers(&org.region_code, &region, station_id.is_some())?;
    let id = ActivityId::generate();
    let shifts: Vec<ShiftInfo> = draft
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| ShiftInfo {
            n: (i + 1) as u8,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            capacity: s.capacity,
            counters: counters_for(s.capacity),
        })
        .collect();
    // A draft has at least one shift; an empty one would list at the epoch.
    let epoch = Timestamp::from_unix(0);
    let first_start = shifts.iter().map(|s| s.starts_at).min().unwrap_or(epoch);
    let until = shifts.iter().map(|s| s.ends_at).max().unwrap_or(epoch);
    let shift_items: Vec<ShiftItem> = shifts.iter().map(|s| ShiftItem::new(&id, s)).collect();
    let activity = ActivityItem {
        id,
        org_id: org.id,
        org_name: org.name,
        title: draft.title,
        description: draft.description,
        service_field: draft.service_field,
        service_targets: draft.service_targets,
        station_id,
        station_name,
        address,
        at,
        region_code: region,
        deadline: draft.deadline,
        min_age: draft.min_age,
        skills: draft.skills,
        requirements: draft.requirements,
        is_training: draft.is_training,
        checkin_radius_m: draft.checkin_radius_m,
        status: ActivityStatus::Published,
        cancel_reason: None,
        cancelled_at: None,
        shifts,
        first_start,
        until,
        created_by: caller.id().clone(),
        created_at: crate::clock::now_rfc3339(),
        version: 0,
        series: None,
    };
    Ok((activity, shift_items))
}

pub(crate) async fn load(store: &Store, id: &str) -> Result<ActivityItem, ApiError> {
    let found = match ActivityId::parse(id) {
        Some(id) => store.get_activity(&id).await?,
        None => None,
    };
    found.ok_or_else(|| not_found(id))
}

pub(crate) async fn load_shift(
    store: &Store,
    shift_id: &str,
) -> Result<(ActivityItem, ShiftItem), ApiError> {
    store
        .shift_with_activity(shift_id)
        .await?
        .ok_or_else(|| no_shift(shift_id))
}

pub(crate) fn activity_cancelled() -> ApiError {
    ApiError::conflict("activity_cancelled", "the activity has been cancelled")
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
    q: &ActivitiesQuery,
    now: Timestamp,
) -> Result<Page<Activity>, ApiError> {
    let limit = parse_limit(nonblank(&q.limit))?;
    let time = |field: &'static str, v: &Option<String>| -> Result<Option<Timestamp>, ApiError> {
        nonblank(v)
            .map(|v| Timestamp::parse(v).map_err(|e| ApiError::invalid(field, e)))
            .transpose()
    };
    let from = time("from", &q.from)?;
    let to = time("to", &q.to)?;
    let field = nonblank(&q.field)
        .map(|f| {
            ServiceField::from_slug(f)
                .ok_or_else(|| ApiError::invalid("field", "is not a known service field"))
        })
        .transpose()?;
    let region = nonblank(&q.region)
        .map(|r| RegionCode::parse(r).map_err(|e| ApiError::invalid("region", e)))
        .transpose()?;
    let centre = match (nonblank(&q.lat), nonblank(&q.lng)) {
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
    let radius = match nonblank(&q.radius_km) {
        None => Radius::default(),
        Some(r) => r
            .parse::<f64>()
            .ok()
            .and_then(|km| Radius::from_km(km).ok())
            .ok_or_else(|| ApiError::invalid("radius_km", "must be a number from 0.1 to 50"))?,
    };
    // A cursor belongs to the same filters (any page size) and the same start: without
    // `from`, the time of the first page, which the cursor carries.
    let filters = ActivitiesQuery {
        limit: None,
        cursor: None,
        ..q.clone()
    };
    let filters = to_query_string(&filters);
    let from = from.unwrap_or_else(|| {
        nonblank(&q.cursor)
            .and_then(|c| scope_of(c, "activities"))
            .and_then(|s| {
                s.strip_prefix(&format!("{filters}|"))
                    .and_then(|t| t.parse().ok())
            })
            .map_or(now, Timestamp::from_unix)
    });
    let scope = format!("{filters}|{}", from.unix());
    let resume = resume_from(nonblank(&q.cursor), "activities", &scope)?;
    let (listing, published_only) = match (nonblank(&q.station_id), nonblank(&q.org_id)) {
        (Some(s), _) => (ListScope::Station(s), true),
        // An organisation's own list keeps its cancelled activities visible.
        (None, Some(o)) => (ListScope::Org(o), false),
        (None, None) => {
            // "Near me": the geohash cells covering the circle, never the province.
            if let Some(c) = centre {
                let filter = ListFilter {
                    published_only: true,
                    region_prefix: region.as_ref().map(|r| r.prefix().to_string()),
                    field,
                    starts_before: to.map(Timestamp::unix),
                    bbox: None,
                };
                return near(store, c, radius, from, filter, resume, limit.get(), scope).await;
            }
            // A city or a banner reads its own listing; the province (or none) its
            // field's listing, or its cities' listings merged: never the province-wide
            // partition with a filter.
            match (region.as_ref().map(RegionCode::prefix), field) {
                (Some(p), _) if p.len() > 2 => (ListScope::Region(p), true),
                (_, Some(f)) => {
                    let province = region.as_ref().map_or("15", |r| r.province());
                    (ListScope::Field(province, f), true)
                }
                (_, None) => {
                    let province = region.as_ref().map_or("15", |r| r.province());
                    let filter = ListFilter {
                        published_only: true,
                        starts_before: to.map(Timestamp::unix),
                        ..ListFilter::default()
                    };
                    let after = after_of(resume)?;
                    let cities = super::regions::city_partitions(province)?;
                    let (items, next) = store
                        .activities_of_cities_page(&cities, from, after, filter, limit.get())
                        .await?;
                    return merged_page(store, items, None, next, scope).await;
                }
            }
        }
    };
    // Within a city's, a banner's or a province field's own listing every entry is of the
    // region already.
    let region_prefix = match listing {
        ListScope::Region(_) | ListScope::Field(..) => None,
        _ => region.as_ref().map(|r| r.prefix().to_string()),
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
        region_prefix,
        field,
        starts_before: to.map(Timestamp::unix),
        bbox,
    };
    // A province field's listing holds only that field.
    let field = match listing {
        ListScope::Field(..) => None,
        _ => field,
    };
    let filter = ListFilter { field, ..filter };
    let (items, next) = store
        .activities_page(listing, from, filter, resume, limit.get())
        .await?;
    let refs: Vec<&ActivityItem> = items.iter().collect();
    let live = store.shift_counts(&refs).await?;
    let items = items
        .into_iter()
        .filter_map(|a| {
            let d = centre.map(|c| distance_m(c, a.at));
            // The box is a little larger than the circle.
            (d.is_none_or(|d| d <= radius.metres())).then(|| view(a, &live, d))
        })
        .collect();
    Ok(Page {
        items,
        next_cursor: next_cursor(next, "activities", scope)?,
    })
}

/// The key of a merged page's cursor ("near", a province): the listing key the last page
/// ended at.
const NEAR_AFTER: &str = "after";

/// Published activities within `radius` of `centre`, in listing order (soonest-ending
/// first), from the geohash cells covering the circle: a page costs one Query per cell and
/// merge round, whatever the province holds.
#[allow(clippy::too_many_arguments)]
async fn near(
    store: &Store,
    centre: LatLng,
    radius: Radius,
    from: Timestamp,
    filter: ListFilter,
    resume: Option<crate::store::ResumeKey>,
    limit: usize,
    scope: String,
) -> Result<Page<Activity>, ApiError> {
    let after = after_of(resume)?;
    let covering = geo::covering(centre, radius, CELL_PRECISION);
    let keep = |a: &ActivityItem| distance_m(centre, a.at) <= radius.metres();
    let (items, next) = store
        .activities_near_page(&covering.cells, from, after, filter, keep, limit)
        .await?;
    merged_page(store, items, Some(centre), next, scope).await
}

/// The listing key a merged page's cursor resumes after.
fn after_of(resume: Option<crate::store::ResumeKey>) -> Result<Option<String>, ApiError> {
    match resume {
        None => Ok(None),
        Some(mut k) => match k.remove(NEAR_AFTER).filter(|sk| looks_like_list_key(sk)) {
            Some(sk) => Ok(Some(sk)),
            None => Err(ApiError::invalid(
                "cursor",
                "is not a cursor this list returned",
            )),
        },
    }
}

/// A merged page ("near", a province's cities) with its shifts' counts (and distances from
/// `centre`), its cursor the listing key it ended at.
async fn merged_page(
    store: &Store,
    items: Vec<ActivityItem>,
    centre: Option<LatLng>,
    next: Option<String>,
    scope: String,
) -> Result<Page<Activity>, ApiError> {
    let refs: Vec<&ActivityItem> = items.iter().collect();
    let live = store.shift_counts(&refs).await?;
    let items = items
        .into_iter()
        .map(|a| {
            let d = centre.map(|c| distance_m(c, a.at));
            view(a, &live, d)
        })
        .collect();
    let next = next.map(|sk| crate::store::ResumeKey::from([(NEAR_AFTER.to_string(), sk)]));
    Ok(Page {
        items,
        next_cursor: next_cursor(next, "activities", scope)?,
    })
}

/// Whether `sk` has the shape of a listing key (eleven digits, `#`, an id).
fn looks_like_list_key(sk: &str) -> bool {
    sk.split_once('#').is_some_and(|(t, id)| {
        t.len() == 11 && t.bytes().all(|b| b.is_ascii_digit()) && looks_like_id(id)
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
        match store.cancel_activity(&a, &reason, at_ms).await {
            Ok(()) => {
                a.status = ActivityStatus::Cancelled;
                a.cancel_reason = Some(reason);
                a.cancelled_at = Some(at_ms);
            }
            // Cancelled meanwhile by someone else: carry on with the stored state.
            Err(TxError::Refused(CancelActivityRefused::NotPublished)) => {
                a = load(store, id).await?
            }
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
    for shift in &a.shifts {
        notify_shift_cancelled(store, sender, a, shift, at_ms).await?;
    }
    Ok(())
}

/// Tells everyone signed up for one shift of a cancelled activity, a page at a time.
async fn notify_shift_cancelled(
    store: &Store,
    sender: NoticeSender,
    a: &ActivityItem,
    shift: &ShiftInfo,
    at_ms: u64,
) -> Result<(), ApiError> {
    let mut resume = None;
    loop {
        let (page, next) = store.signups_page(&a.id, shift.n, resume, 100).await?;
        let mut notices = Vec::with_capacity(page.len());
        let mut mirrors = Vec::with_capacity(page.len());
        for s in &page {
            let Some(info) = a.shifts.iter().find(|i| i.n == s.n) else {
                continue;
            };
            mirrors.push(MyShift {
                user_id: &s.user_id,
                item: MyShiftItem::new(a, info, s.status),
            });
            notices.push(notice(
                &s.user_id,
                fixed_notice_id(at_ms, &format!("cancel:{}:{}:{}", a.id, s.n, s.user_id)),
                NoticeKind::ActivityCancelled,
                &a.title,
                format!("/activities/{}", a.id),
                Some(ts(info.starts_at)),
                a.cancel_reason.clone(),
            ));
        }
        store.put_my_shifts(&mirrors).await?;
        super::notices::publish(store, sender, &notices).await?;
        match next {
            Some(n) => resume = Some(n),
            None => return Ok(()),
        }
    }
}
