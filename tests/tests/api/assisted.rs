//! Assisted registration (代注册): a station manager or an organizer registers an older
//! resident, with the code the resident reads out from their phone or on paper consent;
//! the resident later takes the account over with a code on that phone.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_shared::account::Role;
use zhiyuan_tests::{PASSWORD, TestApp, User, id_number, org_body, phone};

/// An assisted registration body for 王秀兰 (born 1990 by the test ID numbers).
fn resident(id: &str, phone: Option<&str>, code: Option<&str>) -> Value {
    let mut body = json!({
        "display_name": "王奶奶", "real_name": "王秀兰", "id_number": id,
        "region_code": "150602", "service_fields": ["community_service"], "consent": true,
    });
    match phone {
        Some(p) => {
            body["phone"] = json!(p);
            body["code"] = json!(code);
        }
        None => {
            body["paper_consent"] = json!(true);
            body["consent_note"] = json!("东胜区示范站 纸质同意书第12号");
        }
    }
    body
}

/// The code the resident's phone receives when `helper` asks for one, as the resident
/// reads it out.
async fn code_read_out(app: &TestApp, helper: &User, phone: &str) -> String {
    let (status, json) = app
        .send_json(
            Method::POST,
            "/api/assisted-registrations/codes",
            &json!({ "phone": phone }),
            Some(&helper.token),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{json}");
    app.last_code(phone)
        .expect("a code on the resident's phone")
}

async fn register(app: &TestApp, helper: &User, body: &Value) -> (StatusCode, Value) {
    app.send_json(
        Method::POST,
        "/api/assisted-registrations",
        body,
        Some(&helper.token),
    )
    .await
}

/// Whether any account holds the ID number.
async fn id_taken(app: &TestApp, id: &str) -> bool {
    let index = app.keys.blind_index("id_number", id);
    app.store
        .user_id_by_id_index(&index)
        .await
        .expect("read")
        .is_some()
}

async fn station_manager(app: &TestApp) -> User {
    app.with_role(Role::StationManager, "01J0000000000000000000STN1")
        .await
}

#[tokio::test]
async fn an_organizer_registers_a_resident_by_the_code_read_out_and_the_resident_takes_over() {
    let app = spawn().await;
    let (organizer, _) = app.approved_org("150602").await;
    let phone = phone(app.next());
    let id = id_number(app.next());
    let code = code_read_out(&app, &organizer, &phone).await;
    assert_eq!(
        app.sms_to(&phone).last().expect("a text")["kind"],
        "code_assisted_register"
    );

    let (status, reg) = register(&app, &organizer, &resident(&id, Some(&phone), Some(&code))).await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    assert!(
        reg.get("token").is_none(),
        "the helper gets no session: {reg}"
    );
    assert_eq!(
        reg["phone_masked"],
        format!("{}****{}", &phone[..3], &phone[7..])
    );
    assert!(
        reg["volunteer_no"]
            .as_str()
            .unwrap_or_default()
            .starts_with("150602")
    );
    let user_id = reg["user_id"].as_str().expect("user id").to_string();
    let stored = app
        .store
        .get_user(&user_id)
        .await
        .expect("read")
        .expect("user");
    let mark = stored.assisted.expect("marked assisted");
    assert_eq!(mark.by.to_string(), organizer.id);
    assert!(mark.with_phone && mark.taken_over_at.is_none());

    // No password yet: nobody, the helper included, signs in with one.
    for password in ["", PASSWORD] {
        let (status, json) = app
            .send_json(
                Method::POST,
                "/api/auth/login",
                &json!({"phone": phone, "password": password}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{json}");
    }

    // The takeover: a reset code on the resident's phone sets the first password.
    app.minute_passes_for(&phone).await;
    let reset = app.code_for(&phone, "reset").await;
    let (status, took) = app
        .send_json(
            Method::POST,
            "/api/auth/reset",
            &json!({"phone": phone, "code": reset, "new_password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{took}");
    assert!(
        took["user"]["assisted"]["taken_over_at"].is_string(),
        "{took}"
    );
    let token = app.login(&phone, PASSWORD).await;
    let me = app.get_as("/api/me", &token).await;
    assert_eq!(me["user_id"], user_id.as_str());
    assert_eq!(me["volunteer"]["real_name"], "王秀兰");
    assert_eq!(me["assisted"]["with_phone"], true);
    assert!(me["assisted"]["taken_over_at"].is_string());
}

#[tokio::test]
async fn a_resident_without_a_phone_is_registered_on_signed_paper_consent() {
    let app = spawn().await;
    let manager = station_manager(&app).await;
    let id = id_number(app.next());
    let mut body = resident(&id, None, None);
    body["paper_consent"] = json!(false);
    let (status, err) = register(&app, &manager, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "paper_consent");
    body["paper_consent"] = json!(true);
    body["consent_note"] = json!("  ");
    let (status, err) = register(&app, &manager, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "consent_note");
    assert!(!id_taken(&app, &id).await, "a refusal wrote nothing");

    let (status, reg) = register(&app, &manager, &resident(&id, None, None)).await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    assert_eq!(reg["phone_masked"], Value::Null);
    let stored = app
        .store
        .get_user(reg["user_id"].as_str().expect("id"))
        .await
        .expect("read")
        .expect("user");
    assert!(stored.phone_index.is_empty() && stored.password_hash.is_empty());
    let mark = stored.assisted.expect("marked assisted");
    assert_eq!(mark.by.to_string(), manager.id);
    assert!(!mark.with_phone);
    assert_eq!(
        mark.consent_note.as_deref(),
        Some("东胜区示范站 纸质同意书第12号")
    );
    assert!(id_taken(&app, &id).await);
}

#[tokio::test]
async fn bad_input_is_named_by_field_and_writes_nothing() {
    let app = spawn().await;
    let manager = station_manager(&app).await;
    let id = id_number(app.next());
    let minor = {
        let body = "15060220150314123";
        format!(
            "{body}{}",
            zhiyuan_shared::identity::check_digit(body).expect("digit")
        )
    };
    let mut bad_checksum = id.clone();
    bad_checksum.replace_range(17.., if id.ends_with('0') { "1" } else { "0" });
    type Spoil = Box<dyn Fn(&mut Value)>;
    let spoilt: Vec<(&str, Spoil)> = vec![
        ("display_name", Box::new(|b| b["display_name"] = json!(""))),
        ("real_name", Box::new(|b| b["real_name"] = json!("王"))),
        (
            "id_number",
            Box::new(move |b| b["id_number"] = json!(bad_checksum)),
        ),
        (
            "id_number",
            Box::new(move |b| b["id_number"] = json!(minor)),
        ),
        (
            "region_code",
            Box::new(|b| b["region_code"] = json!("159999")),
        ),
        (
            "service_fields",
            Box::new(|b| b["service_fields"] = json!([])),
        ),
        ("consent", Box::new(|b| b["consent"] = json!(false))),
        ("phone", Box::new(|b| b["phone"] = json!("12345"))),
        ("code", Box::new(|b| b["phone"] = json!("13912340000"))),
    ];
    for (field, spoil) in spoilt {
        let mut body = resident(&id, None, None);
        spoil(&mut body);
        let (status, err) = register(&app, &manager, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    // A code nobody was sent is refused on `code`.
    let (status, err) = register(
        &app,
        &manager,
        &resident(&id, Some("13912340001"), Some("123456")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "code");
    assert!(!id_taken(&app, &id).await, "nothing was written");
}

#[tokio::test]
async fn an_id_number_already_held_is_refused_and_the_residents_code_stays_good() {
    let app = spawn().await;
    let (organizer, _) = app.approved_org("150602").await;
    // Held by a self-service volunteer.
    let holder = app.register().await;
    let held = id_number(app.next());
    let (status, json) = app
        .send_json(
            Method::POST,
            "/api/me/volunteer",
            &zhiyuan_tests::volunteer_body(&held),
            Some(&holder.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let phone = phone(app.next());
    let code = code_read_out(&app, &organizer, &phone).await;
    let (status, err) = register(
        &app,
        &organizer,
        &resident(&held, Some(&phone), Some(&code)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "id_number_taken");
    // The helper corrects the ID number; the code the resident read out still works.
    let own = id_number(app.next());
    let (status, reg) =
        register(&app, &organizer, &resident(&own, Some(&phone), Some(&code))).await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    // Held by an assisted account.
    let (status, err) = register(&app, &organizer, &resident(&own, None, None)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "id_number_taken");
}

#[tokio::test]
async fn a_phone_with_an_account_gets_a_note_and_the_helper_learns_nothing() {
    let app = spawn().await;
    let manager = station_manager(&app).await;
    let someone = app.register().await;
    app.minute_passes_for(&someone.phone).await;
    let (status, json) = app
        .send_json(
            Method::POST,
            "/api/assisted-registrations/codes",
            &json!({ "phone": someone.phone }),
            Some(&manager.token),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{json}");
    assert_eq!(
        app.sms_to(&someone.phone).last().expect("a text")["kind"],
        "code_taken"
    );
    let id = id_number(app.next());
    let (status, err) = register(
        &app,
        &manager,
        &resident(&id, Some(&someone.phone), Some("123456")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "code");
    assert!(!id_taken(&app, &id).await);
}

#[tokio::test]
async fn only_station_managers_and_organizers_of_approved_organisations_may_assist() {
    let app = spawn().await;
    let volunteer = app.volunteer().await;
    // An organizer whose organisation is still waiting for approval.
    let pending = app.volunteer().await;
    let (status, org) = app
        .send_json(
            Method::POST,
            "/api/orgs",
            &org_body("待审志愿服务队", "150602"),
            Some(&pending.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    let phone = phone(app.next());
    let id = id_number(app.next());
    for helper in [&volunteer, &pending] {
        let (status, err) = app
            .send_json(
                Method::POST,
                "/api/assisted-registrations/codes",
                &json!({ "phone": phone }),
                Some(&helper.token),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
        let (status, err) = register(&app, helper, &resident(&id, None, None)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    }
    assert!(app.sms_to(&phone).is_empty(), "no code was sent");
    assert!(!id_taken(&app, &id).await);
}

#[tokio::test]
async fn a_helper_registers_at_most_twenty_residents_a_day() {
    let app = spawn().await;
    let manager = station_manager(&app).await;
    for _ in 0..zhiyuan_shared::assisted::MAX_PER_HELPER_PER_DAY {
        let (status, reg) = register(
            &app,
            &manager,
            &resident(&id_number(app.next()), None, None),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{reg}");
    }
    let id = id_number(app.next());
    let (status, err) = register(&app, &manager, &resident(&id, None, None)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{err}");
    assert!(!id_taken(&app, &id).await);
    // The limit is the helper's own: another helper goes on.
    let other = station_manager(&app).await;
    let (status, reg) = register(&app, &other, &resident(&id, None, None)).await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
}

async fn spawn() -> TestApp {
    zhiyuan_tests::spawn_app().await
}

/// A helper's code counts against the phone's own limits (one a minute), and nobody asks
/// `POST /api/auth/codes` for an `assisted_register` code.
#[tokio::test]
async fn a_helpers_code_is_under_the_phones_limits_and_only_helpers_ask_for_one() {
    let app = spawn().await;
    let manager = station_manager(&app).await;
    let phone = phone(app.next());
    code_read_out(&app, &manager, &phone).await;
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/auth/codes",
            &json!({"phone": phone, "purpose": "register"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{err}");
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/auth/codes",
            &json!({"phone": zhiyuan_tests::phone(app.next()), "purpose": "assisted_register"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "purpose");
}
