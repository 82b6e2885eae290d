//! Needs privacy: others see a need's area (its banner and the centre of its ≈ 1 km cell),
//! what is needed and when; the exact place and the poster go only to the poster, the
//! organisation that claimed it and the region admins over it. The poster withdraws an
//! open need; a withdrawal racing a claim has one winner.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_tests::{TestApp, User, spawn_app};

const ADDRESS: &str = "东胜区铁西街道建设社区7号楼3单元";
const EXACT_LAT: f64 = 39.817_123;
const EXACT_LNG: f64 = 109.977_345;

fn need_at(lat: f64, lng: f64) -> Value {
    json!({
        "title": "独居老人每周助餐",
        "description": "需要每周送两次午餐",
        "service_target": "empty_nest_elderly",
        "address": ADDRESS,
        "lat": lat,
        "lng": lng,
        "region_code": "150602",
        "when": "每周二、周五中午",
    })
}

async fn post_need(app: &TestApp, poster: &User, lat: f64, lng: f64) -> String {
    let (status, need) = app
        .post("/api/needs", &need_at(lat, lng), &poster.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    need["id"].as_str().expect("id").to_string()
}

async fn claim(app: &TestApp, nid: &str, organizer: &User, org: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/needs/{nid}/claim"),
        &json!({ "org_id": org }),
        &organizer.token,
    )
    .await
}

async fn withdraw(app: &TestApp, nid: &str, who: &User) -> (StatusCode, Value) {
    app.post(
        &format!("/api/needs/{nid}/withdraw"),
        &Value::Null,
        &who.token,
    )
    .await
}

/// The need `nid` as one list or detail answer shows it to `token`.
async fn seen(app: &TestApp, path: &str, nid: &str, token: Option<&str>) -> Value {
    let (status, body) = app.get_with(path, token).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    if body["id"] == nid {
        return body;
    }
    body["items"]
        .as_array()
        .and_then(|items| items.iter().find(|n| n["id"] == nid))
        .cloned()
        .unwrap_or_else(|| panic!("{path} does not list {nid}: {body}"))
}

/// Whether a shown need carries the exact place; checks that nothing of it leaks when not.
fn shows_exact_place(n: &Value) -> bool {
    let text = n.to_string();
    let exact = n.get("place").is_some();
    if exact {
        assert_eq!(n["place"]["address"], ADDRESS, "{n}");
        assert_eq!(n["place"]["lat"], EXACT_LAT, "{n}");
        assert_eq!(n["place"]["lng"], EXACT_LNG, "{n}");
        assert!(n["place"]["posted_by"].is_string(), "{n}");
    } else {
        for secret in [ADDRESS, "39.817123", "109.977345", "posted_by", "address"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
    // Everyone gets the area: the banner and a point that is not the exact one.
    assert_eq!(n["region_code"], "150602", "{n}");
    assert_ne!(n["lat"].as_f64(), Some(EXACT_LAT), "{n}");
    assert_ne!(n["lng"].as_f64(), Some(EXACT_LNG), "{n}");
    exact
}

/// Every viewer × (list, near me, detail): the area for all, the exact place and the poster
/// for the poster, the claiming organisation's organizer and region admins over the need.
#[tokio::test]
async fn each_viewer_sees_the_exact_place_only_when_allowed_in_every_view() {
    let app = spawn_app().await;
    let poster = app.register().await;
    let nid = post_need(&app, &poster, EXACT_LAT, EXACT_LNG).await;
    let (claimer, org) = app.approved_org("150602").await;
    let (status, body) = claim(&app, &nid, &claimer, &org).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (other_organizer, _) = app.approved_org("150602").await;
    let viewers: Vec<(&str, Option<User>, bool)> = vec![
        ("anonymous", None, false),
        ("another volunteer", Some(app.volunteer().await), false),
        ("the poster", Some(poster), true),
        ("organizer of the claiming org", Some(claimer), true),
        ("organizer of another org", Some(other_organizer), false),
        (
            "admin of the need's banner",
            Some(app.region_admin("150602").await),
            true,
        ),
        (
            "admin of the city over it",
            Some(app.region_admin("150600").await),
            true,
        ),
        (
            "admin of another banner",
            Some(app.region_admin("150603").await),
            false,
        ),
    ];
    let views = [
        "/api/needs?region=150602&status=claimed".to_string(),
        "/api/needs?lat=39.82&lng=109.98&radius_km=5&status=claimed".to_string(),
        format!("/api/needs/{nid}"),
    ];
    for (who, user, allowed) in &viewers {
        for path in &views {
            let token = user.as_ref().map(|u| u.token.as_str());
            let n = seen(&app, path, &nid, token).await;
            assert_eq!(shows_exact_place(&n), *allowed, "{who} on {path}: {n}");
        }
    }
}

#[tokio::test]
async fn two_needs_in_one_cell_show_the_same_point_and_distance_to_everyone() {
    let app = spawn_app().await;
    let (a_poster, b_poster) = (app.register().await, app.register().await);
    // About 150 m apart, in one cell of the grid.
    let a = post_need(&app, &a_poster, EXACT_LAT, EXACT_LNG).await;
    let b = post_need(&app, &b_poster, EXACT_LAT + 0.001, EXACT_LNG + 0.001).await;
    let near = "/api/needs?lat=39.80&lng=109.95&radius_km=10";
    let (na, nb) = (
        seen(&app, near, &a, None).await,
        seen(&app, near, &b, None).await,
    );
    for key in ["lat", "lng", "distance_m"] {
        assert_eq!(na[key], nb[key], "{key}: {na} / {nb}");
    }
    // Asking from elsewhere or again moves nothing: the point is the cell's, not a jitter.
    let again = seen(&app, "/api/needs?lat=39.9&lng=110.0&radius_km=20", &a, None).await;
    assert_eq!(
        (again["lat"].clone(), again["lng"].clone()),
        (na["lat"].clone(), na["lng"].clone())
    );
    // The poster sees their own exact place beside the shared point.
    let own = seen(&app, near, &a, Some(&a_poster.token)).await;
    assert_eq!(own["place"]["lat"], EXACT_LAT);
    assert_eq!(own["lat"], na["lat"]);
}

#[tokio::test]
async fn the_poster_withdraws_an_open_need_and_it_leaves_the_public_lists() {
    let app = spawn_app().await;
    let poster = app.register().await;
    let nid = post_need(&app, &poster, EXACT_LAT, EXACT_LNG).await;
    let stranger = app.volunteer().await;

    let (status, err) = withdraw(&app, &nid, &stranger).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_poster"))
    );
    let (status, _) = app
        .send_json(
            reqwest::Method::POST,
            &format!("/api/needs/{nid}/withdraw"),
            &Value::Null,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, done) = withdraw(&app, &nid, &poster).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("withdrawn"))
    );
    let (status, again) = withdraw(&app, &nid, &poster).await;
    assert_eq!(
        (status, again["status"].as_str()),
        (StatusCode::OK, Some("withdrawn")),
        "again: the same"
    );

    let (_, listed) = app.get("/api/needs?region=150602").await;
    assert_eq!(listed["items"], json!([]));
    let (_, near) = app.get("/api/needs?lat=39.82&lng=109.98&radius_km=5").await;
    assert_eq!(near["items"], json!([]));
    let (status, err) = app.get("/api/needs?region=150602&status=withdrawn").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("status"))
    );
    let (status, _) = app.get(&format!("/api/needs/{nid}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "hidden from others once withdrawn"
    );
    let (status, _) = withdraw(&app, &nid, &stranger).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mine = app.get_as("/api/me/needs", &poster.token).await;
    assert_eq!(mine["items"][0]["status"], "withdrawn");

    // It can no longer be claimed, and it left the open count.
    let (organizer, org) = app.approved_org("150602").await;
    let (status, err) = claim(&app, &nid, &organizer, &org).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("need_withdrawn"))
    );
    let admin = app.province_admin().await;
    let stats = app.get_as("/api/stats?region=150602", &admin).await;
    assert_eq!(stats["total"]["needs_open"], 0, "{stats}");
}

