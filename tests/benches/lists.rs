//! `make bench`: activity lists at 1,000, 10,000 and 100,000 activities across the province
//! in DynamoDB Local. Two lists, paged through the HTTP API to their end: a banner's next
//! week (`region=150602&to=…`) and "near me, 20 km" (`lat&lng&radius_km=20`). For each
//! request: DynamoDB calls and items read (what read capacity pays for, filters included).
//!
//! What is listed stays the same at every size: 60 activities in 东胜区 (150602) within
//! 10 km of the query point, starting within the week. The rest of the province grows
//! around it (other banners, more than 80 km away, starting within 90 days), so a list whose
//! cost follows what it lists stays flat, and one that reads the province does not. For
//! contrast, the last rows read the same banner's week the way lists did before: one page of
//! the province listing with a region filter (`BENCH_SIZES=1000,10000,50000` for a quicker
//! run on a loaded machine).

use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use zhiyuan_functions::ids::{OrgId, UserId};
use zhiyuan_functions::seed;
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::activities::{ActivityItem, ListFilter, ListScope, ShiftItem};
use zhiyuan_shared::geo::{LatLng, distance_m};
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{fresh_store, listed_activity, spawn_app_on};

const HOME_BANNER: &str = "150602";
const HOME: (f64, f64) = (39.817, 109.977);
const HOME_ACTIVITIES: usize = 60;
/// Background activities keep this far from the query point.
const AWAY_M: f64 = 80_000.0;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const PAGE: usize = 20;
/// Each list is paged through this many times (latency samples).
const RUNS: usize = 5;

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
        out.push(listed_activity(&org, &by, HOME_BANNER, at, starts));
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
        out.push(listed_activity(&org, &by, &banner, at, starts));
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

async fn page_through(app: &zhiyuan_tests::TestApp, store: &Store, path: &str) -> Measured {
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
            if cursor.is_none() {
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
        ),
        (
            "near me, 20 km",
            format!(
                "/api/activities?lat={}&lng={}&radius_km=20&limit={PAGE}",
                HOME.0, HOME.1
            ),
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
        for (name, path) in &lists {
            let mut m = page_through(&app, &store, path).await;
            m.ms.sort_by(f64::total_cmp);
            rows.push((n, *name, m));
        }
        // The same banner's week read the way it was before: the province listing, filtered.
        let before = total_calls(&store);
        let filter = ListFilter {
            published_only: true,
            region_prefix: Some(HOME_BANNER.into()),
            starts_before: Some(now + 7 * DAY),
            ..ListFilter::default()
        };
        let (found, _) = store
            .activities_page(
                ListScope::Province("15"),
                Timestamp::from_unix(now),
                filter,
                None,
                PAGE,
            )
            .await
            .expect("province page");
        let after = total_calls(&store);
        before_rows.push((n, found.len(), after.0 - before.0, after.1 - before.1));
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
        "Before: the same banner's week as one page of the province listing (GSI4 ACTPROV#15 + filter)"
    );
    println!("| activities | items on the page | calls | items read |");
    println!("|---:|---:|---:|---:|");
    for (n, items, calls, read) in &before_rows {
        println!("| {n} | {items} | {calls} | {read} |");
    }
    println!();
    let (small, large) = (sizes[0], *sizes.last().unwrap_or(&0));
    for (name, _) in &lists {
        let get = |n: usize| rows.iter().find(|r| r.0 == n && r.1 == *name).map(|r| &r.2);
        if let (Some(a), Some(b)) = (get(small), get(large)) {
            let calls = Measured::mean(&b.calls) / Measured::mean(&a.calls);
            let read = Measured::mean(&b.read) / Measured::mean(&a.read);
            println!(
                "{name}: {large} ÷ {small}: calls/req {calls:.2}, items read/req {read:.2} (goal ≤ 1.3)"
            );
        }
    }
}
