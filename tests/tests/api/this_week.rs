//! "本周有活动": GET /api/stations?this_week=true keeps the stations with a published
//! activity that has a shift in the next 7 days, in a region listing and nearest first.

use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;
use zhiyuan_tests::{DAY, activity_body, spawn_app, station_body};

fn names(page: &Value) -> BTreeSet<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect()
}

#[tokio::test]
async fn only_the_station_with_an_activity_this_week_is_kept() {
    let app = spawn_app().await;
    let station = |name: &str, lng: f64| station_body(name, "150602", 39.81, lng, "community");
    let soon = app.create_station(&station("本周站", 109.97)).await;
    let later = app.create_station(&station("三周后站", 109.98)).await;
    app.create_station(&station("无活动站", 109.99)).await;
    let (organizer, org) = app.approved_org("150602").await;
    for (at, start) in [(&soon, 2 * DAY), (&later, 21 * DAY)] {
        let mut body = activity_body(&org, &[(start, 3 * 3600, 10)]);
        body["station_id"] = Value::String(at.clone());
        app.publish(&organizer, &body).await;
    }

    let (status, all) = app.get("/api/stations?region=150602&limit=100").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(names(&all).len(), 3);
    let only = BTreeSet::from(["本周站".to_string()]);
    let (status, week) = app
        .get("/api/stations?region=150602&limit=100&this_week=true")
        .await;
    assert_eq!(status, StatusCode::OK, "{week}");
    assert_eq!(names(&week), only);
    let (status, near) = app
        .get("/api/stations?lat=39.81&lng=109.98&radius_km=10&this_week=true")
        .await;
    assert_eq!(status, StatusCode::OK, "{near}");
    assert_eq!(names(&near), only);
    assert!(near["items"][0]["distance_m"].is_u64(), "{near}");
    let (_, off) = app
        .get("/api/stations?region=150602&limit=100&this_week=false")
        .await;
    assert_eq!(names(&off).len(), 3, "false keeps every station");
}

#[tokio::test]
async fn a_this_week_value_that_is_not_true_or_false_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/stations?this_week=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "this_week", "{body}");
}
