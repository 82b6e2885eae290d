//! Rules of fair play: nobody confirms, enters or corrects their own hours; an
//! organisation publishes only within its own region; a rejected organisation's name is
//! free again.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    DAY, TestApp, User, activity_body, move_shift, org_body, spawn_app, station_body,
};

const H: i64 = 3600;

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

/// An ended shift of a fresh 东胜区 organisation that its own organizer and a volunteer
/// both served: (organizer, shift id).
async fn shift_the_organizer_served(app: &TestApp, v: &User) -> (User, String) {
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, H, 2)]))
        .await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    for who in [&organizer, v] {
        let (status, body) = app.sign_up(&who.token, &shift).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let now = now_unix();
    move_shift(&app.store, &shift, now - 3 * H, now - 2 * H).await;
    (organizer, shift)
}

fn times(check_in: i64, check_out: i64) -> Value {
    json!({
        "check_in": Timestamp::from_unix(check_in).rfc3339_cst(),
        "check_out": Timestamp::from_unix(check_out).rfc3339_cst(),
    })
}

#[tokio::test]
async fn an_organizer_enters_confirms_and_corrects_others_hours_never_their_own() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (organizer, shift) = shift_the_organizer_served(&app, &v).await;
    let admin = app.region_admin("150602").await;
    let now = now_unix();
    let attendance = format!("/api/shifts/{shift}/attendance");

    // Hand entry: their own is refused by name and writes nothing; the volunteer's is fine.
    let mut own = times(now - 3 * H, now - 2 * H);
    own["user_id"] = json!(organizer.id);
    let (status, err) = app.post(&attendance, &own, &organizer.token).await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::FORBIDDEN, Some("own_record"))
    );
    let records = app
        .get_as(&format!("/api/shifts/{shift}/records"), &organizer.token)
        .await;
    assert_eq!(records["items"], json!([]), "nothing written");
    app.attendance(&organizer, &shift, &v.id, now - 3 * H, Some(now - 2 * H))
        .await;
    // A region admin over the organisation enters the organizer's hours instead.
    let (status, mine) = app.post(&attendance, &own, &admin.token).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let my_record = mine["id"].as_str().expect("record").to_string();

    // Confirming or correcting one's own record: 403 own_record, and it stays pending.
    let (status, err) = app
        .post(
            &format!("/api/records/{my_record}/confirm"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::FORBIDDEN, Some("own_record"))
    );
    let mut correction = times(now - 3 * H, now - 2 * H + 1800);
    correction["reason"] = json!("多记半小时");
    let (status, err) = app
        .post(
            &format!("/api/records/{my_record}/correct"),
            &correction,
            &organizer.token,
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::FORBIDDEN, Some("own_record"))
    );

    // Confirming the whole shift confirms the volunteer's and skips, and says, their own.
    let (status, all) = app
        .post(
            &format!("/api/shifts/{shift}/records/confirm"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        (&all["confirmed"], &all["skipped_own"]),
        (&json!(1), &json!(1)),
        "{all}"
    );
    let detail = app
        .get_as(&format!("/api/records/{my_record}"), &organizer.token)
        .await;
    assert_eq!(detail["record"]["status"], "pending", "{detail}");

    // Another manager confirms it.
    let (status, done) = app
        .post(
            &format!("/api/records/{my_record}/confirm"),
            &Value::Null,
            &admin.token,
        )
        .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("confirmed"))
    );
}

#[tokio::test]
async fn an_organisation_publishes_only_within_its_own_region() {
    let app = spawn_app().await;
    let (banner_org_organizer, banner_org) = app.approved_org("150602").await;
    let (city_org_organizer, city_org) = app.approved_org("150600").await;
    let kangbashi = app
        .create_station(&station_body(
            "康巴什区新时代文明实践站",
            "150603",
            39.608,
            109.781,
            "community",
        ))
        .await;

    // A 东胜区 organisation: not at an address in 康巴什区, not at a station there.
    let mut elsewhere = activity_body(&banner_org, &[(2 * DAY, H, 5)]);
    elsewhere["region_code"] = json!("150603");
    let (status, err) = app
        .post("/api/activities", &elsewhere, &banner_org_organizer.token)
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::FORBIDDEN, Some("outside_org_region")),
        "{err}"
    );
    let mut at_station = activity_body(&banner_org, &[(2 * DAY, H, 5)]);
    at_station["station_id"] = json!(kangbashi);
    let (status, err) = app
        .post("/api/activities", &at_station, &banner_org_organizer.token)
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::FORBIDDEN, Some("outside_org_region")),
        "{err}"
    );
    let (_, listed) = app
        .get(&format!("/api/activities?org_id={banner_org}"))
        .await;
    assert_eq!(listed["items"], json!([]), "nothing published");

    // The city's organisation publishes in any of its banners.
    for body in [
        {
            let mut b = activity_body(&city_org, &[(2 * DAY, H, 5)]);
            b["region_code"] = json!("150603");
            b
        },
        {
            let mut b = activity_body(&city_org, &[(3 * DAY, H, 5)]);
            b["station_id"] = json!(kangbashi);
            b
        },
        activity_body(&city_org, &[(4 * DAY, H, 5)]),
    ] {
        let (status, a) = app
            .post("/api/activities", &body, &city_org_organizer.token)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
    }
}

#[tokio::test]
async fn a_rejected_organisation_frees_its_name_for_a_new_one() {
    let app = spawn_app().await;
    let (first, second) = (app.volunteer().await, app.volunteer().await);
    let admin = app.region_admin("150602").await;
    let body = org_body("铁西红马甲志愿队", "150602");
    let (status, org) = app
        .send_json(Method::POST, "/api/orgs", &body, Some(&first.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    let id = org["id"].as_str().expect("id");

    // While it waits, the name is taken.
    let (status, err) = app
        .send_json(Method::POST, "/api/orgs", &body, Some(&second.token))
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, Some("org_name_taken"))
    );

    let (status, rejected) = app
        .post(
            &format!("/api/orgs/{id}/reject"),
            &json!({"reason": "材料不全"}),
            &admin.token,
        )
        .await;
    assert_eq!(
        (status, rejected["status"].as_str()),
        (StatusCode::OK, Some("rejected"))
    );

    let (status, again) = app
        .send_json(Method::POST, "/api/orgs", &body, Some(&second.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "the name is free: {again}");
    // ... and held again by the new one.
    let third = app.volunteer().await;
    let (status, err) = app
        .send_json(Method::POST, "/api/orgs", &body, Some(&third.token))
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, Some("org_name_taken"))
    );
}
