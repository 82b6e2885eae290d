//! `make bench`: activity lists at 1,000, 10,000 and 100,000 activities across the province
//! in DynamoDB Local. Through the HTTP API, paged with their cursors: a banner's next week
//! (`region=150602&to=…`), "near me, 20 km" (`lat&lng&radius_km=20`), one service field
//! across the province (`field=emergency_rescue`), each to its end, and the whole province
//! with no region (its first five pages: it lists everything); then "本周有活动" for the
//! province (the station ids the map keeps). For each request: DynamoDB calls and items
//! read (what read capacity pays for, filters included).
//!
//! What is listed stays the same at every size: 60 activities in 东胜区 (150602) within
//! 10 km of the query point, starting within the week, of the field emergency_rescue, at 10
//! stations. The rest of the province grows around it (other banners, more than 80 km away,
//! starting within 90 days, elderly care; those starting after the week at 500 other
//! stations), so a list whose cost follows what it lists stays flat, and one that reads the
//! province does not. For contrast, the last rows read the same lists the way they were
//! read before: the province listing with a filter (`BENCH_SIZES=1000,10000,50000` for a
//! quicker run on a loaded machine).

use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use zhiyuan_functions::ids::{OrgId, StationId, UserId};
use zhiyuan_functions::seed;
use zhiyuan_functions::service::regions::city_partitions;
use zhiyuan_functions::service::this_week::stations_with_activity_this_week;
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::activities::{ActivityItem, ListFilter, ShiftItem};
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::geo::{LatLng, distance_m};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{fresh_store, listed_activity, spawn_app_on};

const HOME_BANNER: &str = "150602";
const HOME: (f64, f64) = (39.817, 109.977);
const HOME_ACTIVITIES: usize = 60;
/// The home activities are at this many stations: the province's stations this week.
const HOME_STATIONS: usize = 10;
/// Pages read of the whole province's list (it lists everything, so it grows).
const PROVINCE_PAGES: usize = 5;
/// Background activities keep this far from the query point.
const AWAY_M: f64 = 80_000.0;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const PAGE: usize = 20;
/// Each list is paged through this many times (latency samples).
const RUNS: usize = 5;
const WEEK_ROW: &str = "本周有活动, province (stations)";

