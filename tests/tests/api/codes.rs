//! Phone verification codes: sending (the same answer for every phone, the send limits),
//! checking (wrong, expired, used, out of tries) for each purpose, and 忘记密码.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::service::codes::{self, MAX_SENDS_PER_CLIENT_PER_HOUR};
use zhiyuan_functions::store::codes::CodeItem;
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::identity::Phone;
use zhiyuan_tests::{PASSWORD, TestApp, User, phone, spawn_app};

const PURPOSES: [&str; 3] = ["register", "reset", "login"];

/// Waits, if needed, until at least two minutes remain of the current fixed window of
/// `seconds`, so a test counting up to a limit cannot straddle a window's end (where the
/// count starts again).
pub(crate) async fn early_in_window(seconds: i64) {
    let left = seconds - zhiyuan_functions::clock::now_unix().rem_euclid(seconds);
    if left < 120 {
        tokio::time::sleep(std::time::Duration::from_secs(left as u64 + 1)).await;
    }
}

/// `n` accounts with the test password, written through the store.
async fn accounts(app: &TestApp, n: usize) -> Vec<User> {
    let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
    let phones: Vec<String> = (0..n).map(|_| phone(app.next())).collect();
    app.accounts_in_store(&phones, &hash).await
}

async fn ask(app: &TestApp, phone: &str, purpose: &str) -> reqwest::Response {
    app.http
        .post(format!("{}/api/auth/codes", app.base))
        .json(&json!({"phone": phone, "purpose": purpose}))
        .send()
        .await
        .expect("sent")
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After")
}

