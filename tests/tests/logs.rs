//! Personal data never reaches the logs: every log line the app writes while people
//! register, sign in, become volunteers, ask to see their own data, download it, change
//! their password and close their account is captured here and searched for the phone,
//! the ID number, the passwords, the verification codes (sent for registration, sign-in
//! by code and a password reset) and a calendar feed's token. The security events (sign-in
//! failures, reveals, exports, refusals, account closing) are among those lines, each
//! with its fixed fields.
//! (Its own test binary: the log capture is process-wide.)

use reqwest::Method;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use zhiyuan_tests::{id_number, spawn_app, volunteer_body};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_phone_id_number_or_password_appears_in_any_log_line() {
    let captured = Captured::default();
    let sink = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "trace,hyper=debug,h2=debug,rustls=debug,aws_smithy_runtime=debug,aws_sdk_dynamodb=debug",
        ))
        .with_writer(move || sink.clone())
        .with_ansi(false)
        // No timestamps: their microseconds are six digits that could equal a code.
        .without_time()
        .init();

    let app = spawn_app().await;
    let phone = "13698765432";
    let password = "secret-pass-9931";
    let id = id_number(77);
    let mut codes = Vec::new();
    let code = app.code_for(phone, "register").await;
    codes.push(code.clone());
    let (status, reg) = app
        .send_json(
            Method::POST,
            "/api/auth/register",
            &json!({"phone": phone, "code": code, "password": password, "display_name": "日志"}),
            None,
        )
        .await;
    assert_eq!(status, 201, "{reg}");
    let token = reg["token"].as_str().expect("token").to_string();
    let _ = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": phone, "password": "wrong-pass-000"}),
            None,
        )
        .await;
    let _ = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": phone, "password": password}),
            None,
        )
        .await;
    let mut bad = volunteer_body(&id);
    bad["consent"] = json!(false);
    let _ = app
        .send_json(Method::POST, "/api/me/volunteer", &bad, Some(&token))
        .await;
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/me/volunteer",
            &volunteer_body(&id),
            Some(&token),
        )
        .await;
    assert_eq!(status, 201);
    let _ = app
        .send_json(
            Method::POST,
            "/api/me/volunteer",
            &volunteer_body(&id),
            Some(&token),
        )
        .await;
    // The re-check that opens reveal and the data export: the password is never logged.
    let (status, rechecked) = app
        .send_json(
            Method::POST,
            "/api/me/recheck",
            &json!({"password": password}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{rechecked}");
    let token = rechecked["token"].as_str().expect("token").to_string();
    let (_, shown) = app
        .send_json(Method::POST, "/api/me/reveal", &Value::Null, Some(&token))
        .await;
    assert_eq!(shown["id_number"], id.as_str());
    let _ = app.get_as("/api/me", &token).await;
    // A refusal (403): a volunteer asking for a region's personal-data trail.
    let (status, _) = app
        .get_with("/api/audit/personal-data?region=150602", Some(&token))
        .await;
    assert_eq!(status, 403);
    // A calendar feed's token is a credential in its address: logged without it.
    let (_, feed) = app
        .send_json(Method::POST, "/api/me/calendar", &Value::Null, Some(&token))
        .await;
    let feed_url = feed["url"].as_str().expect("feed url").to_string();
    let feed_token = feed_url
        .rsplit('/')
        .next()
        .and_then(|s| s.strip_suffix(".ics"))
        .expect("feed token")
        .to_string();
    let fetched = app.http.get(&feed_url).send().await.expect("feed sent");
    assert_eq!(fetched.status(), 200);

    // Sign in by code (one wrong try first), then reset a password by code: the codes
    // travel in requests, in the store and in the outbox, never in a log line. (Two more
    // accounts, each phone being allowed one code a minute.)
    let (phone2, phone3) = ("13698765433", "13698765434");
    let hash = zhiyuan_functions::crypto::hash_password(password).expect("hash");
    app.accounts_in_store(&[phone2.to_string(), phone3.to_string()], &hash)
        .await;
    let code = app.code_for(phone2, "login").await;
    codes.push(code.clone());
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": phone2, "code": wrong}),
            None,
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/auth/login",
            &json!({"phone": phone2, "code": code}),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let code = app.code_for(phone3, "reset").await;
    codes.push(code.clone());
    let (status, reset) = app
        .send_json(
            Method::POST,
            "/api/auth/reset",
            &json!({"phone": phone3, "code": code, "new_password": "another-pass-7"}),
            None,
        )
        .await;
    assert_eq!(status, 200, "{reset}");

    // My account: my data (whole numbers in the answer), a password change, closing.
    let (status, mine) = app.get_with("/api/me/export", Some(&token)).await;
    assert_eq!(
        (status.as_u16(), &mine["account"]["phone"]),
        (200, &json!(phone))
    );
    let new_password = "secret-pass-7720";
    let change = |current: &str| json!({"current_password": current, "new_password": new_password});
    let _ = app
        .send_json(
            Method::POST,
            "/api/me/password",
            &change("wrong-pass-000"),
            Some(&token),
        )
        .await;
    let (status, changed) = app
        .send_json(
            Method::POST,
            "/api/me/password",
            &change(password),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    let token = changed["token"].as_str().expect("token").to_string();
    let _ = app
        .send_json(
            Method::POST,
            "/api/me/close",
            &json!({"password": password}),
            Some(&token),
        )
        .await;
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/me/close",
            &json!({"password": new_password}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 204);

    // 代注册: a station manager registers a resident by the code the resident reads out.
    let manager = app
        .with_role(
            zhiyuan_shared::account::Role::StationManager,
            "01J0000000000000000000STN1",
        )
        .await;
    let resident_phone = "13698765400";
    let resident_id = id_number(78);
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/assisted-registrations/codes",
            &json!({ "phone": resident_phone }),
            Some(&manager.token),
        )
        .await;
    assert_eq!(status, 202);
    let code = app.last_code(resident_phone).expect("the resident's code");
    codes.push(code.clone());
    let (status, reg) = app
        .send_json(
            Method::POST,
            "/api/assisted-registrations",
            &json!({
                "display_name": "王奶奶", "real_name": "王秀兰", "id_number": resident_id,
                "region_code": "150602", "service_fields": ["community_service"],
                "phone": resident_phone, "code": code, "consent": true,
            }),
            Some(&manager.token),
        )
        .await;
    assert_eq!(status, 201, "{reg}");

    let logs =
        String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|p| p.into_inner())).to_string();
    assert!(logs.len() > 1000, "the capture works: {} bytes", logs.len());
    assert!(logs.contains("/api/me/volunteer"), "requests were logged");
    assert!(
        logs.contains("/api/calendar/…"),
        "the feed request was logged"
    );
    for secret in [
        phone,
        phone2,
        phone3,
        id.as_str(),
        &id[..14],
        password,
        "another-pass-7",
        &feed_token,
        new_password,
        resident_phone,
        resident_id.as_str(),
        "王秀兰",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
    assert!(
        logs.contains("/api/auth/reset"),
        "the code flows were logged"
    );
    // The security events are there, each with its fixed fields (and, by the search
    // above, without personal data).
    let events: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("security event"))
        .collect();
    for (event, outcome) in [
        ("sign_in_failed", "refused"),
        ("personal_data_reveal", "success"),
        ("personal_data_export", "success"),
        ("access_refused", "refused"),
        ("account_closing", "refused"),
        ("account_closing", "success"),
        ("assisted_registration", "success"),
    ] {
        assert!(
            events
                .iter()
                .any(|l| l.contains(event) && l.contains(outcome)),
            "no {event} {outcome} event in {events:#?}"
        );
    }
    for line in &events {
        for field in [
            "event=",
            "actor=",
            "target_id=",
            "outcome=",
            "client=",
            "route=",
        ] {
            assert!(line.contains(field), "{field} missing: {line}");
        }
    }
    // A code as a number of its own: six digits inside a longer number (a Unix time, a
    // counter) are not the code.
    let standalone = |code: &str| {
        logs.match_indices(code).any(|(i, _)| {
            let before = logs[..i].chars().next_back();
            let after = logs[i + code.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
    };
    for code in &codes {
        assert!(!standalone(code), "the code {code} leaked into the logs");
    }
}
