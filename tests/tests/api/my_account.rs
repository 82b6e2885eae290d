//! My account (我的账号): change the password, download my data, close my account.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_functions::service::sms_notices::drain;
use zhiyuan_functions::sms::SmsSender;
use zhiyuan_functions::store::faults::FaultInjector;
use zhiyuan_shared::appeal::AppealStatus;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    PASSWORD, TestApp, User, activity_body, id_number, phone, sample_file, shift_under_way,
    spawn_app, spawn_app_on, volunteer_aged, volunteer_body,
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
    let (ta, tb) = (app.rechecked(&a.token).await, app.rechecked(&b.token).await);
    let export = |t: &str| {
        app.http
            .get(format!("{}/api/me/export", app.base))
            .bearer_auth(t)
            .send()
    };
    let (ra, rb) = (
        export(&ta).await.expect("sent"),
        export(&tb).await.expect("sent"),
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
    app.minute_passes_for(&a.phone).await;
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
    // slot reserved and given back, then the closing.
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
    let files = zhiyuan_functions::files::Files::Local {
        dir: app.files_dir.clone(),
    };
    let finish = || finish_closings(&app.store, &app.keys, &files, sender);
    assert_eq!(finish().await.expect("run"), 1);
    let (after, _) = app.all_pages_as(&path, &host.token).await;
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(
        (&after[0]["user_id"], &after[0]["status"]),
        (&json!(b.id), &json!("confirmed"))
    );
    assert_eq!(finish().await.expect("run"), 0, "nothing is left to finish");
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
    let (status, data) = app
        .get_with(
            "/api/me/export",
            Some(&app.rechecked(&organizer.token).await),
        )
        .await;
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

// ------------------------------------------------ what the other features keep of a person

/// A time of day in Beijing tomorrow: outside quiet hours, so a due SMS goes.
fn tomorrow_at_ten() -> Timestamp {
    let day = Timestamp::from_unix(now_unix() + 86_400).cst_date().iso();
    Timestamp::parse(&format!("{day}T10:00:00+08:00")).expect("a time")
}

fn outbox(app: &TestApp) -> SmsSender {
    SmsSender::Outbox {
        path: app.outbox.clone(),
    }
}

async fn new_feed(app: &TestApp, user: &User) -> String {
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/calendar",
            &Value::Null,
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["url"].as_str().expect("url").to_string()
}

async fn feed_status(app: &TestApp, url: &str) -> StatusCode {
    app.http.get(url).send().await.expect("GET sent").status()
}

/// Files an identity appeal for `idn` (held by someone else) with a fresh photo; returns
/// the appeal's id.
async fn appeal(app: &TestApp, appellant: &User, idn: &str) -> String {
    let photo = unused_photo(app, appellant).await;
    let (status, body) = app
        .post(
            "/api/identity-appeals",
            &json!({
                "real_name": "李真名",
                "id_number": idn,
                "photo_id": photo,
                "reason": "这是我本人的身份证，我从未注册过，请核实。",
                "consent": true,
            }),
            &appellant.token,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().expect("appeal id").to_string()
}

/// An ID card photo uploaded and not (yet) named in an appeal; returns its id.
async fn unused_photo(app: &TestApp, user: &User) -> String {
    let bytes = sample_file("jpg", 2000);
    let (status, ticket) = app
        .post(
            "/api/identity-appeals/photo",
            &json!({"name": "身份证.jpg", "content_type": "image/jpeg", "size": bytes.len()}),
            &user.token,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert!(app.send_upload(&ticket, bytes).await.is_success());
    ticket["photo_id"].as_str().expect("photo id").to_string()
}

/// The sort keys left in a user's partition.
async fn partition_of(app: &TestApp, user_id: &str) -> Vec<String> {
    use aws_sdk_dynamodb::types::AttributeValue;
    let out = app
        .store
        .client()
        .query()
        .table_name(app.store.table_name())
        .key_condition_expression("PK = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(format!("USER#{user_id}")))
        .consistent_read(true)
        .send()
        .await
        .expect("query");
    out.items()
        .iter()
        .filter_map(|i| i.get("SK").and_then(|v| v.as_s().ok()).cloned())
        .collect()
}

#[tokio::test]
async fn closing_ends_the_calendar_feed_the_notice_settings_the_codes_and_every_sms_queued_before_it()
 {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (status, _) = app
        .send_json(
            Method::PUT,
            "/api/me/notice-settings",
            &json!({"sms": ["activity_cancelled"], "quiet_hours": false}),
            Some(&v.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let url = new_feed(&app, &v).await;
    assert_eq!(feed_status(&app, &url).await, StatusCode::OK);
    // A withdrawn confirmed shift leaves a cancellation marker for the feed.
    let (_, _, withdrawn) = app.activity_with_places(3).await;
    app.sign_up(&v.token, &withdrawn).await;
    assert_eq!(
        app.cancel_signup(&v.token, &withdrawn).await.0,
        StatusCode::NO_CONTENT
    );
    // A cancelled activity queues a text message; no dispatcher has run yet.
    let (organizer, a, shift) = app.activity_with_places(3).await;
    assert_eq!(app.sign_up(&v.token, &shift).await.1["status"], "confirmed");
    let (status, _) = app
        .post(
            &format!("/api/activities/{}/cancel", a["id"].as_str().expect("id")),
            &json!({"reason": "暴雪"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let notices = app.get_as("/api/me/notices", &v.token).await;
    let notice_ids: Vec<String> = notices["items"]
        .as_array()
        .expect("notices")
        .iter()
        .filter_map(|n| n["id"].as_str().map(str::to_string))
        .collect();
    let mut queued = 0;
    for id in &notice_ids {
        queued += usize::from(app.store.sms_item(id).await.expect("read").is_some());
    }
    assert_eq!(queued, 1, "the cancellation's SMS waits on the queue");
    // A reset code sent to the phone before the closing.
    app.minute_passes_for(&v.phone).await;
    app.request_code(&v.phone, "reset").await;
    let phone_index = app.keys.blind_index("phone", &v.phone);
    let later = now_unix() + 60;
    assert!(
        app.store
            .try_code(&phone_index, "reset", now_unix(), 99)
            .await
            .expect("try")
            .is_some()
    );

    let (status, body) = close(&app, &v.token, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    assert_eq!(
        feed_status(&app, &url).await,
        StatusCode::NOT_FOUND,
        "the feed URL ends at once"
    );
    let left = partition_of(&app, &v.id).await;
    for gone in [
        "CALFEED",
        "CALGONE#",
        "NOTICE_SETTINGS",
        "NOTICE#",
        "APPEALPHOTO#",
    ] {
        assert!(
            !left.iter().any(|sk| sk.starts_with(gone)),
            "{gone} survived the closing: {left:?}"
        );
    }
    assert!(
        app.store
            .notice_settings(&v.id)
            .await
            .expect("read")
            .is_none()
    );
    for id in &notice_ids {
        assert!(app.store.sms_item(id).await.expect("read").is_none());
    }
    assert!(
        app.store
            .try_code(&phone_index, "reset", later, 99)
            .await
            .expect("try")
            .is_none(),
        "the phone's codes are gone"
    );
    let run = drain(&app.store, &app.keys, &outbox(&app), tomorrow_at_ten())
        .await
        .expect("drained");
    assert_eq!(run.sent, 0, "{run:?}");
    assert!(
        app.sms_to(&v.phone)
            .iter()
            .all(|m| m["kind"] != "activity_cancelled"),
        "no notice reaches the closed person's phone"
    );
}

#[tokio::test]
async fn an_sms_the_dispatcher_reaches_before_the_tidying_is_never_sent_to_a_closed_account() {
    use zhiyuan_functions::store::faults::FaultInjector;
    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (organizer, a, shift) = app.activity_with_places(2).await;
    app.sign_up(&v.token, &shift).await;
    let (status, _) = app
        .post(
            &format!("/api/activities/{}/cancel", a["id"].as_str().expect("id")),
            &json!({"reason": "暴雪"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The closing commits (after the re-check's slot is reserved and given back), then
    // its request dies before the tidying deletes the SMS.
    let crashing = spawn_app_on(app.store.with_faults(FaultInjector::crash_after_writes(3))).await;
    let (status, _) = close(&crashing, &v.token, json!({"password": PASSWORD})).await;
    assert!(status.is_server_error(), "{status}");
    assert_eq!(me_status(&app, &v.token).await, StatusCode::UNAUTHORIZED);

    let run = drain(&app.store, &app.keys, &outbox(&app), tomorrow_at_ten())
        .await
        .expect("drained");
    assert_eq!((run.sent, run.failed), (0, 1), "{run:?}");
    assert!(
        app.sms_to(&v.phone)
            .iter()
            .all(|m| m["kind"] != "activity_cancelled")
    );
}

#[tokio::test]
async fn closing_withdraws_my_pending_identity_appeal_and_deletes_its_photos() {
    let app = spawn_app().await;
    let (holder, idn) = named_volunteer(&app, "欧阳青").await;
    let appellant = app.register().await;
    let id = appeal(&app, &appellant, &idn).await;
    let spare = unused_photo(&app, &appellant).await;
    let filed = app
        .store
        .get_appeal(&id)
        .await
        .expect("read")
        .expect("appeal");
    let photo = app.files_dir.join(&filed.photo_key);
    assert!(photo.exists(), "{photo:?}");
    let spare_file = app.files_dir.join(format!("incoming/appeals/{spare}"));
    assert!(spare_file.exists(), "{spare_file:?}");

    let (status, body) = close(&app, &appellant.token, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let a = app
        .store
        .get_appeal(&id)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(a.status, AppealStatus::Withdrawn);
    assert_eq!(a.real_name, "已注销志愿者");
    assert!(a.reason.is_empty() && a.id_masked.is_empty() && a.id_index.is_empty());
    assert!(a.photo_key.is_empty());
    assert!(!photo.exists(), "the filed photo is deleted");
    assert!(!spare_file.exists(), "the unused photo is deleted");
    assert!(
        app.store
            .photos_of(&appellant.id)
            .await
            .expect("read")
            .is_empty()
    );
    let pending = app
        .store
        .pending_appeals_in(&a.region_code[..2], &a.region_code)
        .await
        .expect("read");
    assert!(
        pending.iter().all(|p| p.id.as_str() != id),
        "no admin is left to decide it: {pending:?}"
    );
    // The holder keeps the identity, and may be appealed against by someone else.
    let me = app.get_as("/api/me", &holder.token).await;
    assert_eq!(me["volunteer"]["real_name"], "欧阳青");
    let other = app.register().await;
    appeal(&app, &other, &idn).await;
}

#[tokio::test]
async fn closing_by_an_sms_code_needs_the_right_code_to_the_accounts_own_phone() {
    let app = spawn_app().await;
    let u = app.register().await;
    let (status, err) = close(&app, &u.token, json!({"code": "000000"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "code", "{err}");
    assert_eq!(
        me_status(&app, &u.token).await,
        StatusCode::OK,
        "nothing changed"
    );

    // A code to another phone is no proof of holding this account.
    let stranger = app.register().await;
    app.minute_passes_for(&stranger.phone).await;
    let theirs = app.code_for(&stranger.phone, "login").await;
    let (status, err) = close(&app, &u.token, json!({"code": theirs})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "code");
    assert_eq!(me_status(&app, &u.token).await, StatusCode::OK);

    app.minute_passes_for(&u.phone).await;
    let mine = app.code_for(&u.phone, "login").await;
    let (status, body) = close(&app, &u.token, json!({"code": mine})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(me_status(&app, &u.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        login_status(&app, &u.phone, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(me_status(&app, &stranger.token).await, StatusCode::OK);
}

#[tokio::test]
async fn my_data_holds_my_notice_settings_calendar_feed_guardian_consent_appeals_and_text_messages()
{
    let app = spawn_app().await;
    let teen = volunteer_aged(&app, 16).await;
    let guardian_phone = phone(app.next());
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/guardian-consent",
            &json!({"name": "李秀英", "phone": guardian_phone, "relationship": "母亲", "consent": true}),
            Some(&teen.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app
        .send_json(
            Method::PUT,
            "/api/me/notice-settings",
            &json!({"sms": ["activity_cancelled"], "quiet_hours": false}),
            Some(&teen.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let url = new_feed(&app, &teen).await;
    let (organizer, a, shift) = app.activity_with_places(2).await;
    assert_eq!(
        app.sign_up(&teen.token, &shift).await.0,
        StatusCode::CREATED
    );
    let (status, _) = app
        .post(
            &format!("/api/activities/{}/cancel", a["id"].as_str().expect("id")),
            &json!({"reason": "暴雪"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    drain(&app.store, &app.keys, &outbox(&app), tomorrow_at_ten())
        .await
        .expect("drained");

    let (status, data) = app
        .get_with("/api/me/export", Some(&app.rechecked(&teen.token).await))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        data["notice_settings"]["sms"],
        json!(["activity_cancelled"])
    );
    assert_eq!(data["notice_settings"]["quiet_hours"], false);
    assert!(data["calendar_feed"]["created_at"].is_string(), "{data}");
    let token = url
        .rsplit('/')
        .next()
        .expect("segment")
        .trim_end_matches(".ics");
    assert!(!data.to_string().contains(token), "never the feed's token");
    assert_eq!(data["volunteer"]["guardian"]["name"], "李秀英");
    assert_eq!(
        data["volunteer"]["guardian"]["phone"],
        guardian_phone.as_str()
    );
    let sms = data["sms"].as_array().expect("sms");
    assert_eq!(sms.len(), 1, "{data}");
    assert_eq!(sms[0]["kind"], "activity_cancelled");
    assert_eq!(sms[0]["status"], "sent");
    assert!(
        data["identity_appeals"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );

    // An appellant's export lists the appeal with its status; the holder's does not.
    let (holder, idn) = named_volunteer(&app, "欧阳青").await;
    let appellant = app.register().await;
    let id = appeal(&app, &appellant, &idn).await;
    let (_, mine) = app
        .get_with(
            "/api/me/export",
            Some(&app.rechecked(&appellant.token).await),
        )
        .await;
    assert_eq!(mine["identity_appeals"][0]["id"], id.as_str());
    assert_eq!(mine["identity_appeals"][0]["status"], "pending");
    assert_eq!(mine["identity_appeals"][0]["real_name"], "李真名");
    assert!(mine["calendar_feed"].is_null());
    let (_, theirs) = app
        .get_with("/api/me/export", Some(&app.rechecked(&holder.token).await))
        .await;
    assert!(!theirs.to_string().contains(&id), "{theirs}");
}