/// The same 60 activities near the point at every size, then the province around them.
fn activities(n: usize, now: i64, seed_no: u64) -> Vec<(ActivityItem, Vec<ShiftItem>)> {
    let regions = seed::regions().expect("regions");
    let cities: Vec<_> = regions
        .iter()
        .filter(|r| {
            r.parent_code
                .as_ref()
                .is_some_and(|p| p.as_str() == "150000")
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(seed_no);
    let org = OrgId::generate();
    let by = UserId::generate();
    let home = LatLng::new(HOME.0, HOME.1).expect("home");
    let mut out = Vec::with_capacity(n);
    for i in 0..HOME_ACTIVITIES.min(n) {
        // Within ≈ 10 km, starting at spread times over the next six days.
        let at = LatLng::new(
            HOME.0 + rng.gen_range(-0.07..0.07),
            HOME.1 + rng.gen_range(-0.09..0.09),
        )
        .expect("point");
        let starts = now + HOUR + (i as i64) * 6 * DAY / HOME_ACTIVITIES as i64;
        let (mut a, shifts) = listed_activity(&org, &by, HOME_BANNER, at, starts);
        a.service_field = ServiceField::EmergencyRescue;
        a.station_id = Some(StationId::trusted(format!(
            "HOMESTATION{:02}",
            i % HOME_STATIONS
        )));
        out.push((a, shifts));
    }
    while out.len() < n {
        let city = cities[rng.gen_range(0..cities.len())];
        let prefix = &city.code.as_str()[..4];
        let banner = format!("{prefix}{:02}", rng.gen_range(1..=9));
        let at = LatLng::new(
            city.lat + rng.gen_range(-0.5..0.5),
            city.lng + rng.gen_range(-0.7..0.7),
        )
        .expect("point");
        if banner == HOME_BANNER || distance_m(home, at) < AWAY_M {
            continue;
        }
        let starts = now + HOUR + rng.gen_range(0..90 * DAY);
        let (mut a, shifts) = listed_activity(&org, &by, &banner, at, starts);
        if starts > now + 8 * DAY {
            let station = rng.gen_range(0..500);
            a.station_id = Some(StationId::trusted(format!("STATION{station:03}")));
        }
        out.push((a, shifts));
    }
    out
}

fn total_calls(store: &Store) -> (u64, u64) {
    let c = store.calls();
    (c.queries + c.gets + c.writes + c.scans, c.items_read)
}

/// One list paged to its end, `RUNS` times.
struct Measured {
    pages: usize,
    items: usize,
    calls: Vec<u64>,
    read: Vec<u64>,
    ms: Vec<f64>,
}

impl Measured {
    fn mean(v: &[u64]) -> f64 {
        v.iter().sum::<u64>() as f64 / v.len().max(1) as f64
    }
}

/// A list paged to its end (or `max_pages`), `RUNS` times.
async fn page_through(
    app: &zhiyuan_tests::TestApp,
    store: &Store,
    path: &str,
    max_pages: usize,
) -> Measured {
    let mut m = Measured {
        pages: 0,
        items: 0,
        calls: Vec::new(),
        read: Vec::new(),
        ms: Vec::new(),
    };
    for _ in 0..RUNS {
        let (mut pages, mut items) = (0, 0);
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                None => path.to_string(),
                Some(c) => format!("{path}&cursor={c}"),
            };
            let before = total_calls(store);
            let t = Instant::now();
            let (status, page) = app.get(&url).await;
            m.ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(status.is_success(), "{url}: {page}");
            let after = total_calls(store);
            m.calls.push(after.0 - before.0);
            m.read.push(after.1 - before.1);
            pages += 1;
            items += page["items"].as_array().map_or(0, Vec::len);
            cursor = page["next_cursor"].as_str().map(String::from);
            if cursor.is_none() || pages == max_pages {
                break;
            }
        }
        m.pages = pages;
        m.items = items;
    }
    m
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let now = zhiyuan_functions::clock::now_unix();
    let week_end = Timestamp::from_unix(now + 7 * DAY).rfc3339_cst();
    let to = week_end.replace('+', "%2B").replace(':', "%3A");
    let lists = [
        (
            "banner 150602, next week",
            format!("/api/activities?region={HOME_BANNER}&to={to}&limit={PAGE}"),
            usize::MAX,
        ),
        (
            "near me, 20 km",
            format!(
                "/api/activities?lat={}&lng={}&radius_km=20&limit={PAGE}",
                HOME.0, HOME.1
            ),
            usize::MAX,
        ),
        (
            "province, field emergency_rescue",
            format!("/api/activities?field=emergency_rescue&limit={PAGE}"),
            usize::MAX,
        ),
        (
            "province, no region (first 5 pages)",
            format!("/api/activities?limit={PAGE}"),
            PROVINCE_PAGES,
        ),
    ];
    let mut rows = Vec::new();
    let mut before_rows = Vec::new();
    for &n in &sizes {
        let store = fresh_store().await;
        let started = Instant::now();
        let all = activities(n, now, 42);
        let chunks: Vec<_> = all.chunks(500).collect();
        futures::stream::iter(chunks)
            .map(|c| {
                let store = store.clone();
                async move { store.put_activities_batch(c).await }
            })
            .buffer_unordered(4)
            .for_each(|r| async move { r.expect("load activities") })
            .await;
        eprintln!(
            "loaded {n} activities in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        let app = spawn_app_on(store.clone()).await;
        for _ in 0..5 {
            let _ = app.get(&lists[0].1).await;
        }
        for (name, path, max_pages) in &lists {
            let mut m = page_through(&app, &store, path, *max_pages).await;
            m.ms.sort_by(f64::total_cmp);
            rows.push((n, *name, m));
        }
        // 本周有活动 for the province: the stations the map keeps.
        let mut week = Measured {
            pages: 1,
            items: 0,
            calls: Vec::new(),
            read: Vec::new(),
            ms: Vec::new(),
        };
        for _ in 0..RUNS {
            let before = total_calls(&store);
            let t = Instant::now();
            let found =
                stations_with_activity_this_week(&store, &RegionCode::inner_mongolia(), now)
                    .await
                    .expect("this week");
            week.ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let after = total_calls(&store);
            week.calls.push(after.0 - before.0);
            week.read.push(after.1 - before.1);
            assert_eq!(
                found.len(),
                HOME_STATIONS,
                "the home stations, and only they"
            );
            week.items = found.len();
        }
        week.ms.sort_by(f64::total_cmp);
        rows.push((n, WEEK_ROW, week));
        // For contrast, the same lists read the way they were before: the province's
        // entries (as the province listing held them: its cities' listings, merged in
        // time order) with a filter.
        let cities = city_partitions("15").expect("cities");
        let province = |filter: ListFilter, after: Option<String>, limit: usize| {
            let (store, cities) = (store.clone(), cities.clone());
            async move {
                let from = Timestamp::from_unix(now);
                store
                    .activities_of_cities_page(&cities, from, after, filter, limit)
                    .await
                    .expect("province page")
            }
        };
        let before = total_calls(&store);
        let filter = ListFilter {
            published_only: true,
            region_prefix: Some(HOME_BANNER.into()),
            starts_before: Some(now + 7 * DAY),
            ..ListFilter::default()
        };
        let (found, _) = province(filter, None, PAGE).await;
        let after = total_calls(&store);
        before_rows.push((
            n,
            "banner 150602, next week (first page)",
            found.len(),
            after.0 - before.0,
            after.1 - before.1,
        ));
        let before = total_calls(&store);
        let filter = ListFilter {
            published_only: true,
            field: Some(ServiceField::EmergencyRescue),
            ..ListFilter::default()
        };
        let (found, _) = province(filter, None, PAGE).await;
        let after = total_calls(&store);
        before_rows.push((
            n,
            "province, field emergency_rescue (first page)",
            found.len(),
            after.0 - before.0,
            after.1 - before.1,
        ));
        // 本周有活动 as it was read: up to 10 pages of 100 of the province's entries, filtered
        // to activities starting within the week.
        let before = total_calls(&store);
        let mut stations = std::collections::HashSet::new();
        let mut after = None;
        for _ in 0..10 {
            let filter = ListFilter {
                published_only: true,
                starts_before: Some(now + 7 * DAY),
                ..ListFilter::default()
            };
            let (found, next) = province(filter, after, 100).await;
            stations.extend(found.into_iter().filter_map(|a| a.station_id));
            match next {
                Some(k) => after = Some(k),
                None => break,
            }
        }
        let done = total_calls(&store);
        before_rows.push((
            n,
            WEEK_ROW,
            stations.len(),
            done.0 - before.0,
            done.1 - before.1,
        ));
    }
    println!();
    println!(
        "Activity lists (GET /api/activities, limit {PAGE}, paged to the end, {RUNS} runs) against DynamoDB Local"
    );
    println!(
        "| activities | list | pages | items | calls/req (mean) | calls/req (max) | items read/req (mean) | items read/req (max) | p50 ms | p95 ms |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (n, name, m) in &rows {
        println!(
            "| {n} | {name} | {} | {} | {:.2} | {} | {:.1} | {} | {:.1} | {:.1} |",
            m.pages,
            m.items,
            Measured::mean(&m.calls),
            m.calls.iter().max().unwrap_or(&0),
            Measured::mean(&m.read),
            m.read.iter().max().unwrap_or(&0),
            percentile(&m.ms, 0.5),
            percentile(&m.ms, 0.95),
        );
    }
    println!();
    println!(
        "Before: the same lists read from the province's entries with a filter (as the province listing ACTPROV#15 was read)"
    );
    println!("| activities | list | items (stations) found | calls | items read |");
    println!("|---:|---|---:|---:|---:|");
    for (n, name, items, calls, read) in &before_rows {
        println!("| {n} | {name} | {items} | {calls} | {read} |");
    }
    println!();
    let (small, large) = (sizes[0], *sizes.last().unwrap_or(&0));
    let names = lists.iter().map(|l| l.0).chain([WEEK_ROW]);
    for name in names {
        let get = |n: usize| rows.iter().find(|r| r.0 == n && r.1 == name).map(|r| &r.2);
        if let (Some(a), Some(b)) = (get(small), get(large)) {
            let calls = Measured::mean(&b.calls) / Measured::mean(&a.calls);
            let read = Measured::mean(&b.read) / Measured::mean(&a.read);
            println!(
                "{name}: {large} ÷ {small}: calls/req {calls:.2}, items read/req {read:.2} (goal ≤ 1.3)"
            );
        }
    }
}
