//! Needs and matching: a resident posts, an organisation claims, makes an activity of it
//! and marks it done; the resident follows along; races for one need have one winner.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_tests::{DAY, TestApp, User, activity_body, spawn_app};

pub(crate) fn need_body() -> Value {
    json!({
        "title": "独居老人每周助餐",
        "description": "王奶奶腿脚不便，需要每周送两次午餐",
        "service_target": "empty_nest_elderly",
        "address": "东胜区铁西街道建设社区",
        "lat": 39.817,
        "lng": 109.977,
        "region_code": "150602",
        "when": "每周二、周五中午",
    })
}

async fn post_need(app: &TestApp, resident: &User) -> Value {
    let (status, need) = app.post("/api/needs", &need_body(), &resident.token).await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    need
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("need id").to_string()
}

pub(crate) async fn needs_counters(app: &TestApp) -> (u64, u64, u64) {
    let admin = app.province_admin().await;
    let r = app.get_as("/api/stats?region=150602", &admin).await;
    let t = &r["total"];
    (
        t["needs_open"].as_u64().expect("open"),
        t["needs_claimed"].as_u64().expect("claimed"),
        t["needs_done"].as_u64().expect("done"),
    )
}

#[tokio::test]
async fn a_resident_s_need_is_claimed_made_an_activity_of_and_done_while_the_resident_follows() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let need = post_need(&app, &resident).await;
    let nid = id(&need);
    assert_eq!(
        (need["status"].as_str(), need["mine"].as_bool()),
        (Some("open"), Some(true))
    );
    assert_eq!(needs_counters(&app).await, (1, 0, 0));

    // Anyone finds it near the place and in the banner's list.
    let (status, near) = app.get("/api/needs?lat=39.82&lng=109.98&radius_km=5").await;
    assert_eq!(status, StatusCode::OK, "{near}");
    assert_eq!(near["items"][0]["id"], nid.as_str());
    assert!(near["items"][0]["distance_m"].as_f64().expect("distance") < 1000.0);
    assert_eq!(near["items"][0]["mine"], false);
    let (_, far) = app.get("/api/needs?lat=39.60&lng=109.78&radius_km=5").await;
    assert_eq!(far["items"], json!([]), "not within 5 km of elsewhere");
    let (_, listed) = app.get("/api/needs?region=150600").await;
    assert_eq!(listed["items"][0]["id"], nid.as_str());

    // An organizer claims it for their organisation; the resident is told.
    let (organizer, org) = app.approved_org("150602").await;
    let (status, claimed) = app
        .post(
            &format!("/api/needs/{nid}/claim"),
            &json!({"org_id": org}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["status"], "claimed");
    assert_eq!(needs_counters(&app).await, (0, 1, 0));
    let (_, open_now) = app.get("/api/needs?region=150602").await;
    assert_eq!(open_now["items"], json!([]), "no longer open");
    let notices = app.get_as("/api/me/notices", &resident.token).await;
    assert_eq!(notices["items"][0]["kind"], "need_claimed");
    assert_eq!(notices["items"][0]["link"], format!("/needs/{nid}"));

    // It becomes an activity, which the need points to.
    let mut body = activity_body(&org, &[(3 * DAY, 2 * 3600, 4)]);
    body["need_id"] = json!(nid);
    let activity = app.publish(&organizer, &body).await;
    let (_, seen) = app.get(&format!("/api/needs/{nid}")).await;
    assert_eq!(seen["activity_id"], activity["id"]);

    // Done; the resident's own list shows it.
    let (status, done) = app
        .post(
            &format!("/api/needs/{nid}/complete"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("done"))
    );
    let (status, again) = app
        .post(
            &format!("/api/needs/{nid}/complete"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(
        (status, again["status"].as_str()),
        (StatusCode::OK, Some("done"))
    );
    let mine = app.get_as("/api/me/needs", &resident.token).await;
    assert_eq!(mine["items"][0]["status"], "done");
    assert_eq!(mine["items"][0]["claimed_by_org_id"], org.as_str());
    assert_eq!(needs_counters(&app).await, (0, 0, 1));
}

#[tokio::test]
async fn each_bad_field_of_a_need_is_named_and_nothing_is_posted() {
    let app = spawn_app().await;
    let resident = app.register().await;
    for (field, value) in [
        ("title", json!("")),
        ("description", json!("x".repeat(1001))),
        ("service_target", json!("aliens")),
        ("address", json!("")),
        ("lat", json!(null)),
        ("lat", json!(95.0)),
        ("region_code", json!("159999")),
        ("when", json!("")),
    ] {
        let mut body = need_body();
        body[field] = value;
        let (status, err) = app.post("/api/needs", &body, &resident.token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    let mine = app.get_as("/api/me/needs", &resident.token).await;
    assert_eq!(mine["items"], json!([]));
    for (query, field) in [
        ("", "region"),
        ("lat=39.8", "lng"),
        ("lat=abc&lng=109", "lat"),
        ("region=150602&status=lost", "status"),
        ("lat=39.8&lng=109.9&radius_km=500", "radius_km"),
    ] {
        let (status, err) = app.get(&format!("/api/needs?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {err}");
        assert_eq!(err["error"]["field"], field, "{query}");
    }
    let (status, _) = app.get("/api/needs/01HZZZZZZZZZZZZZZZZZZZZZZZ").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.post("/api/needs", &need_body(), "not-a-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_the_claiming_organisation_acts_on_a_need_and_an_unclaimed_need_makes_no_activity() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let nid = id(&post_need(&app, &resident).await);
    let (first, org1) = app.approved_org("150602").await;
    let (second, org2) = app.approved_org("150603").await;

    // An activity for a need nobody claimed is refused, and none is made.
    let mut body = activity_body(&org1, &[(3 * DAY, 3600, 2)]);
    body["need_id"] = json!(nid);
    let (status, err) = app.post("/api/activities", &body, &first.token).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("need_not_claimed"))
    );
    let (_, listed) = app.get(&format!("/api/activities?org_id={org1}")).await;
    assert_eq!(listed["items"], json!([]));

    let claim = |who: &User, org: &str| {
        let path = format!("/api/needs/{nid}/claim");
        let body = json!({ "org_id": org });
        let token = who.token.clone();
        let app = &app;
        async move { app.post(&path, &body, &token).await }
    };
    let (status, _) = claim(&resident, &org1).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not an organizer of it");
    let (status, _) = claim(&first, &org2).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not their organisation");
    let (status, err) = app
        .post(
            &format!("/api/needs/{nid}/complete"),
            &Value::Null,
            &first.token,
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_state"))
    );
    let (status, _) = claim(&first, &org1).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = claim(&first, &org1).await;
    assert_eq!(status, StatusCode::OK, "claiming again changes nothing");
    let (status, err) = claim(&second, &org2).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_claimed"))
    );
    let (status, _) = app
        .post(
            &format!("/api/needs/{nid}/complete"),
            &Value::Null,
            &second.token,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post(
            "/api/needs/nonsense/claim",
            &json!({"org_id": org1}),
            &first.token,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = app
        .post(&format!("/api/needs/{nid}/claim"), &json!({}), &first.token)
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("org_id"))
    );
}

/// Eight organisations claim one need at once: one wins, the others hear it is taken,
/// and the counters moved once.
#[tokio::test]
async fn organisations_racing_for_one_need_leave_one_claim() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let nid = id(&post_need(&app, &resident).await);
    let mut orgs = Vec::new();
    for _ in 0..8 {
        orgs.push(app.approved_org("150602").await);
    }
    let path = format!("/api/needs/{nid}/claim");
    let bodies: Vec<Value> = orgs
        .iter()
        .map(|(_, org)| json!({ "org_id": org }))
        .collect();
    let answers = futures::future::join_all(
        orgs.iter()
            .zip(&bodies)
            .map(|((who, _), body)| app.post(&path, body, &who.token)),
    )
    .await;
    let won = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let lost = answers
        .iter()
        .filter(|(s, b)| *s == StatusCode::CONFLICT && b["error"]["code"] == "already_claimed")
        .count();
    assert_eq!((won, lost), (1, 7), "{answers:?}");
    assert_eq!(needs_counters(&app).await, (0, 1, 0));
    let notices = app.get_as("/api/me/notices", &resident.token).await;
    assert_eq!(
        notices["items"].as_array().map(Vec::len),
        Some(1),
        "told once"
    );
}

#[tokio::test]
async fn a_need_at_a_point_too_close_to_zero_to_store_is_posted_at_zero() {
    // Found by the OpenAPI fuzzer: DynamoDB stores no number below 1e-130, so such a
    // longitude failed the whole write (a 503). It is the equator's meridian to any map.
    let app = spawn_app().await;
    let resident = app.register().await;
    let mut body = need_body();
    body["lat"] = json!(-9.3e-46);
    body["lng"] = json!(2.2e-275);
    let (status, need) = app.post("/api/needs", &body, &resident.token).await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    let mine = app.get_as("/api/me/needs", &resident.token).await;
    // The poster sees the exact place; everyone sees the coarse cell's centre.
    assert_eq!(mine["items"][0]["place"]["lng"], json!(0.0), "{mine}");
    assert_eq!(mine["items"][0]["place"]["lat"], json!(0.0), "{mine}");
}
