//! My account (我的账号): change the password, download my data, close my account.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_functions::store::faults::FaultInjector;
use zhiyuan_tests::{
    PASSWORD, TestApp, User, activity_body, id_number, shift_under_way, spawn_app, spawn_app_on,
    volunteer_body,
};

const H: i64 = 3600;
const NEW_PASSWORD: &str = "brand-new-pass-2026";

async fn me_status(app: &TestApp, token: &str) -> StatusCode {
    app.get_with("/api/me", Some(token)).await.0
}

async fn login_status(app: &TestApp, phone: &str, password: &str) -> StatusCode {
    app.send_json(
        Method::POST,
        "/api/auth/login",
        &json!({"phone": phone, "password": password}),
        None,
    )
    .await
    .0
}

async fn change(app: &TestApp, token: &str, current: &str, new: &str) -> (StatusCode, Value) {
    app.post(
        "/api/me/password",
        &json!({"current_password": current, "new_password": new}),
        token,
    )
    .await
}

async fn close(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.post("/api/me/close", &body, token).await
}

/// A real-name volunteer of a name and ID number of its own; returns it and the number.
async fn named_volunteer(app: &TestApp, name: &str) -> (User, String) {
    let u = app.register().await;
    let id = id_number(app.next());
    let mut body = volunteer_body(&id);
    body["real_name"] = name.into();
    let (status, json) = app.post("/api/me/volunteer", &body, &u.token).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    (u, id)
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session_and_only_the_new_one_signs_in() {
    let app = spawn_app().await;
    let u = app.register().await;
    let other_device = app.login(&u.phone, PASSWORD).await;
    let (status, body) = change(&app, &u.token, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fresh = body["token"].as_str().expect("a fresh token");
    assert_eq!(me_status(&app, fresh).await, StatusCode::OK);
    assert_eq!(me_status(&app, &u.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_status(&app, &other_device).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, &u.phone, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, &u.phone, NEW_PASSWORD).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_password_changes_name_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let u = app.register().await;
    for (current, new, field, why) in [
        ("wrong-pass-2026", NEW_PASSWORD, "current_password", "wrong"),
        (PASSWORD, "short", "new_password", "at least 8"),
        (PASSWORD, "1234567890", "new_password", "only digits"),
        (PASSWORD, PASSWORD, "new_password", "differ"),
        ("", NEW_PASSWORD, "current_password", "required"),
    ] {
        let (status, err) = change(&app, &u.token, current, new).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{current}/{new}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
        assert!(
            err["error"]["message"].as_str().unwrap_or("").contains(why),
            "{err}"
        );
        assert_eq!(
            me_status(&app, &u.token).await,
            StatusCode::OK,
            "still signed in"
        );
    }
    assert_eq!(login_status(&app, &u.phone, PASSWORD).await, StatusCode::OK);
}

#[tokio::test]
async fn my_data_holds_everything_of_mine_and_nothing_of_another_volunteer_in_the_same_activity() {
    let app = spawn_app().await;
    let (a, a_id) = named_volunteer(&app, "欧阳青").await;
    let (b, b_id) = named_volunteer(&app, "司马雪").await;
    let (organizer, _, shift) = shift_under_way(&app, &[&a, &b], 5 * H, 4 * H).await;
    let now = now_unix();
    for v in [&a, &b] {
        let rec = app
            .attendance(&organizer, &shift, &v.id, now - 5 * H, Some(now - H))
            .await;
        let record = rec["id"].as_str().expect("record id");
        let (status, body) = app
            .post(
                &format!("/api/records/{record}/confirm"),
                &Value::Null,
                &organizer.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let export = |u: &User| {
        app.http
            .get(format!("{}/api/me/export", app.base))
            .bearer_auth(&u.token)
            .send()
    };
    let (ra, rb) = (
        export(&a).await.expect("sent"),
        export(&b).await.expect("sent"),
    );
    assert_eq!(ra.status(), StatusCode::OK);
    let disposition = ra
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"zhiyuan-my-data-")
            && disposition.ends_with(".json\""),
        "{disposition}"
    );
    let (da, db): (Value, Value) = (
        ra.json().await.expect("json"),
        rb.json().await.expect("json"),
    );
    assert_eq!(da["account"]["user_id"], a.id);
    assert_eq!(
        da["account"]["phone"], a.phone,
        "the whole phone, for its owner"
    );
    assert_eq!(
        da["volunteer"]["id_number"],
        a_id.as_str(),
        "the whole ID number"
    );
    assert_eq!(da["volunteer"]["profile"]["real_name"], "欧阳青");
    assert_eq!(da["records"].as_array().map(Vec::len), Some(1));
    assert_eq!(da["records"][0]["user_id"], a.id);
    assert_eq!(da["signups"][0]["shift_id"], shift.as_str());
    assert_eq!(da["totals"]["served_minutes"], 240);
    let (ta, tb) = (da.to_string(), db.to_string());
    for (mine, theirs, who) in [(&ta, &tb, "a"), (&tb, &ta, "b")] {
        let (other, other_id) = if who == "a" { (&b, &b_id) } else { (&a, &a_id) };
        let other_name = if who == "a" { "司马雪" } else { "欧阳青" };
        for leak in [
            other.id.as_str(),
            other.phone.as_str(),
            other_id.as_str(),
            other_name,
        ] {
            assert!(!mine.contains(leak), "{who}'s export names {leak}: {mine}");
        }
        assert!(theirs.contains(other_name));
    }
}

#[tokio::test]
async fn a_closed_account_signs_in_nowhere_frees_its_phone_and_id_number_and_leaves_the_statistics_as_they_were()
 {
    let app = spawn_app().await;
    let (a, a_id) = named_volunteer(&app, "欧阳青").await;
    let (organizer, _, served) = shift_under_way(&app, &[&a], 5 * H, 4 * H).await;
    let now = now_unix();
    let rec = app
        .attendance(&organizer, &served, &a.id, now - 5 * H, Some(now - H))
        .await;
    let record = rec["id"].as_str().expect("record id").to_string();
    let (status, _) = app
        .post(
            &format!("/api/records/{record}/confirm"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A future shift of one place: a holds it, b waits.
    let (host, _, future) = app.activity_with_places(1).await;
    let (b, _) = named_volunteer(&app, "司马雪").await;
    assert_eq!(app.sign_up(&a.token, &future).await.0, StatusCode::CREATED);
    assert_eq!(app.sign_up(&b.token, &future).await.0, StatusCode::CREATED);
    let year = zhiyuan_functions::service::stats::year_of(now);
    let stats_path = format!("/api/stats?region=150602&year={year}");
    let (_, stats_before) = app.get(&stats_path).await;

    // The re-check: a wrong password and an SMS code change nothing.
    let (status, err) = close(&app, &a.token, json!({"password": "wrong-pass-2026"})).await;
    assert_eq!(
        (status, &err["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("password"))
    );
    let (status, err) = close(&app, &a.token, json!({"code": "123456"})).await;
    assert_eq!(
        (status, &err["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("code"))
    );
    let (status, err) = close(&app, &a.token, json!({})).await;
    assert_eq!(
        (status, &err["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("password"))
    );
    assert_eq!(me_status(&app, &a.token).await, StatusCode::OK);

    let (status, body) = close(&app, &a.token, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(me_status(&app, &a.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get_with("/api/me/export", Some(&a.token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, &a.phone, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );

    // The record stays counted, under the closed name.
    let (_, stats_after) = app.get(&stats_path).await;
    assert_eq!(stats_after, stats_before);
    let (records, _) = app
        .all_pages_as(&format!("/api/shifts/{served}/records"), &organizer.token)
        .await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["real_name"], "已注销志愿者");
    assert_eq!(records[0]["status"], "confirmed", "{}", records[0]);
    assert_eq!(
        records[0]["id_masked"], "",
        "not even the masked ID number stays"
    );
    let (roster, _) = app
        .all_pages_as(&format!("/api/shifts/{served}/signups"), &organizer.token)
        .await;
    assert!(
        roster.iter().all(|r| r["real_name"] == "已注销志愿者"),
        "{roster:?}"
    );
    assert!(!format!("{records:?}{roster:?}").contains("欧阳青"));

    // The future place passed to the waitlist.
    let (roster, _) = app
        .all_pages_as(&format!("/api/shifts/{future}/signups"), &host.token)
        .await;
    assert_eq!(roster.len(), 1, "{roster:?}");
    assert_eq!(
        (&roster[0]["user_id"], &roster[0]["status"]),
        (&json!(b.id), &json!("confirmed"))
    );

    // The same person can come back with the same phone and ID number, starting afresh.
    let again = app.register_phone(&a.phone).await;
    assert_ne!(again.id, a.id);
    let (status, body) = app
        .post("/api/me/volunteer", &volunteer_body(&a_id), &again.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let me = app.get_as("/api/me", &again.token).await;
    assert_eq!(me["total_hours"], 0.0);
}

#[tokio::test]
async fn a_close_racing_sign_ups_and_a_second_close_leaves_no_place_taken_and_one_closed_account() {
    let app = spawn_app().await;
    let (a, _) = named_volunteer(&app, "欧阳青").await;
    let (organizer, org) = app.approved_org("150602").await;
    let mut shifts = Vec::new();
    for i in 0..3 {
        // Three days apart, so no shift overlaps another.
        let body = activity_body(&org, &[((3 + 3 * i) * 24 * H, H, 2)]);
        let published = app.publish(&organizer, &body).await;
        let shift = published["shifts"][0]["id"]
            .as_str()
            .expect("shift")
            .to_string();
        let activity = published["id"].as_str().expect("id").to_string();
        shifts.push((shift, activity));
    }
    let closes = (0..2).map(|_| close(&app, &a.token, json!({"password": PASSWORD})));
    let signups = shifts.iter().map(|(s, _)| app.sign_up(&a.token, s));
    let (closed, signed) = tokio::join!(join_all(closes), join_all(signups));
    assert!(
        closed.iter().all(|(s, _)| *s == StatusCode::NO_CONTENT),
        "{closed:?}"
    );
    assert!(
        signed
            .iter()
            .all(|(s, _)| [StatusCode::CREATED, StatusCode::UNAUTHORIZED].contains(s)),
        "{signed:?}"
    );
    assert_eq!(me_status(&app, &a.token).await, StatusCode::UNAUTHORIZED);
    for (shift, activity) in &shifts {
        let (_, act) = app.get(&format!("/api/activities/{activity}")).await;
        let s = act["shifts"]
            .as_array()
            .expect("shifts")
            .iter()
            .find(|s| s["id"] == shift.as_str())
            .expect("the shift")
            .clone();
        assert_eq!(
            s["taken"], 0,
            "no place stays held by the closed account: {s}"
        );
    }
}

#[tokio::test]
async fn a_closing_that_dies_after_the_account_closed_is_finished_by_the_scheduled_run() {
    use zhiyuan_functions::service::my_account::finish_closings;
    let app = spawn_app().await;
    let (a, _) = named_volunteer(&app, "欧阳青").await;
    let (b, _) = named_volunteer(&app, "司马雪").await;
    let (host, _, future) = app.activity_with_places(1).await;
    assert_eq!(app.sign_up(&a.token, &future).await.0, StatusCode::CREATED);
    assert_eq!(app.sign_up(&b.token, &future).await.0, StatusCode::CREATED);
    // The same deployment on a store that dies after its third write: the re-check's
    // throttle slot taken and given back, then the closing.
    let crashing = spawn_app_on(app.store.with_faults(FaultInjector::crash_after_writes(3))).await;
    let (status, _) = close(&crashing, &a.token, json!({"password": PASSWORD})).await;
    assert!(
        status.is_server_error(),
        "the crash fails the request: {status}"
    );
    assert_eq!(
        me_status(&app, &a.token).await,
        StatusCode::UNAUTHORIZED,
        "closed"
    );
    let path = format!("/api/shifts/{future}/signups");
    let (before, _) = app.all_pages_as(&path, &host.token).await;
    assert!(
        before.iter().any(|r| r["user_id"] == a.id.as_str()),
        "the tidying had not run: {before:?}"
    );

    let sender = zhiyuan_functions::notify::NoticeSender::Log;
    assert_eq!(finish_closings(&app.store, sender).await.expect("run"), 1);
    let (after, _) = app.all_pages_as(&path, &host.token).await;
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(
        (&after[0]["user_id"], &after[0]["status"]),
        (&json!(b.id), &json!("confirmed"))
    );
    assert_eq!(
        finish_closings(&app.store, sender).await.expect("run"),
        0,
        "nothing is left to finish"
    );
}

#[tokio::test]
async fn an_organizers_uploads_are_in_their_data_and_lose_their_name_when_they_close() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(2 * 24 * H, H, 3)]))
        .await;
    let activity = a["id"].as_str().expect("activity id").to_string();
    app.attach(&organizer, &activity, "photo", "合影.jpg").await;
    let (status, data) = app.get_with("/api/me/export", Some(&organizer.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(data["uploads"].as_array().map(Vec::len), Some(1), "{data}");
    assert_eq!(data["uploads"][0]["name"], "合影.jpg");
    assert_eq!(data["uploads"][0]["activity_id"], activity.as_str());

    let (status, _) = close(&app, &organizer.token, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let files = app.store.attachments_of(&activity).await.expect("files");
    assert_eq!(files.len(), 1, "the archive keeps the file");
    assert_eq!(files[0].uploaded_by_name, "已注销志愿者");
}
