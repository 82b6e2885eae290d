//! Sessions: a region admin's second factor and idle-out, and the re-check before whole
//! personal data is shown or handed out. Time moves on the app's own clock.

use reqwest::header::CACHE_CONTROL;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_tests::{PASSWORD, TestApp, User, spawn_app};

const MIN: i64 = 60;

async fn login(app: &TestApp, body: Value) -> (StatusCode, Value) {
    app.send_json(Method::POST, "/api/auth/login", &body, None)
        .await
}

/// The status of `GET /api/me` and the renewed token it carried, if any.
async fn me_with(app: &TestApp, token: &str) -> (StatusCode, Option<String>) {
    let resp = app
        .http
        .get(format!("{}/api/me", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    let renewed = resp
        .headers()
        .get("x-session-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (resp.status(), renewed)
}

/// An account holding a region-admin role, before it signed in with the second factor.
async fn admin_account(app: &TestApp, scope: &str) -> User {
    let u = app.register().await;
    app.store
        .grant_role(
            &u.id,
            &zhiyuan_shared::account::RoleGrant {
                role: zhiyuan_shared::account::Role::RegionAdmin,
                scope: scope.into(),
            },
        )
        .await
        .expect("grant");
    u
}

#[tokio::test]
async fn an_admin_needs_the_password_and_a_code_sent_to_the_phone_and_neither_alone_signs_in() {
    let app = spawn_app().await;
    // The city admin of Ordos: a region admin too.
    let admin = admin_account(&app, "150600").await;
    assert_eq!(
        me_with(&app, &admin.token).await.0,
        StatusCode::UNAUTHORIZED,
        "the one-factor session from before the role was granted is over"
    );

    let (status, body) = login(&app, json!({"phone": admin.phone, "password": PASSWORD})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "second_factor_required");
    assert!(
        body.get("token").is_none(),
        "the password alone gives no session"
    );
    let sent = app.sms_to(&admin.phone);
    assert_eq!(
        sent.last().expect("a message")["kind"],
        "code_second_factor"
    );
    let code = app.last_code(&admin.phone).expect("a code");

    let wrong = if code == "000000" { "000001" } else { "000000" };
    let (status, body) = login(
        &app,
        json!({"phone": admin.phone, "password": PASSWORD, "code": wrong}),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthorized"))
    );

    // A code of another purpose (sign-in by code) is no second factor.
    app.minute_passes_for(&admin.phone).await;
    let login_code = app.code_for(&admin.phone, "login").await;
    let (status, _) = login(
        &app,
        json!({"phone": admin.phone, "password": PASSWORD, "code": login_code}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Nor does that code alone sign an admin in: one factor.
    let (status, body) = login(&app, json!({"phone": admin.phone, "code": login_code})).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("password_required"))
    );
    // Nobody can ask for a second-factor code without the password.
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/auth/codes",
            &json!({"phone": admin.phone, "purpose": "second_factor"}),
            None,
        )
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("purpose"))
    );

    let (status, body) = login(
        &app,
        json!({"phone": admin.phone, "password": PASSWORD, "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["token"].as_str().expect("token");
    assert_eq!(me_with(&app, token).await.0, StatusCode::OK);
    // The code is used up.
    let (status, _) = login(
        &app,
        json!({"phone": admin.phone, "password": PASSWORD, "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admins_password_step_sent_again_within_the_minute_asks_for_the_code_it_already_sent() {
    let app = spawn_app().await;
    let admin = admin_account(&app, "150602").await;
    let (status, body) = login(&app, json!({"phone": admin.phone, "password": PASSWORD})).await;
    assert_eq!(body["error"]["code"], "second_factor_required", "{status}");
    let code = app.last_code(&admin.phone).expect("a code");
    let sent = app.sms_to(&admin.phone).len();

    // A double tap, or the second step sent with the code field still empty.
    for again in [
        json!({"phone": admin.phone, "password": PASSWORD}),
        json!({"phone": admin.phone, "password": PASSWORD, "code": ""}),
    ] {
        let (status, body) = login(&app, again).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (StatusCode::UNAUTHORIZED, &json!("second_factor_required")),
            "not 429: the code sent a moment ago is still good"
        );
    }
    assert_eq!(app.sms_to(&admin.phone).len(), sent, "no second code sent");
    let (status, body) = login(
        &app,
        json!({"phone": admin.phone, "password": PASSWORD, "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn wrong_second_factor_codes_count_toward_the_login_throttle() {
    let app = spawn_app().await;
    let admin = admin_account(&app, "150602").await;
    let (status, _) = login(&app, json!({"phone": admin.phone, "password": PASSWORD})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let code = app.last_code(&admin.phone).expect("a code");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        let (status, _) = login(
            &app,
            json!({"phone": admin.phone, "password": PASSWORD, "code": wrong}),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = login(
        &app,
        json!({"phone": admin.phone, "password": PASSWORD, "code": code}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "five failures a window"
    );
}

#[tokio::test]
async fn an_admin_session_idles_out_after_30_minutes_and_a_volunteers_lasts_its_7_days() {
    let app = spawn_app().await;
    let admin = app.region_admin("150602").await;
    let volunteer = app.register().await;
    let (status, renewed) = me_with(&app, &admin.token).await;
    assert_eq!(
        (status, renewed),
        (StatusCode::OK, None),
        "a fresh token is not renewed"
    );

    app.clock.advance(29 * MIN);
    let (status, renewed) = me_with(&app, &admin.token).await;
    assert_eq!(status, StatusCode::OK, "29 minutes idle");
    let renewed = renewed.expect("a token in use is renewed");

    app.clock.advance(2 * MIN);
    assert_eq!(
        me_with(&app, &admin.token).await.0,
        StatusCode::UNAUTHORIZED,
        "31 minutes after the sign-in, with no request since"
    );
    assert_eq!(
        me_with(&app, &renewed).await.0,
        StatusCode::OK,
        "the renewed token counts from the last request"
    );
    app.clock.advance(31 * MIN);
    assert_eq!(me_with(&app, &renewed).await.0, StatusCode::UNAUTHORIZED);

    let (status, renewed) = me_with(&app, &volunteer.token).await;
    assert_eq!(
        (status, renewed),
        (StatusCode::OK, None),
        "a volunteer's session neither idles out nor is renewed"
    );
    app.clock.advance(7 * 24 * 60 * MIN);
    assert_eq!(
        me_with(&app, &volunteer.token).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_admin_who_changes_the_password_stays_in_a_second_factor_session() {
    let app = spawn_app().await;
    let admin = app.region_admin("150602").await;
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/password",
            &json!({"current_password": PASSWORD, "new_password": "another-pass-2026"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["token"].as_str().expect("token");
    assert_eq!(me_with(&app, token).await.0, StatusCode::OK);
    app.clock.advance(31 * MIN);
    assert_eq!(me_with(&app, token).await.0, StatusCode::UNAUTHORIZED);
}

/// The status, error code and `Cache-Control` of one of the re-checked actions.
async fn whole_data(app: &TestApp, method: Method, path: &str, token: &str) -> (u16, String) {
    let resp = app
        .http
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    let status = resp.status().as_u16();
    let cache = resp
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    match status {
        200 => (200, cache),
        _ => (
            status,
            body["error"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ),
    }
}

async fn all_three(app: &TestApp, token: &str) -> Vec<(u16, String)> {
    vec![
        whole_data(app, Method::POST, "/api/me/reveal", token).await,
        whole_data(app, Method::GET, "/api/me/export", token).await,
        whole_data(app, Method::POST, "/api/me/transfer", token).await,
    ]
}

fn each(answer: (u16, &str)) -> Vec<(u16, String)> {
    vec![(answer.0, answer.1.to_string()); 3]
}

#[tokio::test]
async fn reveal_and_both_exports_need_a_recheck_within_the_last_5_minutes() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    assert_eq!(
        all_three(&app, &v.token).await,
        each((403, "recheck_required"))
    );

    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/recheck",
            &json!({"password": "not-the-password"}),
            Some(&v.token),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("password"))
    );
    let (status, body) = app
        .send_json(Method::POST, "/api/me/recheck", &json!({}), Some(&v.token))
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("password"))
    );

    let fresh = app.rechecked(&v.token).await;
    assert_eq!(all_three(&app, &fresh).await, each((200, "no-store")));
    app.clock.advance(4 * MIN);
    assert_eq!(all_three(&app, &fresh).await, each((200, "no-store")));
    app.clock.advance(2 * MIN);
    assert_eq!(
        all_three(&app, &fresh).await,
        each((403, "recheck_required")),
        "6 minutes after the re-check"
    );
    assert_eq!(
        me_with(&app, &fresh).await.0,
        StatusCode::OK,
        "the session itself goes on"
    );

    // The transfer export is a POST now; the GET of before is gone.
    let (status, _) = app.get_with("/api/me/transfer", Some(&fresh)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_recheck_by_a_code_sent_to_the_own_phone_opens_reveal() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    app.minute_passes_for(&v.phone).await;
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/me/recheck/code",
            &Value::Null,
            Some(&v.token),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let code = app
        .last_code(&v.phone)
        .expect("a code to the account's phone");
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/recheck",
            &json!({"code": code}),
            Some(&v.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["valid_seconds"], 300);
    let token = body["token"].as_str().expect("token");
    let (status, shown) = app
        .send_json(Method::POST, "/api/me/reveal", &Value::Null, Some(token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["phone"], v.phone.as_str());
    // Used once.
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/recheck",
            &json!({"code": code}),
            Some(&v.token),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("code"))
    );
}

#[tokio::test]
async fn an_admins_recheck_keeps_the_session_short() {
    let app = spawn_app().await;
    let admin = app.region_admin("150602").await;
    let fresh = app.rechecked(&admin.token).await;
    assert_eq!(
        whole_data(&app, Method::POST, "/api/me/reveal", &fresh).await,
        (200, "no-store".to_string())
    );
    app.clock.advance(31 * MIN);
    assert_eq!(me_with(&app, &fresh).await.0, StatusCode::UNAUTHORIZED);
}
