//! ID number already taken (身份证被占用): the real owner appeals with a photo of the ID
//! card, a region admin over the ID number's region decides once, and on approval the
//! volunteer identity — number, hours, records — moves to the appellant.

use crate::stats::{as_recount, child, city_report, recount, this_year};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_tests::{
    TestApp, User, id_number, sample_file, shift_under_way, spawn_app, volunteer_body,
};

const H: i64 = 3600;

/// A volunteer holding the n-th test ID number, with one confirmed record of 3 hours.
/// Returns the holder, the ID number and the record's id.
async fn holder_with_hours(app: &TestApp) -> (User, String, String) {
    let holder = app.register().await;
    let idn = id_number(app.next());
    let (status, body) = app
        .post("/api/me/volunteer", &volunteer_body(&idn), &holder.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (organizer, _, shift) = shift_under_way(app, &[&holder], 5 * H, 4 * H).await;
    let now = now_unix();
    let r = app
        .attendance(
            &organizer,
            &shift,
            &holder.id,
            now - 5 * H,
            Some(now - 2 * H),
        )
        .await;
    let record = r["id"].as_str().expect("record id").to_string();
    let (status, body) = app
        .post(
            &format!("/api/records/{record}/confirm"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (holder, idn, record)
}

/// Uploads a photo of the ID card (a JPEG's magic bytes); returns its id.
async fn photo(app: &TestApp, user: &User, bytes: Vec<u8>) -> String {
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

fn appeal_body(idn: &str, photo_id: &str) -> Value {
    json!({
        "real_name": "李真名",
        "id_number": idn,
        "photo_id": photo_id,
        "reason": "这是我本人的身份证，我从未注册过，请核实。",
        "consent": true,
    })
}

async fn file(app: &TestApp, user: &User, idn: &str) -> (StatusCode, Value) {
    let p = photo(app, user, sample_file("jpg", 2000)).await;
    app.post("/api/identity-appeals", &appeal_body(idn, &p), &user.token)
        .await
}

/// An account without a profile whose appeal for `idn` is pending; returns it and the
/// appeal's id.
async fn pending_appeal(app: &TestApp, idn: &str) -> (User, String) {
    let appellant = app.register().await;
    let (status, appeal) = file(app, &appellant, idn).await;
    assert_eq!(status, StatusCode::CREATED, "{appeal}");
    assert_eq!(appeal["status"], "pending");
    (
        appellant,
        appeal["id"].as_str().expect("appeal id").to_string(),
    )
}

async fn decide(app: &TestApp, admin: &User, id: &str, body: Value) -> (StatusCode, Value) {
    app.post(
        &format!("/api/identity-appeals/{id}/decide"),
        &body,
        &admin.token,
    )
    .await
}

async fn notice_kinds(app: &TestApp, user: &User) -> Vec<String> {
    let n = app.get_as("/api/me/notices", &user.token).await;
    n["items"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|i| i["kind"].as_str().expect("kind").to_string())
        .collect()
}

#[tokio::test]
async fn an_approved_appeal_moves_the_identity_hours_and_records_to_the_real_owner() {
    let app = spawn_app().await;
    let (holder, idn, record) = holder_with_hours(&app).await;
    let admin = app.region_admin("150600").await;
    let before = city_report(&app, &admin).await;
    let held = app.get_as("/api/me", &holder.token).await;
    let volunteer_no = held["volunteer"]["volunteer_no"].clone();
    assert_eq!(held["total_hours"], 3.0);

    // The real owner cannot register the number: it is taken.
    let appellant = app.register().await;
    let (status, body) = app
        .post("/api/me/volunteer", &volunteer_body(&idn), &appellant.token)
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("id_number_taken"))
    );
    let (status, appeal) = file(&app, &appellant, &idn).await;
    assert_eq!(status, StatusCode::CREATED, "{appeal}");
    let id = appeal["id"].as_str().expect("id").to_string();
    assert!(
        appeal["id_number_masked"]
            .as_str()
            .is_some_and(|m| m.contains("**********"))
    );
    assert_eq!(
        appeal["region_code"], "150602",
        "the ID number's address code"
    );
    let mine = app
        .get_as("/api/me/identity-appeals", &appellant.token)
        .await;
    assert_eq!(mine["items"][0]["status"], "pending");
    assert!(mine["items"][0].get("photo_url").is_none());

    let queue = app
        .get_as("/api/identity-appeals?region=150600", &admin.token)
        .await;
    let items = queue["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    let shown = &items[0];
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["holder_volunteer_no"], volunteer_no);
    assert_eq!(shown["holder_hours"], 3.0);
    for phone in ["appellant_phone_masked", "holder_phone_masked"] {
        assert!(
            shown[phone].as_str().is_some_and(|p| p.contains("****")),
            "{shown}"
        );
    }
    let photo_url = shown["photo_url"].as_str().expect("photo link");
    let bytes = app
        .http
        .get(format!("{}{photo_url}", app.base))
        .send()
        .await
        .expect("photo")
        .bytes()
        .await
        .expect("photo bytes");
    assert_eq!(bytes.to_vec(), sample_file("jpg", 2000));

    let (status, decided) = decide(
        &app,
        &admin,
        &id,
        json!({"approve": true, "reason": "照片与本人一致"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["verdict"]["records_moved"], 1);
    assert_eq!(decided["verdict"]["hours_moved"], 3.0);

    // The identity is the appellant's, whole: number, name, hours, records, certificate.
    let me = app.get_as("/api/me", &appellant.token).await;
    assert_eq!(me["volunteer"]["volunteer_no"], volunteer_no);
    assert_eq!(me["volunteer"]["real_name"], "李真名");
    assert_eq!(me["total_hours"], 3.0);
    let records = app.get_as("/api/me/records", &appellant.token).await;
    assert_eq!(records["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(records["items"][0]["id"], record.as_str());
    let detail = app
        .get_as(&format!("/api/records/{record}"), &appellant.token)
        .await;
    let trail = detail["audit"].as_array().expect("audit");
    assert_eq!(trail.last().expect("entry")["action"], "identity_moved");
    let cert = app.get_as("/api/me/certificate", &appellant.token).await;
    assert_eq!(cert["total_hours"], 3.0);

    // The other account stays, as a plain account with nothing.
    let other = app.get_as("/api/me", &holder.token).await;
    assert_eq!(other["volunteer"], Value::Null);
    assert_eq!(other["total_hours"], 0.0);
    let theirs = app.get_as("/api/me/records", &holder.token).await;
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(theirs["total_hours"], 0.0);
    let (status, _) = app
        .get_with(&format!("/api/records/{record}"), Some(&holder.token))
        .await;
    assert_ne!(status, StatusCode::OK, "the record is no longer theirs");
    let (status, body) = app
        .post("/api/me/volunteer", &volunteer_body(&idn), &holder.token)
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("id_number_taken"))
    );

    // Both are told; the decision is on record: who, when, why.
    assert!(
        notice_kinds(&app, &appellant)
            .await
            .contains(&"identity_appeal_approved".into())
    );
    assert!(
        notice_kinds(&app, &holder)
            .await
            .contains(&"identity_moved_away".into())
    );
    let entry = app
        .store
        .decision_of(&id)
        .await
        .expect("read")
        .expect("decision entry");
    assert_eq!(entry.verdict.by.as_str(), admin.id);
    assert_eq!(entry.verdict.reason.as_deref(), Some("照片与本人一致"));
    assert!(!entry.verdict.at.is_empty());
    assert_eq!(entry.from_user.as_str(), holder.id);
    assert_eq!(entry.to_user.as_str(), appellant.id);

    // Statistics are unchanged and still equal a recount of the items.
    let after = city_report(&app, &admin).await;
    assert_eq!(
        as_recount(child(&after, "150602")),
        as_recount(child(&before, "150602"))
    );
    assert_eq!(
        as_recount(child(&after, "150602")),
        recount(&app.store, "150602", this_year()).await
    );

    // One decision only; the queue is empty.
    let (status, body) = decide(
        &app,
        &admin,
        &id,
        json!({"approve": false, "reason": "再想想"}),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("already_decided"))
    );
    let queue = app
        .get_as("/api/identity-appeals?region=150600", &admin.token)
        .await;
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_refusal_needs_a_reason_tells_the_appellant_why_and_moves_nothing() {
    let app = spawn_app().await;
    let (holder, idn, _) = holder_with_hours(&app).await;
    let (appellant, id) = pending_appeal(&app, &idn).await;
    let admin = app.region_admin("150602").await;

    let (status, body) = decide(&app, &admin, &id, json!({"approve": false, "reason": " "})).await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("reason"))
    );
    let (status, body) = decide(
        &app,
        &admin,
        &id,
        json!({"approve": false, "reason": "照片看不清"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "refused");

    let mine = app
        .get_as("/api/me/identity-appeals", &appellant.token)
        .await;
    assert_eq!(mine["items"][0]["status"], "refused");
    assert_eq!(mine["items"][0]["verdict"]["reason"], "照片看不清");
    let n = app.get_as("/api/me/notices", &appellant.token).await;
    assert_eq!(n["items"][0]["kind"], "identity_appeal_refused");
    assert_eq!(n["items"][0]["reason"], "照片看不清");
    let held = app.get_as("/api/me", &holder.token).await;
    assert_eq!(held["total_hours"], 3.0);
    assert!(held["volunteer"].is_object());
    let me = app.get_as("/api/me", &appellant.token).await;
    assert_eq!(me["volunteer"], Value::Null);

    // Refused, it is no longer pending: the appellant may try again with a better photo.
    let (status, body) = file(&app, &appellant, &idn).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn only_admins_over_the_id_numbers_region_see_and_decide_the_appeal() {
    let app = spawn_app().await;
    let (_, idn, _) = holder_with_hours(&app).await;
    let (appellant, id) = pending_appeal(&app, &idn).await;
    let listed = |body: &Value| {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|a| a["id"] == id.as_str())
    };

    for scope in ["150000", "150600", "150602"] {
        let admin = app.region_admin(scope).await;
        let body = app
            .get_as(
                &format!("/api/identity-appeals?region={scope}"),
                &admin.token,
            )
            .await;
        assert!(listed(&body), "{scope} sees it");
    }
    let neighbour = app.region_admin("150603").await;
    let body = app
        .get_as("/api/identity-appeals?region=150603", &neighbour.token)
        .await;
    assert!(!listed(&body), "another banner's admin does not see it");
    let (status, _) = app
        .get_with(
            "/api/identity-appeals?region=150600",
            Some(&neighbour.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other_city = app.region_admin("150100").await;
    for (who, token) in [
        ("banner 150603", &neighbour.token),
        ("city 150100", &other_city.token),
        ("the appellant", &appellant.token),
    ] {
        let (status, _) = app
            .send_json(
                Method::POST,
                &format!("/api/identity-appeals/{id}/decide"),
                &json!({"approve": true}),
                Some(token),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} may not decide");
    }
    let (status, _) = app
        .get_with(
            "/api/identity-appeals?region=150602",
            Some(&appellant.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a plain user cannot list");
    let (status, _) = app
        .get_with("/api/identity-appeals", Some(&appellant.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "whatever the query");
    let (status, body) = app
        .get_with("/api/identity-appeals", Some(&other_city.token))
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("region"))
    );
    let mine = app
        .get_as("/api/me/identity-appeals", &appellant.token)
        .await;
    assert_eq!(mine["items"][0]["status"], "pending", "nothing was decided");
}

#[tokio::test]
async fn of_two_admins_deciding_at_once_one_wins_and_the_other_gets_409() {
    let app = spawn_app().await;
    for round in 0..3 {
        let (holder, idn, _) = holder_with_hours(&app).await;
        let (appellant, id) = pending_appeal(&app, &idn).await;
        let city = app.region_admin("150600").await;
        let banner = app.region_admin("150602").await;
        let refuse = json!({"approve": false, "reason": "不一致"});
        let ((s1, b1), (s2, b2)) = tokio::join!(
            decide(&app, &city, &id, json!({"approve": true})),
            decide(&app, &banner, &id, refuse),
        );
        let mut statuses = [s1, s2];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {b1} {b2}"
        );
        let approved = s1 == StatusCode::OK;
        let a = app.get_as("/api/me", &appellant.token).await;
        let h = app.get_as("/api/me", &holder.token).await;
        assert_eq!(a["volunteer"].is_object(), approved, "round {round}");
        assert_eq!(h["volunteer"].is_object(), !approved, "round {round}");
        let hours = |v: &Value| v["total_hours"].as_f64().expect("hours");
        assert_eq!(hours(&a) + hours(&h), 3.0, "round {round}: on exactly one");
    }
}

#[tokio::test]
async fn bad_appeals_are_named_by_field_and_write_nothing() {
    let app = spawn_app().await;
    let (holder, idn, _) = holder_with_hours(&app).await;
    let appellant = app.register().await;
    let code = |b: &Value| (b["error"]["code"].clone(), b["error"]["field"].clone());

    // The photo must be an image, within the archive's limits.
    let (status, body) = app
        .post(
            "/api/identity-appeals/photo",
            &json!({"name": "身份证.pdf", "size": 1000}),
            &appellant.token,
        )
        .await;
    assert_eq!(
        (status, code(&body).1),
        (StatusCode::BAD_REQUEST, json!("name"))
    );

    let good = photo(&app, &appellant, sample_file("jpg", 1500)).await;
    let cases = [
        (
            appeal_body(&id_number(9_999), &good),
            "id_number",
            "not taken",
        ),
        (appeal_body(&idn, ""), "photo_id", "no photo"),
        (
            appeal_body(&idn, "01J00000000000000000000000"),
            "photo_id",
            "not theirs",
        ),
        (
            json!({"real_name": "李真名", "id_number": idn, "photo_id": good, "reason": "", "consent": true}),
            "reason",
            "no reason",
        ),
        (
            json!({"real_name": "李真名", "id_number": idn, "photo_id": good, "reason": "是我", "consent": false}),
            "consent",
            "no consent",
        ),
    ];
    for (body, field, why) in cases {
        let (status, answer) = app
            .post("/api/identity-appeals", &body, &appellant.token)
            .await;
        assert_eq!(
            (status, code(&answer).1),
            (StatusCode::BAD_REQUEST, json!(field)),
            "{why}: {answer}"
        );
    }

    // A photo announced but never sent, and bytes that are not a JPEG.
    let (_, ticket) = app
        .post(
            "/api/identity-appeals/photo",
            &json!({"name": "card.jpg", "size": 1000}),
            &appellant.token,
        )
        .await;
    let unsent = ticket["photo_id"].as_str().expect("id").to_string();
    let (status, answer) = app
        .post(
            "/api/identity-appeals",
            &appeal_body(&idn, &unsent),
            &appellant.token,
        )
        .await;
    assert_eq!(
        (status, code(&answer).1),
        (StatusCode::BAD_REQUEST, json!("photo_id"))
    );
    let fake = photo(&app, &appellant, sample_file("pdf", 2000)).await;
    let (status, answer) = app
        .post(
            "/api/identity-appeals",
            &appeal_body(&idn, &fake),
            &appellant.token,
        )
        .await;
    assert_eq!(
        (status, code(&answer).1),
        (StatusCode::BAD_REQUEST, json!("photo_id")),
        "{answer}"
    );

    // The holder cannot appeal for their own number; a volunteer cannot appeal at all.
    let (status, answer) = file(&app, &holder, &idn).await;
    assert_eq!(
        (status, code(&answer).1),
        (StatusCode::BAD_REQUEST, json!("id_number"))
    );
    let volunteer = app.volunteer().await;
    let (status, answer) = file(&app, &volunteer, &idn).await;
    assert_eq!(
        (status, code(&answer).0),
        (StatusCode::CONFLICT, json!("already_volunteer"))
    );

    let mine = app
        .get_as("/api/me/identity-appeals", &appellant.token)
        .await;
    assert_eq!(
        mine["items"].as_array().map(Vec::len),
        Some(0),
        "nothing was filed"
    );

    // One pending appeal per appellant and ID number.
    let (status, _) = app
        .post(
            "/api/identity-appeals",
            &appeal_body(&idn, &good),
            &appellant.token,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = file(&app, &appellant, &idn).await;
    assert_eq!(
        (status, code(&answer).0),
        (StatusCode::CONFLICT, json!("appeal_pending"))
    );
    let admin = app.region_admin("150600").await;
    let (status, _) = decide(
        &app,
        &admin,
        "01J00000000000000000000000",
        json!({"approve": true}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_record_confirmed_while_the_identity_moves_counts_once_on_the_new_owner() {
    let app = spawn_app().await;
    let admin = app.region_admin("150600").await;
    for round in 0..3 {
        let (holder, idn, _) = holder_with_hours(&app).await;
        // A second record, checked out but not yet confirmed.
        let (organizer, _, shift) = shift_under_way(&app, &[&holder], 3 * H, 2 * H).await;
        let now = now_unix();
        let r = app
            .attendance(
                &organizer,
                &shift,
                &holder.id,
                now - 3 * H,
                Some(now - 2 * H),
            )
            .await;
        let pending = r["id"].as_str().expect("record id").to_string();
        let (appellant, id) = pending_appeal(&app, &idn).await;
        let confirm = format!("/api/records/{pending}/confirm");
        let ((s1, b1), (s2, b2)) = tokio::join!(
            decide(&app, &admin, &id, json!({"approve": true})),
            app.post(&confirm, &Value::Null, &organizer.token),
        );
        assert_eq!(
            (s1, s2),
            (StatusCode::OK, StatusCode::OK),
            "round {round}: {b1} {b2}"
        );
        let me = app.get_as("/api/me/records", &appellant.token).await;
        assert_eq!(
            me["items"].as_array().map(Vec::len),
            Some(2),
            "round {round}"
        );
        assert_eq!(me["total_hours"], 4.0, "round {round}: 3 h + 1 h, once");
        let theirs = app.get_as("/api/me/records", &holder.token).await;
        assert_eq!(theirs["total_hours"], 0.0, "round {round}");
        assert_eq!(
            theirs["items"].as_array().map(Vec::len),
            Some(0),
            "round {round}"
        );
    }
    let report = city_report(&app, &admin).await;
    assert_eq!(
        as_recount(child(&report, "150602")),
        recount(&app.store, "150602", this_year()).await
    );
}
