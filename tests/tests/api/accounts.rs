//! Accounts, sessions, real-name registration and personal data.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::crypto::Keys;
use zhiyuan_functions::token;
use zhiyuan_tests::{PASSWORD, id_number, spawn_app, test_keys, volunteer_body};

#[tokio::test]
async fn a_resident_registers_signs_in_and_sees_their_masked_profile() {
    let app = spawn_app().await;
    let code = app.code_for("13812345678", "register").await;
    let (status, reg) = app
        .send_json(
            Method::POST,
            "/api/auth/register",
            &json!({"phone": "+86 138-1234-5678", "code": code, "password": PASSWORD, "display_name": "小王"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    let (status, login) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": "13812345678", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["user"]["user_id"], reg["user_id"]);
    let token = login["token"].as_str().expect("token");
    let me = app.get_as("/api/me", token).await;
    assert_eq!(me["phone_masked"], "138****5678");
    assert_eq!(me["volunteer"], Value::Null);
    assert_eq!(me["star_level"], 0);
    assert!(!me.to_string().contains("13812345678"));
}

#[tokio::test]
async fn one_phone_is_one_account_and_a_second_registration_gets_no_code() {
    let app = spawn_app().await;
    let u = app.register().await;
    tokio::time::sleep(std::time::Duration::from_secs(61)).await;
    app.request_code(&u.phone, "register").await;
    let note = app.sms_to(&u.phone).pop().expect("a text");
    assert_eq!(note["kind"], "code_taken");
    assert!(
        note["text"]
            .as_str()
            .unwrap_or_default()
            .contains("忘记密码")
    );
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/auth/register",
            &json!({"phone": u.phone, "code": "123456", "password": "another-pass-1", "display_name": "冒名"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "code");
}

#[tokio::test]
async fn bad_registrations_name_the_field_and_create_nothing() {
    let app = spawn_app().await;
    let code = app.code_for("13912345678", "register").await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for (body, field) in [
        (
            json!({"phone": "12345", "code": code, "password": PASSWORD, "display_name": "a"}),
            "phone",
        ),
        (
            json!({"phone": "13912345678", "code": code, "password": "short", "display_name": "a"}),
            "password",
        ),
        (
            json!({"phone": "13912345678", "code": code, "password": "12345678901", "display_name": "a"}),
            "password",
        ),
        (
            json!({"phone": "13912345678", "code": code, "password": PASSWORD, "display_name": " "}),
            "display_name",
        ),
        (
            json!({"phone": "13912345678", "password": PASSWORD, "display_name": "a"}),
            "code",
        ),
        (
            json!({"phone": "13912345678", "code": "12ab56", "password": PASSWORD, "display_name": "a"}),
            "code",
        ),
        (
            json!({"phone": "13912345678", "code": wrong, "password": PASSWORD, "display_name": "a"}),
            "code",
        ),
        (
            json!({"phone": "13912345670", "code": code, "password": PASSWORD, "display_name": "a"}),
            "code",
        ),
        (json!({}), "phone"),
        (json!({"phone": "13912345678"}), "password"),
    ] {
        let (status, err) = app
            .send_json(Method::POST, "/api/auth/register", &body, None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(err["error"]["field"], field);
    }
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": "13912345678", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no account was created");
}

#[tokio::test]
async fn an_unknown_phone_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let u = app.register().await;
    let (s1, unknown) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": "13700000000", "password": PASSWORD}),
            None,
        )
        .await;
    let (s2, wrong) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": u.phone, "password": "wrong-pass-1"}),
            None,
        )
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(unknown, wrong);
}

/// Login attempts are counted in fixed 15-minute windows. A test that counts up to a limit
/// starts early in a window, so a slow machine cannot carry its attempts across a
/// boundary (where the count starts again): within the last two minutes of one, it waits
/// for the next.
async fn early_in_a_throttle_window() {
    let w = zhiyuan_functions::service::accounts::WINDOW_SECONDS;
    let left = w - zhiyuan_functions::clock::now_unix().rem_euclid(w);
    if left < 120 {
        tokio::time::sleep(std::time::Duration::from_secs(left as u64 + 1)).await;
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_for_a_phone_are_throttled_with_retry_after() {
    let app = spawn_app().await;
    early_in_a_throttle_window().await;
    let u = app.register().await;
    let attempt = |password: &'static str| {
        let body = json!({"phone": u.phone, "password": password});
        let app = &app;
        async move {
            app.http
                .post(format!("{}/api/auth/login", app.base))
                .json(&body)
                .send()
                .await
                .expect("sent")
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("wrong-pass-1").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = attempt("wrong-pass-1").await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = blocked
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=900).contains(&retry), "{retry}");
    assert_eq!(
        attempt(PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the window"
    );
}

#[tokio::test]
async fn one_client_failing_too_often_is_throttled_whatever_the_phones() {
    let app = spawn_app().await;
    early_in_a_throttle_window().await;
    let mut last = StatusCode::OK;
    for n in 0..=zhiyuan_functions::service::accounts::MAX_FAILURES_PER_CLIENT {
        let (status, _) = app
            .send_json(
                Method::POST,
                "/api/auth/login",
                &json!({"phone": format!("136{n:08}"), "password": "wrong-pass-1"}),
                None,
            )
            .await;
        last = status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn tampered_expired_foreign_and_revoked_tokens_get_401() {
    let app = spawn_app().await;
    let u = app.register().await;
    let now = zhiyuan_functions::clock::now_unix();
    let expired =
        token::issue(&test_keys(), &u.id, 0, now - token::SESSION_SECONDS - 10).expect("issues");
    let foreign_keys =
        Keys::from_secrets(&"x".repeat(40), zhiyuan_tests::PII_SECRET).expect("keys");
    let foreign = token::issue(&foreign_keys, &u.id, 0, now).expect("issues");
    let mut tampered = u.token.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let unknown_user =
        token::issue(&test_keys(), "01JZZZZZZZZZZZZZZZZZZZZZZZ", 0, now).expect("issues");
    for bad in [
        expired,
        foreign,
        tampered,
        unknown_user,
        "not-a-token".into(),
    ] {
        let (status, err) = app.get_with("/api/me", Some(&bad)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(err["error"]["code"], "unauthorized");
    }
    assert_eq!(
        app.get_with("/api/me", Some(&u.token)).await.0,
        StatusCode::OK
    );
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/auth/logout",
            &Value::Null,
            Some(&u.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_with("/api/me", Some(&u.token)).await.0,
        StatusCode::UNAUTHORIZED,
        "logging out ends the session"
    );
}

#[tokio::test]
async fn a_real_name_volunteer_gets_a_number_and_sees_their_id_masked_except_when_they_ask() {
    let app = spawn_app().await;
    let u = app.register().await;
    let id = id_number(7);
    let (status, v) = app
        .send_json(
            Method::POST,
            "/api/me/volunteer",
            &volunteer_body(&id),
            Some(&u.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let no = v["volunteer_no"].as_str().expect("volunteer_no");
    assert!(no.starts_with("150602") && no.len() == 14, "{no}");
    let odd = (id.as_bytes()[16] - b'0') % 2 == 1;
    assert_eq!(v["gender"], if odd { "male" } else { "female" }, "{id}");
    let me = app.get_as("/api/me", &u.token).await;
    assert_eq!(me["volunteer"]["volunteer_no"], no);
    assert_eq!(
        me["volunteer"]["id_number_masked"],
        format!("{}**********{}", &id[..4], &id[14..])
    );
    assert_eq!(me["volunteer"]["birth_date"], id_birth(&id));
    assert!(!me.to_string().contains(&id));
    let (status, shown) = app
        .send_json(
            Method::POST,
            "/api/me/reveal",
            &Value::Null,
            Some(&app.rechecked(&u.token).await),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["id_number"], id.as_str());
    assert_eq!(shown["phone"], u.phone.as_str());
}

fn id_birth(id: &str) -> String {
    format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14])
}

#[tokio::test]
async fn one_id_number_is_one_volunteer_and_one_account_registers_once() {
    let app = spawn_app().await;
    let a = app.register().await;
    let b = app.register().await;
    let id = id_number(3);
    let post = |token: String, id: String| {
        let app = &app;
        async move {
            app.send_json(
                Method::POST,
                "/api/me/volunteer",
                &volunteer_body(&id),
                Some(&token),
            )
            .await
        }
    };
    assert_eq!(
        post(a.token.clone(), id.clone()).await.0,
        StatusCode::CREATED
    );
    let (status, err) = post(b.token.clone(), id.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "id_number_taken");
    let (status, err) = post(a.token.clone(), id_number(4)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "already_volunteer");
    assert_eq!(
        app.get_as("/api/me", &b.token).await["volunteer"],
        Value::Null
    );
}

#[tokio::test]
async fn a_hundred_concurrent_registrations_with_one_id_number_make_exactly_one_volunteer() {
    let app = spawn_app().await;
    let mut users = Vec::new();
    for _ in 0..100 {
        users.push(app.register().await);
    }
    let id = id_number(42);
    let answers = join_all(users.iter().map(|u| {
        let app = &app;
        let id = id.clone();
        async move {
            app.send_json(
                Method::POST,
                "/api/me/volunteer",
                &volunteer_body(&id),
                Some(&u.token),
            )
            .await
        }
    }))
    .await;
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let taken = answers
        .iter()
        .filter(|(s, b)| *s == StatusCode::CONFLICT && b["error"]["code"] == "id_number_taken")
        .count();
    assert_eq!(
        (created, taken),
        (1, 99),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let mut volunteers = 0;
    for u in &users {
        if app.get_as("/api/me", &u.token).await["volunteer"] != Value::Null {
            volunteers += 1;
        }
    }
    assert_eq!(volunteers, 1);
}

#[tokio::test]
async fn concurrent_registrations_with_one_phone_and_its_code_make_exactly_one_account() {
    let app = spawn_app().await;
    let code = app.code_for("13555555555", "register").await;
    let answers = join_all((0..30).map(|i| {
        let app = &app;
        let code = code.clone();
        async move {
            app.send_json(
                Method::POST,
                "/api/auth/register",
                &json!({"phone": "13555555555", "code": code, "password": PASSWORD, "display_name": format!("抢{i}")}),
                None,
            )
            .await
            .0
        }
    }))
    .await;
    let count = |s: StatusCode| answers.iter().filter(|a| **a == s).count();
    assert_eq!(count(StatusCode::CREATED), 1, "{answers:?}");
    // The code is used once; the rest are refused on the code or, past the phone's
    // failure limit, told to wait.
    assert_eq!(
        count(StatusCode::BAD_REQUEST) + count(StatusCode::TOO_MANY_REQUESTS),
        29,
        "{answers:?}"
    );
}

#[tokio::test]
async fn bad_real_name_registrations_name_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let u = app.register().await;
    let good = volunteer_body(&id_number(1));
    let child = {
        let first17 = "15060220180101001";
        let check = zhiyuan_shared::identity::check_digit(first17).expect("digit");
        format!("{first17}{check}")
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("id_number", json!("11010519491231002Y"), "id_number"),
        ("id_number", json!("110105194912310021"), "id_number"),
        ("id_number", json!("110105209912310028"), "id_number"),
        ("real_name", json!("X"), "real_name"),
        ("region_code", json!("990000"), "region_code"),
        ("service_fields", json!([]), "service_fields"),
        ("groups", json!(["wizards"]), "groups"),
        ("consent", json!(false), "consent"),
        ("id_number", json!(child), "guardian"),
    ];
    for (key, value, field) in cases {
        let mut body = good.clone();
        body[key] = value;
        let (status, err) = app
            .send_json(Method::POST, "/api/me/volunteer", &body, Some(&u.token))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {err}");
        assert_eq!(err["error"]["field"], field, "{key}");
    }
    assert_eq!(
        app.get_as("/api/me", &u.token).await["volunteer"],
        Value::Null
    );
    // The ID number of a refused attempt is not claimed.
    let (status, _) = app
        .send_json(Method::POST, "/api/me/volunteer", &good, Some(&u.token))
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_child_registers_with_a_guardians_consent() {
    let app = spawn_app().await;
    let u = app.register().await;
    let first17 = "15060220150307002";
    let id = format!(
        "{first17}{}",
        zhiyuan_shared::identity::check_digit(first17).expect("digit")
    );
    let mut body = volunteer_body(&id);
    body["guardian"] = json!({"name": "王大明", "phone": "13912345678", "relation": "父亲"});
    let (status, v) = app
        .send_json(Method::POST, "/api/me/volunteer", &body, Some(&u.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["guardian_name"], "王大明");
}

#[tokio::test]
async fn the_demo_accounts_sign_in_with_their_roles() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &test_keys())
        .await
        .expect("seed");
    let mut roles = Vec::new();
    for (phone, _) in zhiyuan_functions::seed::DEMO_ACCOUNTS {
        let (status, login) = app
            .send_json(
                Method::POST,
                "/api/auth/login",
                &json!({"phone": phone, "password": zhiyuan_functions::seed::DEMO_PASSWORD}),
                None,
            )
            .await;
        if login["error"]["code"] == "second_factor_required" {
            // The admins' second step, with the code the demo's outbox holds.
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            let code = app.last_code(phone).expect("a second-factor code");
            let (status, login) = app
                .send_json(
                    Method::POST,
                    "/api/auth/login",
                    &json!({"phone": phone, "password": zhiyuan_functions::seed::DEMO_PASSWORD, "code": code}),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{phone}: {login}");
            roles.push(login["user"].clone());
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{phone}: {login}");
        roles.push(login["user"].clone());
    }
    assert_eq!(
        roles[0]["roles"],
        json!([{"role": "region_admin", "scope": "150600"}])
    );
    assert_eq!(
        roles[1]["roles"],
        json!([{"role": "region_admin", "scope": "150602"}])
    );
    assert_eq!(roles[2]["roles"][0]["role"], "organizer");
    assert!(roles[3]["volunteer"]["volunteer_no"].is_string());
    let token = app
        .login("13800000004", zhiyuan_functions::seed::DEMO_PASSWORD)
        .await;
    let orgs = app.get_as("/api/me/orgs", &token).await;
    assert_eq!(orgs[0]["org_name"], zhiyuan_functions::seed::DEMO_ORG_NAME);
    assert_eq!(orgs[0]["status"], "approved");
    // Service history: one confirmed record (3.5 h counted) and one waiting for review.
    let mine = app.get_as("/api/me/records", &token).await;
    assert_eq!(mine["total_hours"], 3.5);
    let statuses: Vec<&str> = mine["items"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["pending", "confirmed"], "newest first");
}
