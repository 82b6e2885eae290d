//! Statistics and compliance (SPEC §10): what each write adds to the counters, and the
//! dashboard and compliance lists read from them.
//!
//! A dashboard reads the region list and the counter items of the regions it shows
//! (`store::stats`): a fixed number of items per region, never the volunteers.

use super::cursor::{next_cursor, parse_limit, resume_from};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::UserId;
use crate::store::Store;
use crate::store::accounts::UserItem;
use crate::store::records::RecordItem;
use crate::store::stats::{Counter, CounterAdd, GroupMemberItem, RegionCounters, UserStatsWrite};
use std::collections::HashMap;
use zhiyuan_shared::account::VolunteerGroup;
use zhiyuan_shared::api::Page;
use zhiyuan_shared::record::{hours, star_of_minutes};
use zhiyuan_shared::region::{Region, RegionCode};
use zhiyuan_shared::stats::{
    ComplianceEntry, RegionFigures, StatsReport, Targets, percent, yearly_minimum_hours,
};
use zhiyuan_shared::time::Timestamp;

/// The calendar year (China Standard Time) of a moment.
pub fn year_of(unix: i64) -> i32 {
    i32::from(Timestamp::from_unix(unix).cst_date().year)
}

/// What a change to a record does to its volunteer's totals and to the counters of the
/// volunteer's region; None when it changes nothing counted.
///
/// Records transferred in from elsewhere count toward the total and the star level, not
/// toward this region's year (the service was done elsewhere).
pub fn record_effect(
    user: &UserItem,
    before: Option<&RecordItem>,
    after: &RecordItem,
) -> Option<(UserStatsWrite, Vec<CounterAdd>)> {
    let (m0, c0, t0) = before.map_or((0, false, false), RecordItem::footprint);
    let (m1, c1, t1) = after.footprint();
    if (m0, c0, t0) == (m1, c1, t1) {
        return None;
    }
    let trainings_done =
        (i64::from(user.trainings_done) + i64::from(t1) - i64::from(t0)).max(0) as u32;
    let region = user.volunteer.as_ref().map(|v| v.region_code.to_string());
    let total = (user.served_minutes as i64 + m1 - m0).max(0) as u64;
    let mut years = user.years.clone();
    let mut adds = Vec::new();
    if let Some(region) = &region {
        let (s0, s1) = (star_of_minutes(user.served_minutes), star_of_minutes(total));
        if s0 != s1 {
            if s0 > 0 {
                adds.push(CounterAdd::now(region, &user.id, Counter::Star(s0), -1));
            }
            if s1 > 0 {
                adds.push(CounterAdd::now(region, &user.id, Counter::Star(s1), 1));
            }
        }
    }
    if after.transferred_from.is_none() {
        let year = year_of(after.shift_starts.unix());
        let y = years.entry(year.to_string()).or_default();
        let was_active = y.records > 0;
        y.minutes = (y.minutes as i64 + m1 - m0).max(0) as u64;
        y.records = (i64::from(y.records) + i64::from(c1) - i64::from(c0)).max(0) as u32;
        let is_active = y.records > 0;
        if let Some(region) = &region {
            adds.push(CounterAdd::in_year(
                region,
                &user.id,
                year,
                Counter::Minutes,
                m1 - m0,
            ));
            if was_active != is_active {
                let by = if is_active { 1 } else { -1 };
                adds.push(CounterAdd::in_year(
                    region,
                    &user.id,
                    year,
                    Counter::Active,
                    by,
                ));
            }
        }
    }
    Some((
        UserStatsWrite {
            user_id: user.id.clone(),
            seen_rev: user.stats_rev,
            served_minutes: total,
            years,
            trainings_done,
        },
        adds,
    ))
}

/// What a new real-name volunteer adds: one more registered volunteer in their region
/// (now and in the year), and their compliance-group memberships.
pub fn registration_effect(
    user_id: &UserId,
    region: &str,
    groups: &[VolunteerGroup],
    now_unix: i64,
) -> (Vec<CounterAdd>, Vec<GroupMemberItem>) {
    let adds = vec![
        CounterAdd::now(region, user_id, Counter::Volunteers, 1),
        CounterAdd::in_year(
            region,
            user_id,
            year_of(now_unix),
            Counter::VolunteersNew,
            1,
        ),
    ];
    let members = groups
        .iter()
        .filter(|g| yearly_minimum_hours(**g).is_some())
        .map(|g| GroupMemberItem::new(user_id, g.slug(), region))
        .collect();
    (adds, members)
}

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

