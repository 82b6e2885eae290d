use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;
use zhiyuan_functions::seed;
use zhiyuan_shared::geo::{LatLng, distance_m};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::station::{FiveHave, StationDraft, StationType};
use zhiyuan_tests::{TestApp, spawn_app, station_body, test_keys};

const BANNERS: [&str; 3] = ["150602", "150603", "150627"];

/// A 五有达标 station of the given type at a point.
fn draft(name: &str, region: &str, lat: f64, lng: f64, station_type: StationType) -> StationDraft {
    StationDraft {
        name: name.to_string(),
        station_type,
        region_code: RegionCode::parse(region).expect("code"),
        address: "测试地址".into(),
        location: LatLng::new(lat, lng).expect("point"),
        opening_hours: String::new(),
        contact: String::new(),
        description: String::new(),
        five_have: FiveHave::ALL,
        demonstration: false,
    }
}

/// `n` stations scattered within ~40 km of Kangbashi, of varied types and banners.
async fn random_stations(app: &TestApp, n: usize, seed: u64) -> Vec<(String, StationDraft)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let stations: Vec<(String, StationDraft)> = (0..n)
        .map(|i| {
            let lat = 39.608 + rng.gen_range(-0.35..0.35);
            let lng = 109.781 + rng.gen_range(-0.45..0.45);
            let kind = StationType::ALL[rng.gen_range(0..4)];
            let d = draft(&format!("站点{i}"), BANNERS[i % 3], lat, lng, kind);
            (ulid::Ulid::new().to_string(), d)
        })
        .collect();
    seed::put_stations(&app.store, &stations)
        .await
        .expect("seed stations");
    stations
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The expected answer, computed the slow way: every station's distance, sorted.
fn brute_force(
    stations: &[(String, StationDraft)],
    lat: f64,
    lng: f64,
    radius_km: f64,
    filter: impl Fn(&StationDraft) -> bool,
) -> Vec<String> {
    let p = LatLng::new(lat, lng).expect("point");
    let mut within: Vec<(f64, String)> = stations
        .iter()
        .filter(|(_, d)| filter(d))
        .map(|(id, d)| (distance_m(p, d.location), id.clone()))
        .filter(|(dist, _)| *dist <= radius_km * 1000.0)
        .collect();
    within.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    within.into_iter().map(|(_, id)| id).collect()
}

#[tokio::test]
async fn nearby_search_is_nearest_first_exactly_as_a_brute_force_sort() {
    let app = spawn_app().await;
    let stations = random_stations(&app, 300, 11).await;
    let mut rng = StdRng::seed_from_u64(99);
    for _ in 0..25 {
        let lat = 39.608 + rng.gen_range(-0.4..0.4);
        let lng = 109.781 + rng.gen_range(-0.5..0.5);
        let radius = [0.5, 2.0, 5.0, 12.5, 30.0, 50.0][rng.gen_range(0..6)];
        let expected = brute_force(&stations, lat, lng, radius, |_| true);
        let (got, _) = app
            .all_pages(&format!(
                "/api/stations?lat={lat}&lng={lng}&radius_km={radius}&limit=37"
            ))
            .await;
        assert_eq!(ids(&got), expected, "at {lat},{lng} r={radius}km");
        let distances: Vec<u64> = got
            .iter()
            .map(|i| i["distance_m"].as_u64().expect("distance_m"))
            .collect();
        assert!(
            distances.windows(2).all(|w| w[0] <= w[1]),
            "distances ascend"
        );
    }
}

