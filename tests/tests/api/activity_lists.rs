//! Lists that scale: a banner's or city's activities come from its own listing, "near me"
//! from the geohash cells around the point, the province's from its cities' listings
//! merged (or its field's own listing), all paged with cursors to the end; "本周有活动" for
//! the province from the stations' activities by start; needs near a point page by
//! distance. The rest of the province is never read.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use zhiyuan_functions::ids::{OrgId, StationId, UserId};
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::activities::{ActivityItem, ShiftInfo, ShiftItem};
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::geo::{LatLng, distance_m};
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    DAY, TestApp, fresh_store, listed_activity, spawn_app, spawn_app_on, station_body,
};

const HOUR: i64 = 3600;
/// 东胜区's centre.
const HOME: (f64, f64) = (39.817, 109.977);

fn now() -> i64 {
    zhiyuan_functions::clock::now_unix()
}

/// `n` activities of `region` at points `at(i)`, starting an hour apart from the next hour.
fn batch(
    n: usize,
    region: &str,
    at: impl Fn(usize) -> (f64, f64),
) -> Vec<(ActivityItem, Vec<ShiftItem>)> {
    let (org, by) = (OrgId::generate(), UserId::generate());
    (0..n)
        .map(|i| {
            let (lat, lng) = at(i);
            let p = LatLng::new(lat, lng).expect("point");
            listed_activity(&org, &by, region, p, now() + HOUR * (1 + i as i64))
        })
        .collect()
}

/// Every page of a list, following its cursors, and the items DynamoDB read for them.
async fn all_pages(app: &TestApp, store: &Store, path: &str) -> (Vec<Vec<Value>>, u64) {
    let read_before = store.calls().items_read;
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            None => path.to_string(),
            Some(c) => format!("{path}&cursor={c}"),
        };
        let (status, page) = app.get(&url).await;
        assert_eq!(status, StatusCode::OK, "{url}: {page}");
        pages.push(page["items"].as_array().cloned().unwrap_or_default());
        cursor = page["next_cursor"].as_str().map(String::from);
        if cursor.is_none() {
            return (pages, store.calls().items_read - read_before);
        }
    }
}

fn ids(pages: &[Vec<Value>]) -> Vec<String> {
    pages
        .iter()
        .flatten()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect()
}

fn ends(pages: &[Vec<Value>]) -> Vec<String> {
    pages
        .iter()
        .flatten()
        .map(|a| a["shifts"][0]["ends_at"].as_str().expect("end").to_string())
        .collect()
}

#[tokio::test]
async fn a_banner_and_its_city_list_their_own_activities_without_reading_the_province() {
    let store = fresh_store().await;
    let app = spawn_app_on(store.clone()).await;
    let mine = batch(3, "150602", |_| HOME);
    // 呼和浩特's activities: the rest of the province.
    let elsewhere = batch(150, "150102", |i| (40.84 + i as f64 * 1e-4, 111.75));
    store.put_activities_batch(&mine).await.expect("load");
    store.put_activities_batch(&elsewhere).await.expect("load");

    let (pages, read) = all_pages(&app, &store, "/api/activities?region=150602&limit=2").await;
    let want: Vec<String> = mine.iter().map(|(a, _)| a.id.to_string()).collect();
    assert_eq!(ids(&pages), want, "soonest-ending first, over two pages");
    assert_eq!(pages.len(), 2);
    // Its three listing entries (one read twice where the pages meet) and, for each of
    // the three shifts, the shift, its place counter and its waitlist count — not the 150.
    assert!(read <= 13, "read {read} items for a banner of 3");

    let (city, _) = all_pages(&app, &store, "/api/activities?region=150600").await;
    assert_eq!(ids(&city), want);
    let (hohhot, _) = all_pages(&app, &store, "/api/activities?region=150100&limit=40").await;
    let listed = ids(&hohhot);
    assert_eq!(listed.len(), 150);
    assert_eq!(
        listed.iter().collect::<HashSet<_>>().len(),
        150,
        "no repeats"
    );
    assert_eq!(hohhot.len(), 4);
}