/// One region's figures for `year`, from counters that may span several codes (a region
/// and everything inside it).
fn figures(
    region: &Region,
    counters: &[&RegionCounters],
    year: i32,
    current: i32,
) -> RegionFigures {
    let sum_now = |c| count(counters.iter().map(|rc| rc.now(c)).sum());
    let sum_year = |y, c| count(counters.iter().map(|rc| rc.year(y, c)).sum());
    // Registered by the end of `year`: registered now, less those who registered later.
    let later: u64 = (year + 1..=current)
        .map(|y| sum_year(y, Counter::VolunteersNew))
        .sum();
    let registered = sum_now(Counter::Volunteers).saturating_sub(later);
    let active = sum_year(year, Counter::Active);
    let minutes = sum_year(year, Counter::Minutes);
    let mut stars = [0u64; 6];
    for (level, slot) in stars.iter_mut().enumerate().skip(1) {
        *slot = sum_now(Counter::Star(level as u8));
    }
    let now_registered = sum_now(Counter::Volunteers);
    stars[0] = now_registered.saturating_sub(stars[1..].iter().sum());
    let stations = sum_now(Counter::Stations);
    let five = sum_now(Counter::StationsFiveHave);
    RegionFigures {
        region_code: region.code.to_string(),
        region_name: region.name.clone(),
        population: region.population,
        registered,
        registered_in_year: sum_year(year, Counter::VolunteersNew),
        share_percent: percent(registered, region.population),
        active,
        participation_percent: percent(active, registered),
        hours: hours(minutes),
        average_hours: if registered == 0 {
            0.0
        } else {
            (minutes as f64 / 60.0 / registered as f64 * 10.0).round() / 10.0
        },
        stars,
        organisations: sum_now(Counter::Organisations),
        stations,
        stations_five_have: five,
        five_have_percent: percent(five, stations),
        demonstration_stations: sum_now(Counter::StationsDemonstration),
        activities: sum_year(year, Counter::Activities),
        trainings: sum_year(year, Counter::Trainings),
        needs_open: sum_year(year, Counter::NeedsOpen),
        needs_claimed: sum_year(year, Counter::NeedsClaimed),
        needs_done: sum_year(year, Counter::NeedsDone),
        ratings: sum_year(year, Counter::Ratings),
        ratings_satisfied: sum_year(year, Counter::RatingsSatisfied),
        satisfaction_percent: percent(
            sum_year(year, Counter::RatingsSatisfied),
            sum_year(year, Counter::Ratings),
        ),
    }
}

fn unknown_region() -> ApiError {
    ApiError::invalid("region", "is not a known region")
}

/// A region's figures for `year` and each of its direct sub-regions', read from the
/// counters of the region and everything inside it.
pub(crate) async fn region_figures(
    store: &Store,
    regions: &[Region],
    region: &RegionCode,
    year: i32,
    current: i32,
) -> Result<(RegionFigures, Vec<RegionFigures>), ApiError> {
    let this = regions
        .iter()
        .find(|r| &r.code == region)
        .ok_or_else(unknown_region)?;
    let inside: Vec<&Region> = regions.iter().filter(|r| region.covers(&r.code)).collect();
    let codes: Vec<String> = inside.iter().map(|r| r.code.to_string()).collect();
    let counters = store.counters(&codes, year..=current).await?;
    let all_of = |r: &Region| -> Vec<&RegionCounters> {
        inside
            .iter()
            .filter(|x| r.code.covers(&x.code))
            .filter_map(|x| counters.get(x.code.as_str()))
            .collect()
    };
    let total = figures(this, &all_of(this), year, current);
    let children = inside
        .iter()
        .filter(|r| r.parent_code.as_ref() == Some(region))
        .map(|r| figures(r, &all_of(r), year, current))
        .collect();
    Ok((total, children))
}

/// The dashboard of a region and year. Its region admins (and those above) see each
/// sub-region too; anyone else sees the region's key figures.
pub async fn report(
    store: &Store,
    caller: Option<&Caller>,
    region: &RegionCode,
    year: i32,
    current: i32,
) -> Result<StatsReport, ApiError> {
    let regions = store.all_regions().await?;
    let admin = caller.is_some_and(|c| c.administers(region));
    let (total, children) = region_figures(store, &regions, region, year, current).await?;
    let children = if admin { children } else { Vec::new() };
    let total = if admin {
        total
    } else {
        // The public summary: registration, participation and hours; no counts of needs,
        // stars or organisations for people outside the office.
        RegionFigures {
            stars: [0; 6],
            needs_open: 0,
            needs_claimed: 0,
            needs_done: 0,
            ratings: 0,
            ratings_satisfied: 0,
            satisfaction_percent: 0.0,
            ..total
        }
    };
    Ok(StatsReport {
        year,
        public: !admin,
        targets: Targets::for_region(region),
        total,
        children,
    })
}

/// One page of a group's volunteers in a region whose confirmed hours in `year` are under
/// the group's minimum. A page reads one page of the group's members and their user items,
/// so it may hold fewer than `limit` entries (and still a cursor).
pub async fn compliance(
    store: &Store,
    caller: &Caller,
    region: &RegionCode,
    year: i32,
    group: VolunteerGroup,
    cursor: Option<&str>,
    limit: Option<&str>,
) -> Result<Page<ComplianceEntry>, ApiError> {
    caller.require_region_admin(region)?;
    let minimum = yearly_minimum_hours(group)
        .ok_or_else(|| ApiError::invalid("group", "has no yearly minimum"))?;
    let limit = parse_limit(limit)?;
    let scope = format!("{region}/{year}/{}", group.slug());
    let resume = resume_from(cursor, "compliance", &scope)?;
    let (members, next) = store
        .group_members_page(
            group.slug(),
            region.province(),
            region.prefix(),
            resume,
            limit.get(),
        )
        .await?;
    let ids: Vec<UserId> = members.iter().filter_map(|m| m.user_id()).collect();
    let users: HashMap<UserId, UserItem> = store
        .users(&ids)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    let key = year.to_string();
    let items = members
        .iter()
        .filter_map(|m| users.get(&m.user_id()?))
        .filter_map(|u| {
            let v = u.volunteer.as_ref()?;
            let minutes = u.years.get(&key).map_or(0, |y| y.minutes);
            (minutes < u64::from(minimum) * 60).then(|| ComplianceEntry {
                user_id: u.id.to_string(),
                real_name: v.real_name.clone(),
                volunteer_no: v.volunteer_no.clone(),
                region_code: v.region_code.to_string(),
                group,
                hours: hours(minutes),
                minimum_hours: minimum,
            })
        })
        .collect();
    Ok(Page {
        items,
        next_cursor: next_cursor(next, "compliance", scope)?,
    })
}