#[tokio::test]
async fn a_claimed_need_cannot_be_withdrawn() {
    let app = spawn_app().await;
    let poster = app.register().await;
    let nid = post_need(&app, &poster, EXACT_LAT, EXACT_LNG).await;
    let (organizer, org) = app.approved_org("150602").await;
    assert_eq!(claim(&app, &nid, &organizer, &org).await.0, StatusCode::OK);
    let (status, err) = withdraw(&app, &nid, &poster).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_state"))
    );
    let (_, shown) = app.get(&format!("/api/needs/{nid}")).await;
    assert_eq!(shown["status"], "claimed");
}

/// A withdrawal and a claim sent at once: exactly one wins, the other is refused by name,
/// and the need and the counters agree with the winner.
#[tokio::test]
async fn a_withdrawal_racing_a_claim_has_one_winner() {
    let app = spawn_app().await;
    let poster = app.register().await;
    let (organizer, org) = app.approved_org("150602").await;
    let admin = app.province_admin().await;
    for round in 0..4 {
        let nid = post_need(&app, &poster, EXACT_LAT, EXACT_LNG).await;
        let (w, c) = tokio::join!(
            withdraw(&app, &nid, &poster),
            claim(&app, &nid, &organizer, &org)
        );
        let (_, shown) = app
            .get_with(&format!("/api/needs/{nid}"), Some(&poster.token))
            .await;
        match (w.0, c.0) {
            (StatusCode::OK, StatusCode::CONFLICT) => {
                assert_eq!(c.1["error"]["code"], "need_withdrawn", "round {round}");
                assert_eq!(shown["status"], "withdrawn");
            }
            (StatusCode::CONFLICT, StatusCode::OK) => {
                assert_eq!(w.1["error"]["code"], "wrong_state", "round {round}");
                assert_eq!(shown["status"], "claimed");
            }
            other => panic!("round {round}: both or neither won: {other:?} {w:?} {c:?}"),
        }
    }
    let stats = app.get_as("/api/stats?region=150602", &admin).await;
    let t = &stats["total"];
    assert_eq!(t["needs_open"], 0, "{stats}");
    let claimed = t["needs_claimed"].as_u64().expect("claimed");
    let mine = app.get_as("/api/me/needs", &poster.token).await;
    let claimed_listed = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["status"] == "claimed")
        .count() as u64;
    assert_eq!(claimed, claimed_listed);
}