#[tokio::test]
async fn near_me_merges_the_cells_around_the_point_in_time_order_to_the_end() {
    let store = fresh_store().await;
    let app = spawn_app_on(store.clone()).await;
    // 25 within ≈ 18 km, spread over several cells; 5 at 30–40 km; 50 in 呼和浩特.
    let near = batch(25, "150602", |i| {
        let f = i as f64 / 24.0;
        (
            HOME.0 - 0.12 + 0.24 * f,
            HOME.1 + 0.15 - 0.3 * ((i * 7 % 25) as f64 / 24.0),
        )
    });
    let ring = batch(5, "150621", |i| (HOME.0 + 0.3, HOME.1 + 0.05 * i as f64));
    let far = batch(50, "150102", |_| (40.84, 111.75));
    for b in [&near, &ring, &far] {
        store.put_activities_batch(b).await.expect("load");
    }
    let path = format!(
        "/api/activities?lat={}&lng={}&radius_km=20&limit=7",
        HOME.0, HOME.1
    );
    let (pages, read) = all_pages(&app, &store, &path).await;
    let centre = LatLng::new(HOME.0, HOME.1).expect("centre");
    let want: HashSet<String> = near
        .iter()
        .chain(&ring)
        .filter(|(a, _)| distance_m(centre, a.at) <= 20_000.0)
        .map(|(a, _)| a.id.to_string())
        .collect();
    assert_eq!(want.len(), 25);
    let got = ids(&pages);
    assert_eq!(got.len(), 25, "every one once");
    assert_eq!(got.iter().cloned().collect::<HashSet<_>>(), want);
    assert_eq!(pages.len(), 4);
    let order = ends(&pages);
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "in time order");
    assert!(
        pages
            .iter()
            .flatten()
            .all(|a| a["distance_m"].as_f64().is_some_and(|d| d <= 20_000.0))
    );
    // The circle's cells (under 55 listing entries) and, for the 25 listed, each shift
    // with its place counter and waitlist count (75): not the 50 in 呼和浩特.
    assert!(read < 130, "read {read} items");
}

#[tokio::test]
async fn a_near_cursor_that_was_not_made_here_is_refused() {
    let app = spawn_app().await;
    let (status, body) = app
        .get("/api/activities?lat=39.8&lng=109.9&cursor=eyJraW5kIjoiYWN0aXZpdGllcyJ9")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn needs_near_a_point_page_nearest_first_to_the_end() {
    let app = spawn_app().await;
    let resident = app.register().await;
    for i in 0..5 {
        let body = json!({
            "title": format!("助餐 {i}"),
            "description": "需要每周送两次午餐",
            "service_target": "empty_nest_elderly",
            "address": "东胜区铁西街道建设社区",
            "lat": HOME.0 + 0.01 * i as f64,
            "lng": HOME.1,
            "region_code": "150602",
            "when": "每周二",
        });
        let (status, need) = app.post("/api/needs", &body, &resident.token).await;
        assert_eq!(status, StatusCode::CREATED, "{need}");
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!(
            "/api/needs?lat={}&lng={}&radius_km=10&limit=2",
            HOME.0, HOME.1
        );
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = app.get(&url).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        for n in page["items"].as_array().expect("items") {
            seen.push(n["distance_m"].as_f64().expect("distance"));
        }
        cursor = page["next_cursor"].as_str().map(String::from);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!((pages, seen.len()), (3, 5));
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "nearest first: {seen:?}"
    );
}

#[tokio::test]
async fn the_province_list_merges_its_cities_in_time_order_to_the_end_without_repeats() {
    let store = fresh_store().await;
    let app = spawn_app_on(store.clone()).await;
    // Three cities' activities interleaved in time, and two placed at the province level.
    let mut all = batch(9, "150602", |_| HOME);
    all.extend(batch(12, "150102", |_| (40.84, 111.75)));
    all.extend(batch(5, "150203", |_| (40.65, 109.84)));
    all.extend(batch(2, "150000", |_| (40.82, 111.66)));
    store.put_activities_batch(&all).await.expect("load");
    let want: HashSet<String> = all.iter().map(|(a, _)| a.id.to_string()).collect();

    for path in [
        "/api/activities?limit=4",
        "/api/activities?region=150000&limit=5",
    ] {
        let (pages, read) = all_pages(&app, &store, path).await;
        let got = ids(&pages);
        assert_eq!(got.len(), 28, "{path}: every one");
        assert_eq!(
            got.iter().cloned().collect::<HashSet<_>>(),
            want,
            "{path}: once each"
        );
        let order = ends(&pages);
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "{path}: in time order"
        );
        // (The last may be empty: a city's Query that stopped exactly at its end says so
        // only when read again.)
        let full = &pages[..pages.len() - 1];
        assert!(full.iter().all(|p| !p.is_empty()), "{path}: no empty pages");
        // Each listed shift with its counter and waitlist count, and per page a few
        // entries of each city it draws from (at most 4 cities × 4 per round).
        assert!(read <= 3 * 28 + 7 * 16, "{path}: read {read} items");
    }
}