/// A six-digit code that is not `code`.
fn other_than(code: &str) -> String {
    let n: u32 = code.parse().expect("digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

/// Uses `code` for `purpose` on `phone` (a fresh phone for `register`, an account's for
/// the others); returns the status and body.
async fn use_code(app: &TestApp, purpose: &str, phone: &str, code: &str) -> (StatusCode, Value) {
    let (path, body) = match purpose {
        "register" => (
            "/api/auth/register",
            json!({"phone": phone, "code": code, "password": PASSWORD, "display_name": "新人"}),
        ),
        "reset" => (
            "/api/auth/reset",
            json!({"phone": phone, "code": code, "new_password": format!("new-pass-{code}")}),
        ),
        _ => ("/api/auth/login", json!({"phone": phone, "code": code})),
    };
    app.send_json(Method::POST, path, &body, None).await
}

fn succeeded(purpose: &str, status: StatusCode) -> bool {
    status
        == match purpose {
            "register" => StatusCode::CREATED,
            _ => StatusCode::OK,
        }
}

/// A refused code: 400 on `code` (401 when signing in, as a wrong password is).
fn refused_code(purpose: &str, status: StatusCode, body: &Value) -> bool {
    match purpose {
        "login" => status == StatusCode::UNAUTHORIZED,
        _ => status == StatusCode::BAD_REQUEST && body["error"]["field"] == "code",
    }
}

/// A phone for `purpose`: unregistered for `register`, an account's otherwise.
async fn phone_for(app: &TestApp, purpose: &str) -> String {
    if purpose == "register" {
        phone(app.next())
    } else {
        accounts(app, 1).await.remove(0).phone
    }
}

#[tokio::test]
async fn the_answer_to_a_code_request_is_the_same_for_registered_and_unknown_phones() {
    let app = spawn_app().await;
    for purpose in PURPOSES {
        let known = accounts(&app, 1).await.remove(0).phone;
        let unknown = phone(app.next());
        let a = ask(&app, &known, purpose).await;
        let b = ask(&app, &unknown, purpose).await;
        assert_eq!(
            (a.status(), b.status()),
            (StatusCode::ACCEPTED, StatusCode::ACCEPTED)
        );
        assert_eq!(
            a.text().await.expect("body"),
            b.text().await.expect("body"),
            "{purpose}"
        );
        let (to_known, to_unknown) = (app.sms_to(&known), app.sms_to(&unknown));
        match purpose {
            // A registered phone hears that it is registered; a new one gets its code.
            "register" => {
                assert_eq!(to_known.len(), 1);
                assert_eq!(to_known[0]["kind"], "code_taken");
                assert!(app.last_code(&known).is_none(), "no code for a taken phone");
                assert_eq!(to_unknown[0]["kind"], "code_register");
                assert!(app.last_code(&unknown).is_some());
            }
            // Nothing is sent to a phone without an account.
            _ => {
                assert_eq!(to_known.len(), 1, "{purpose}");
                assert_eq!(to_known[0]["kind"], format!("code_{purpose}"));
                assert!(to_unknown.is_empty(), "{purpose}: {to_unknown:?}");
            }
        }
    }
    // Every text sent fits one SMS.
    let outbox = std::fs::read_to_string(&app.outbox).expect("outbox");
    for line in outbox.lines() {
        let m: Value = serde_json::from_str(line).expect("json");
        assert!(
            m["text"].as_str().expect("text").chars().count() <= 70,
            "{m}"
        );
    }
}

#[tokio::test]
async fn a_wrong_code_is_refused_the_right_one_works_once_and_never_again() {
    let app = spawn_app().await;
    for purpose in PURPOSES {
        let p = phone_for(&app, purpose).await;
        let code = app.code_for(&p, purpose).await;
        let (s, b) = use_code(&app, purpose, &p, &other_than(&code)).await;
        assert!(refused_code(purpose, s, &b), "{purpose} wrong: {s} {b}");
        let (s, b) = use_code(&app, purpose, &p, &code).await;
        assert!(succeeded(purpose, s), "{purpose} right: {s} {b}");
        let (s, b) = use_code(&app, purpose, &p, &code).await;
        assert!(refused_code(purpose, s, &b), "{purpose} reused: {s} {b}");
    }
}

#[tokio::test]
async fn a_code_dies_after_five_tries_so_the_sixth_fails_even_when_right() {
    let app = spawn_app().await;
    early_in_window(codes::CODE_FAILURE_WINDOW_SECONDS).await;
    for purpose in PURPOSES {
        let p = phone_for(&app, purpose).await;
        let code = app.code_for(&p, purpose).await;
        for _ in 0..5 {
            let (s, b) = use_code(&app, purpose, &p, &other_than(&code)).await;
            assert!(refused_code(purpose, s, &b), "{purpose}: {s} {b}");
        }
        let (s, b) = use_code(&app, purpose, &p, &code).await;
        // Signing in, the phone's five failures also close sign-in for the window (429).
        assert!(
            refused_code(purpose, s, &b)
                || (purpose == "login" && s == StatusCode::TOO_MANY_REQUESTS),
            "{purpose} sixth: {s} {b}"
        );
    }
    // Registering, nothing was created.
    let (s, _) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": phone(0), "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_code_is_refused_for_each_purpose_and_an_unexpired_one_is_not() {
    let app = spawn_app().await;
    let now = zhiyuan_functions::clock::now_unix();
    for purpose in PURPOSES {
        for (expires_at, works) in [(now - 1, false), (now + 300, true)] {
            let p = phone_for(&app, purpose).await;
            let cp = CodePurpose::from_slug(purpose).expect("purpose");
            let phone = Phone::parse(&p).expect("phone");
            app.store
                .put_code(&CodeItem {
                    phone_index: app.keys.blind_index("phone", &p),
                    purpose: purpose.into(),
                    hash: codes::code_hash(&app.keys, &phone, cp, "424242"),
                    tries: 0,
                    expires_at,
                })
                .await
                .expect("code written");
            let (s, b) = use_code(&app, purpose, &p, "424242").await;
            if works {
                assert!(succeeded(purpose, s), "{purpose} valid: {s} {b}");
            } else {
                assert!(refused_code(purpose, s, &b), "{purpose} expired: {s} {b}");
            }
        }
    }
}

#[tokio::test]
async fn a_phone_gets_one_code_a_minute_and_a_new_code_replaces_the_last() {
    let app = spawn_app().await;
    let p = accounts(&app, 1).await.remove(0).phone;
    let first = app.code_for(&p, "reset").await;
    for purpose in PURPOSES {
        let again = ask(&app, &p, purpose).await;
        assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS, "{purpose}");
        assert!((1..=60).contains(&retry_after(&again)));
    }
    assert_eq!(app.sms_to(&p).len(), 1, "nothing more was sent");
    tokio::time::sleep(std::time::Duration::from_secs(61)).await;
    let second = app.code_for(&p, "reset").await;
    if first != second {
        let (s, b) = use_code(&app, "reset", &p, &first).await;
        assert!(refused_code("reset", s, &b), "the replaced code: {s} {b}");
    }
    let (s, b) = use_code(&app, "reset", &p, &second).await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn a_phone_gets_at_most_ten_codes_a_beijing_day() {
    let app = spawn_app().await;
    let now = zhiyuan_functions::clock::now_unix();
    let day = codes::beijing_day(now);
    // Earlier sends today, each a minute apart, written as the day counter they left:
    // nine for one phone, ten for another.
    let mut phones = Vec::new();
    for earlier in [9, 10] {
        let p = phone(app.next());
        let index = app.keys.blind_index("phone", &p);
        for _ in 0..earlier {
            assert!(
                app.store
                    .reserve_attempt(codes::DAY_COUNTER, &index, day, 10, now + 2 * 86_400)
                    .await
                    .expect("counted")
            );
        }
        phones.push(p);
    }
    assert_eq!(
        ask(&app, &phones[0], "register").await.status(),
        StatusCode::ACCEPTED
    );
    assert!(app.last_code(&phones[0]).is_some(), "the tenth is sent");
    let eleventh = ask(&app, &phones[1], "register").await;
    assert_eq!(eleventh.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&eleventh);
    assert!(
        (1..=86_400).contains(&wait),
        "until Beijing midnight: {wait}"
    );
    assert!(
        app.sms_to(&phones[1]).is_empty(),
        "the eleventh is not sent"
    );
}

#[tokio::test]
async fn one_address_may_ask_for_three_hundred_codes_an_hour_then_waits() {
    let app = spawn_app().await;
    // The count is per clock hour: start well inside one.
    early_in_window(3600).await;
    let phones: Vec<String> = (0..MAX_SENDS_PER_CLIENT_PER_HOUR)
        .map(|_| phone(app.next()))
        .collect();
    for chunk in phones.chunks(20) {
        let answers = join_all(chunk.iter().map(|p| ask(&app, p, "login"))).await;
        assert!(answers.iter().all(|a| a.status() == StatusCode::ACCEPTED));
    }
    let over = ask(&app, &phone(app.next()), "register").await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=3600).contains(&retry_after(&over)));
}

#[tokio::test]
async fn bad_code_requests_name_the_field_and_send_nothing() {
    let app = spawn_app().await;
    for (body, field) in [
        (json!({"phone": "12345", "purpose": "register"}), "phone"),
        (json!({"purpose": "register"}), "phone"),
        (
            json!({"phone": "13912345678", "purpose": "close"}),
            "purpose",
        ),
        (json!({"phone": "13912345678"}), "purpose"),
    ] {
        let (s, err) = app
            .send_json(Method::POST, "/api/auth/codes", &body, None)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(err["error"]["field"], field, "{body}");
    }
    assert!(app.sms_to("13912345678").is_empty());
    // The refusals did not start the phone's minute.
    app.request_code("13912345678", "register").await;
}

#[tokio::test]
async fn a_reset_sets_the_password_ends_every_other_session_and_signs_this_device_in() {
    let app = spawn_app().await;
    let u = accounts(&app, 1).await.remove(0);
    let other_device = app.login(&u.phone, PASSWORD).await;
    let code = app.code_for(&u.phone, "reset").await;
    let (s, reset) = app
        .send_json(
            Method::POST,
            "/api/auth/reset",
            &json!({"phone": u.phone, "code": code, "new_password": "brand-new-pass-1"}),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{reset}");
    assert_eq!(reset["user"]["user_id"], u.id.as_str());
    let this_device = reset["token"].as_str().expect("token");
    assert_eq!(
        app.get_as("/api/me", this_device).await["user_id"],
        u.id.as_str()
    );
    for old in [&u.token, &other_device] {
        let (s, _) = app.get_with("/api/me", Some(old)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "an old session ended");
    }
    let (s, _) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": u.phone, "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the old password is gone");
    app.login(&u.phone, "brand-new-pass-1").await;
}

#[tokio::test]
async fn a_bad_reset_names_the_field_and_changes_nothing() {
    let app = spawn_app().await;
    let u = accounts(&app, 1).await.remove(0);
    let code = app.code_for(&u.phone, "reset").await;
    for (new_password, code, field) in [
        ("12345678", code.as_str(), "new_password"),
        ("short", code.as_str(), "new_password"),
        // The same as the old one: refused while the code stays valid.
        (PASSWORD, code.as_str(), "new_password"),
        ("brand-new-pass-1", "", "code"),
        ("brand-new-pass-1", "12345", "code"),
        ("brand-new-pass-1", &other_than(&code), "code"),
    ] {
        let (s, err) = app
            .send_json(
                Method::POST,
                "/api/auth/reset",
                &json!({"phone": u.phone, "code": code, "new_password": new_password}),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{new_password} {code}: {err}");
        assert_eq!(err["error"]["field"], field, "{new_password} {code}");
    }
    // Nothing changed: the old password and the session still work.
    app.get_as("/api/me", &u.token).await;
    app.login(&u.phone, PASSWORD).await;
    // And the code, tried three times, still resets.
    let (s, body) = use_code(&app, "reset", &u.phone, &code).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn concurrent_right_answers_use_a_code_once() {
    let app = spawn_app().await;
    let u = accounts(&app, 1).await.remove(0);
    let code = app.code_for(&u.phone, "reset").await;
    let answers = join_all((0..10).map(|i| {
        let app = &app;
        let body =
            json!({"phone": u.phone, "code": code, "new_password": format!("racing-pass-{i}")});
        async move {
            app.send_json(Method::POST, "/api/auth/reset", &body, None)
                .await
                .0
        }
    }))
    .await;
    let ok = answers.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    assert!(
        answers.iter().all(|s| *s == StatusCode::OK
            || *s == StatusCode::BAD_REQUEST
            || *s == StatusCode::TOO_MANY_REQUESTS),
        "{answers:?}"
    );
}

#[tokio::test]
async fn wrong_codes_for_one_phone_are_limited_across_codes() {
    let app = spawn_app().await;
    early_in_window(codes::CODE_FAILURE_WINDOW_SECONDS).await;
    let u = accounts(&app, 1).await.remove(0);
    // Ten wrong codes without any code sent: each is a failure of this phone's.
    let mut statuses = Vec::new();
    for n in 0..=codes::MAX_CODE_FAILURES_PER_PHONE {
        let (s, _) = use_code(&app, "reset", &u.phone, &format!("{n:06}")).await;
        statuses.push(s);
    }
    assert!(
        statuses[..10].iter().all(|s| *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
}