#[tokio::test]
async fn a_page_of_stations_is_sent_compressed_to_a_browser_that_accepts_it_and_reads_the_same() {
    use std::io::Read;
    let app = spawn_app().await;
    random_stations(&app, 100, 13).await;
    let url = format!("{}/api/stations?region=150600&limit=100", app.base);
    let fetch = |encoding: &'static str| {
        let req = app.http.get(&url).header("accept-encoding", encoding);
        async move { req.send().await.expect("GET") }
    };
    let plain = fetch("identity").await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.expect("body");

    let gz = fetch("gzip").await;
    assert_eq!(gz.status(), StatusCode::OK);
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["content-type"], "application/json");
    let gz = gz.bytes().await.expect("body");
    assert!(
        gz.len() * 3 < plain.len(),
        "{} bytes of {}",
        gz.len(),
        plain.len()
    );
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut text)
        .expect("gzip");
    assert_eq!(text, plain.to_vec());

    let br = fetch("br, gzip").await;
    assert_eq!(br.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn nearby_search_with_filters_matches_the_brute_force_answer() {
    let app = spawn_app().await;
    let stations = random_stations(&app, 200, 12).await;
    let (lat, lng) = (39.7, 109.85);
    let expected = brute_force(&stations, lat, lng, 50.0, |d| {
        d.station_type == StationType::Community && d.region_code.as_str() == "150602"
    });
    let (got, _) = app
        .all_pages(&format!(
            "/api/stations?lat={lat}&lng={lng}&radius_km=50&type=community&region=150602&limit=10"
        ))
        .await;
    assert!(!expected.is_empty());
    assert_eq!(ids(&got), expected);
}

#[tokio::test]
async fn a_nearby_search_costs_at_most_nine_queries_and_no_scan() {
    let app = spawn_app().await;
    random_stations(&app, 120, 13).await;
    for radius in [0.3, 3.0, 20.0, 50.0] {
        let before = app.store.calls();
        let (status, _) = app
            .get(&format!(
                "/api/stations?lat=39.61&lng=109.78&radius_km={radius}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        let after = app.store.calls();
        assert!(
            after.queries - before.queries <= 9,
            "{} queries at r={radius}",
            after.queries - before.queries
        );
        assert_eq!(after.scans, 0);
    }
}

#[tokio::test]
async fn paging_a_region_returns_every_station_exactly_once() {
    let app = spawn_app().await;
    let stations = random_stations(&app, 95, 14).await;
    let (items, pages) = app.all_pages("/api/stations?region=150600&limit=7").await;
    assert_eq!(pages, 14);
    let got: HashSet<String> = ids(&items).into_iter().collect();
    assert_eq!(got.len(), items.len(), "no station twice");
    let all: HashSet<String> = stations.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(got, all);

    // A banner is a prefix of the city: only its own stations, still each once.
    let (banner, _) = app.all_pages("/api/stations?region=150603&limit=4").await;
    let expected: HashSet<String> = stations
        .iter()
        .filter(|(_, d)| d.region_code.as_str() == "150603")
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(ids(&banner).into_iter().collect::<HashSet<_>>(), expected);
    assert_eq!(banner.len(), expected.len());
}

#[tokio::test]
async fn a_type_filter_pages_through_only_that_type() {
    let app = spawn_app().await;
    let stations = random_stations(&app, 80, 15).await;
    let (items, _) = app
        .all_pages("/api/stations?region=150600&type=practice_station&limit=3")
        .await;
    let expected: HashSet<String> = stations
        .iter()
        .filter(|(_, d)| d.station_type == StationType::PracticeStation)
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(ids(&items).into_iter().collect::<HashSet<_>>(), expected);
    assert_eq!(items.len(), expected.len());
    assert!(
        items
            .iter()
            .all(|i| i["station_type"] == "practice_station")
    );
}

#[tokio::test]
async fn bad_query_parameters_get_a_400_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        ("lat=91&lng=109", "lat"),
        ("lat=39&lng=181", "lng"),
        ("lat=abc&lng=109", "lat"),
        ("lat=39", "lng"),
        ("lat=39&lng=109&radius_km=0", "radius_km"),
        ("lat=39&lng=109&radius_km=10000", "radius_km"),
        ("lat=39&lng=109&radius_km=-3", "radius_km"),
        ("radius_km=5", "radius_km"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("type=castle", "type"),
        ("region=15060", "region"),
        ("cursor=not-a-cursor", "cursor"),
        ("lat=39&lng=109&cursor=eyJrIjoicmVnaW9uIn0", "cursor"),
    ];
    for (query, field) in cases {
        let (status, body) = app.get(&format!("/api/stations?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["code"], "invalid_field", "{query}");
        assert_eq!(body["error"]["field"], field, "{query}");
        assert!(!body["error"]["message"].as_str().unwrap_or("").is_empty());
    }
}

#[tokio::test]
async fn a_repeated_query_parameter_counts_once_with_its_last_value_and_unknown_ones_are_ignored() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/stations?limit=ten&limit=5&colour=red").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.get("/api/stations?limit=5&limit=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "limit");
}

#[tokio::test]
async fn this_week_is_true_or_false() {
    let app = spawn_app().await;
    for value in ["true", "false", "1", "0", ""] {
        let (status, body) = app.get(&format!("/api/stations?this_week={value}")).await;
        assert_eq!(status, StatusCode::OK, "{value}: {body}");
    }
    let (status, body) = app.get("/api/stations?this_week=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_field");
    assert_eq!(body["error"]["field"], "this_week");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("must be true or false"), "{message}");
}

#[tokio::test]
async fn a_cursor_from_another_region_is_refused() {
    let app = spawn_app().await;
    random_stations(&app, 30, 16).await;
    let (_, page) = app.get("/api/stations?region=150602&limit=2").await;
    let cursor = page["next_cursor"].as_str().expect("more pages");
    let (status, body) = app
        .get(&format!(
            "/api/stations?region=150603&limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "cursor");
}

#[tokio::test]
async fn an_unknown_station_is_a_404_with_the_error_body() {
    let app = spawn_app().await;
    for id in [
        "01JZZZZZZZZZZZZZZZZZZZZZZZ",
        "nope",
        "..%2F..%2Fetc%2Fpasswd",
    ] {
        let (status, body) = app.get(&format!("/api/stations/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(body["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn a_created_station_shows_its_page_with_the_contact_masked() {
    let app = spawn_app().await;
    let mut body = station_body("天骄社区志愿服务站", "150602", 39.82, 109.96, "community");
    body["five_have"]["operating_funds"] = json!(false);
    body["demonstration"] = json!(true);
    let id = app.create_station(&body).await;

    let (status, page) = app.get(&format!("/api/stations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["name"], "天骄社区志愿服务站");
    assert_eq!(page["contact_masked"], "138****5678");
    assert!(
        !page.to_string().contains("13812345678"),
        "the full number never leaves the server"
    );
    assert_eq!(page["five_have_complete"], false);
    assert_eq!(page["five_have"]["operating_funds"], false);
    assert_eq!(page["demonstration"], true);
    assert_eq!(page["upcoming_activities"], json!([]));

    let (_, near) = app
        .get("/api/stations?lat=39.82&lng=109.96&radius_km=1")
        .await;
    assert_eq!(ids(near["items"].as_array().expect("items")), vec![id]);
}

#[tokio::test]
async fn editing_a_station_moves_it_on_the_map() {
    let app = spawn_app().await;
    let admin = app.province_admin().await;
    let id = app
        .create_station(&station_body("移动站", "150602", 39.82, 109.96, "park"))
        .await;
    let moved = station_body("移动站", "150603", 39.60, 109.78, "park");
    let (status, page) = app
        .send_json(
            Method::PUT,
            &format!("/api/stations/{id}"),
            &moved,
            Some(admin.as_str()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (_, old_place) = app
        .get("/api/stations?lat=39.82&lng=109.96&radius_km=1")
        .await;
    assert_eq!(old_place["items"], json!([]));
    let (_, new_place) = app
        .get("/api/stations?lat=39.60&lng=109.78&radius_km=1")
        .await;
    assert_eq!(
        ids(new_place["items"].as_array().expect("items")),
        vec![id.clone()]
    );
    let (_, banner) = app.get("/api/stations?region=150602").await;
    assert_eq!(banner["items"], json!([]));
}

#[tokio::test]
async fn a_station_in_a_region_that_does_not_exist_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let admin = app.province_admin().await;
    for code in ["990000", "150699"] {
        let body = station_body("幽灵站", code, 39.8, 109.9, "park");
        let (status, err) = app
            .send_json(Method::POST, "/api/stations", &body, Some(admin.as_str()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{code}: {err}");
        assert_eq!(err["error"]["field"], "region_code");
    }
    let id = app
        .create_station(&station_body("真站", "150602", 39.8, 109.9, "park"))
        .await;
    let moved = station_body("真站", "990000", 39.8, 109.9, "park");
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/stations/{id}"),
            &moved,
            Some(admin.as_str()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, page) = app.get(&format!("/api/stations/{id}")).await;
    assert_eq!(page["region_code"], "150602", "the station kept its region");
    let (items, _) = app.all_pages("/api/stations?region=150000&limit=100").await;
    assert_eq!(ids(&items), vec![id], "only the real station exists");
}

#[tokio::test]
async fn station_writes_need_a_region_admin_of_the_stations_region() {
    let app = spawn_app().await;
    let body = station_body("未授权站", "150602", 39.82, 109.96, "park");
    for token in [None, Some("wrong-token"), Some("")] {
        let (status, err) = app
            .send_json(Method::POST, "/api/stations", &body, token)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(err["error"]["code"], "unauthorized");
    }
    let (status, _) = app
        .send_json(
            Method::PUT,
            "/api/stations/01JZZZZZZZZZZZZZZZZZZZZZZZ",
            &body,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let volunteer = app.volunteer().await;
    let neighbour = app.region_admin("150603").await;
    for who in [&volunteer, &neighbour] {
        let (status, err) = app
            .send_json(Method::POST, "/api/stations", &body, Some(&who.token))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    }
    let (_, list) = app.get("/api/stations?region=150600").await;
    assert_eq!(list["items"], json!([]), "nothing was written");
    let banner_admin = app.region_admin("150602").await;
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/stations",
            &body,
            Some(&banner_admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "the banner's own admin may");
}

#[tokio::test]
async fn a_station_manager_edits_their_station_but_cannot_move_it_to_another_region() {
    let app = spawn_app().await;
    let id = app
        .create_station(&station_body("管理站", "150602", 39.82, 109.96, "park"))
        .await;
    let manager = app
        .with_role(zhiyuan_shared::account::Role::StationManager, &id)
        .await;
    let mut edited = station_body("管理站（新）", "150602", 39.82, 109.96, "park");
    let (status, page) = app
        .send_json(
            Method::PUT,
            &format!("/api/stations/{id}"),
            &edited,
            Some(&manager.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["name"], "管理站（新）");
    edited["region_code"] = json!("150603");
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/stations/{id}"),
            &edited,
            Some(&manager.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = app
        .create_station(&station_body("别的站", "150602", 39.83, 109.97, "park"))
        .await;
    let (status, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/stations/{other}"),
            &edited,
            Some(&manager.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only their own station");
}

#[tokio::test]
async fn a_bad_station_body_is_refused_field_by_field_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.province_admin().await;
    let good = station_body("好站", "150602", 39.82, 109.96, "park");
    let cases: Vec<(&str, Value, &str)> = vec![
        ("name", json!(""), "name"),
        ("name", json!("站".repeat(200)), "name"),
        ("station_type", json!("castle"), "station_type"),
        ("region_code", json!("abc"), "region_code"),
        ("lat", json!(95.0), "lat"),
        ("lng", json!(-200.0), "lng"),
        ("address", json!("   "), "address"),
        ("contact", json!("<script>"), "contact"),
    ];
    for (key, value, field) in cases {
        let mut body = good.clone();
        body[key] = value;
        let (status, err) = app
            .send_json(Method::POST, "/api/stations", &body, Some(admin.as_str()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {err}");
        assert_eq!(err["error"]["field"], field);
    }
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/stations",
            &json!({"name": 5}),
            Some(admin.as_str()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"]["code"], "malformed_body");
    let (_, list) = app.get("/api/stations?region=150600").await;
    assert_eq!(list["items"], json!([]), "nothing was written");

    let (status, _) = app
        .send_json(
            Method::PUT,
            "/api/stations/01JZZZZZZZZZZZZZZZZZZZZZZZ",
            &good,
            Some(admin.as_str()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn demo_data_is_seeded_once_with_every_banner_and_type() {
    let app = spawn_app().await;
    let first = seed::init_local(&app.store, &test_keys())
        .await
        .expect("seed");
    assert!(
        matches!(first, seed::SeedOutcome::Seeded { stations, accounts: 4 } if stations >= 190)
    );
    assert_eq!(
        seed::init_local(&app.store, &test_keys())
            .await
            .expect("second run"),
        seed::SeedOutcome::AlreadySeeded
    );
    let (items, _) = app.all_pages("/api/stations?region=150600&limit=100").await;
    assert!(items.len() >= 190 && items.len() <= 200, "{}", items.len());
    for banner in [
        "150602", "150603", "150621", "150622", "150623", "150624", "150625", "150626", "150627",
    ] {
        assert!(items.iter().any(|i| i["region_code"] == banner), "{banner}");
    }
    for t in StationType::ALL {
        assert!(items.iter().any(|i| i["station_type"] == t.slug()), "{t:?}");
    }
}

#[tokio::test]
async fn a_dense_cluster_with_sparse_surroundings_still_pages_exactly() {
    // The density probe sees a crowded cell and searches a small circle first; that circle
    // holds too few stations for the page, so the search must widen and stay exact.
    let app = spawn_app().await;
    let mut rng = StdRng::seed_from_u64(21);
    let centre = (39.8165, 109.963);
    let draft = |i: usize, lat: f64, lng: f64| {
        draft(
            &format!("簇{i}"),
            "150602",
            lat,
            lng,
            StationType::Community,
        )
    };
    let mut stations: Vec<(String, StationDraft)> = (0..30)
        .map(|i| {
            (
                ulid::Ulid::new().to_string(),
                draft(
                    i,
                    centre.0 + rng.gen_range(-0.002..0.002),
                    centre.1 + rng.gen_range(-0.002..0.002),
                ),
            )
        })
        .collect();
    stations.extend((30..60).map(|i| {
        let (dist_deg, bearing) = (
            rng.gen_range(0.1..0.35),
            rng.gen_range(0.0..std::f64::consts::TAU),
        );
        (
            ulid::Ulid::new().to_string(),
            draft(
                i,
                centre.0 + dist_deg * bearing.sin(),
                centre.1 + dist_deg * bearing.cos(),
            ),
        )
    }));
    seed::put_stations(&app.store, &stations)
        .await
        .expect("seed");

    let before = app.store.calls();
    let (got, pages) = app
        .all_pages(&format!(
            "/api/stations?lat={}&lng={}&radius_km=50&limit=50",
            centre.0, centre.1
        ))
        .await;
    let queries = app.store.calls().queries - before.queries;
    assert_eq!(
        ids(&got),
        brute_force(&stations, centre.0, centre.1, 50.0, |_| true)
    );
    assert_eq!(pages, 2);
    // Worst case per page: probe 1 + ring 8 + second ring 16 + whole radius 9.
    assert!(queries <= 2 * 34, "{queries} queries for two pages");
}