#[tokio::test]
async fn the_province_list_of_one_field_reads_that_fields_own_listing() {
    let store = fresh_store().await;
    let app = spawn_app_on(store.clone()).await;
    let mut rescue = batch(5, "150602", |_| HOME);
    for (a, _) in &mut rescue {
        a.service_field = ServiceField::EmergencyRescue;
    }
    // 150 of another field, ending sooner: a filter on the province would read them all.
    let elder = batch(150, "150102", |_| (40.84, 111.75));
    store.put_activities_batch(&elder).await.expect("load");
    store.put_activities_batch(&rescue).await.expect("load");

    let (pages, read) = all_pages(
        &app,
        &store,
        "/api/activities?field=emergency_rescue&limit=2",
    )
    .await;
    let want: Vec<String> = rescue.iter().map(|(a, _)| a.id.to_string()).collect();
    assert_eq!(ids(&pages), want, "soonest-ending first, to the end");
    assert_eq!(pages.len(), 3);
    // Its five entries from each page's start (5, 3, 1) and 3 items per shift: not the 150.
    assert!(read <= 5 + 3 + 1 + 15, "read {read} items");
    let (narrowed, _) = all_pages(
        &app,
        &store,
        "/api/activities?region=150000&field=emergency_rescue",
    )
    .await;
    assert_eq!(ids(&narrowed), want);
}

/// An activity at `station` with shifts starting at `starts` (3 hours each).
fn at_station(station: &str, region: &str, starts: &[i64]) -> (ActivityItem, Vec<ShiftItem>) {
    let (org, by) = (OrgId::generate(), UserId::generate());
    let at = LatLng::new(HOME.0, HOME.1).expect("point");
    let (mut a, _) = listed_activity(&org, &by, region, at, starts[0]);
    a.station_id = Some(StationId::trusted(station));
    a.station_name = Some("站".into());
    a.shifts = starts
        .iter()
        .enumerate()
        .map(|(i, s)| ShiftInfo {
            n: i as u8 + 1,
            starts_at: Timestamp::from_unix(*s),
            ends_at: Timestamp::from_unix(s + 3 * HOUR),
            capacity: 20,
            counters: 0,
        })
        .collect();
    a.first_start = a.shifts[0].starts_at;
    a.until = a.shifts[starts.len() - 1].ends_at;
    let shifts = a.shifts.iter().map(|s| ShiftItem::new(&a.id, s)).collect();
    (a, shifts)
}

#[tokio::test]
async fn this_week_for_the_province_finds_a_station_whose_activity_ends_far_in_the_future() {
    let app = spawn_app().await;
    let store = app.store.clone();
    let station = |name: &str| station_body(name, "150602", 39.81, 109.97, "community");
    let far = app.create_station(&station("远期站")).await;
    let busy = app.create_station(&station("热闹站")).await;
    let t = now();
    // A shift in two days and the last one in 200 days: it ends after everything else.
    let long = at_station(&far, "150602", &[t + 2 * DAY, t + 100 * DAY, t + 200 * DAY]);
    // Ahead of it in time: 300 activities at another station starting in 10 to 40 days,
    // and 40 long-running ones there whose first shift is in 20 days.
    let mut others: Vec<_> = (0..300)
        .map(|i| at_station(&busy, "150102", &[t + 10 * DAY + i * 2 * HOUR]))
        .collect();
    others.extend(
        (0..40).map(|i| at_station(&busy, "150203", &[t + 20 * DAY + i * HOUR, t + 150 * DAY])),
    );
    store.put_activities_batch(&others).await.expect("load");
    store.put_activities_batch(&[long]).await.expect("load");

    let read_before = store.calls().items_read;
    let (status, week) = app.get("/api/stations?this_week=true&limit=100").await;
    assert_eq!(status, StatusCode::OK, "{week}");
    let names: Vec<&str> = week["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["远期站"]);
    // The long-running ones still to end (41) and the stations: not the 300 ahead of it.
    let read = store.calls().items_read - read_before;
    assert!(read < 120, "read {read} items");
}
