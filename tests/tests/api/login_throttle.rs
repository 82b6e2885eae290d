//! The sign-in throttle holds a crowd: per phone, five failures a window, reserved before
//! the password is checked, however many guesses arrive at once (and whatever the store
//! does meanwhile); per address, failures only, so one school's network of successful
//! sign-ins never locks out the next student.

use super::codes::early_in_window;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use zhiyuan_functions::service::accounts::{MAX_FAILURES_PER_PHONE, WINDOW_SECONDS};
use zhiyuan_functions::store::faults::{Fault, FaultInjector};
use zhiyuan_tests::{PASSWORD, TestApp, phone, spawn_app, spawn_app_on};

async fn sign_in(app: &TestApp, phone: &str, password: &str) -> StatusCode {
    app.http
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .expect("sent")
        .status()
}

async fn one_account(app: &TestApp) -> String {
    let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
    let p = phone(app.next());
    app.accounts_in_store(std::slice::from_ref(&p), &hash).await;
    p
}

#[tokio::test]
async fn sixty_students_signing_in_from_one_address_within_a_minute_all_get_in() {
    let app = spawn_app().await;
    early_in_window(WINDOW_SECONDS).await;
    let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
    let phones: Vec<String> = (0..60).map(|_| phone(app.next())).collect();
    app.accounts_in_store(&phones, &hash).await;
    let started = std::time::Instant::now();
    let answers = join_all(phones.iter().map(|p| sign_in(&app, p, PASSWORD))).await;
    assert!(started.elapsed().as_secs() < 60, "within a minute");
    assert!(answers.iter().all(|s| *s == StatusCode::OK), "{answers:?}");
    // And a typo of the 61st still gets a plain 401, not a lockout.
    assert_eq!(
        sign_in(&app, &phones[0], "wrong-pass-1").await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn thirty_concurrent_wrong_passwords_for_one_phone_check_exactly_five() {
    let app = spawn_app().await;
    early_in_window(WINDOW_SECONDS).await;
    let p = one_account(&app).await;
    let answers = join_all((0..30).map(|_| sign_in(&app, &p, "wrong-pass-1"))).await;
    let count = |s: StatusCode| answers.iter().filter(|a| **a == s).count();
    assert_eq!(
        (
            count(StatusCode::UNAUTHORIZED),
            count(StatusCode::TOO_MANY_REQUESTS)
        ),
        (MAX_FAILURES_PER_PHONE as usize, 25),
        "{answers:?}"
    );
    assert_eq!(
        sign_in(&app, &p, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the window"
    );
}

#[tokio::test]
async fn with_a_faulty_store_no_more_than_five_guesses_for_a_phone_are_ever_checked() {
    let app = spawn_app().await;
    early_in_window(WINDOW_SECONDS).await;
    let injector = FaultInjector::new(20, &[Fault::Throttled, Fault::Conflict, Fault::LostAnswer]);
    let counts = injector.counts.clone();
    let faulty = spawn_app_on(app.store.with_faults(injector)).await;
    for round in 0..3 {
        let p = one_account(&app).await;
        let answers = join_all((0..30).map(|_| sign_in(&faulty, &p, "wrong-pass-1"))).await;
        let count = |s: StatusCode| answers.iter().filter(|a| **a == s).count();
        assert!(
            count(StatusCode::UNAUTHORIZED) <= MAX_FAILURES_PER_PHONE as usize,
            "round {round}: {answers:?}"
        );
        assert_eq!(count(StatusCode::OK), 0);
        assert!(
            answers.iter().all(|s| [
                StatusCode::UNAUTHORIZED,
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(s)),
            "round {round}: {answers:?}"
        );
        // Thirty tries used up the five slots, whatever the answers said.
        assert_eq!(
            sign_in(&app, &p, "wrong-pass-1").await,
            StatusCode::TOO_MANY_REQUESTS,
            "round {round}"
        );
    }
    use std::sync::atomic::Ordering::Relaxed;
    assert!(
        counts.throttled.load(Relaxed) + counts.lost_answers.load(Relaxed) > 0,
        "faults happened: {counts:?}"
    );
}

#[tokio::test]
async fn a_release_whose_answer_is_lost_and_retried_gives_back_one_slot_only() {
    let app = spawn_app().await;
    let mut slots = Vec::new();
    for _ in 0..3 {
        slots.push(
            app.store
                .reserve_slot("phone", "k", 1, 5, i64::MAX / 2)
                .await
                .expect("store")
                .expect("a slot"),
        );
    }
    // Every answer lost: the SDK sends the release again and again, and each is executed.
    let injector = FaultInjector::new(100, &[Fault::LostAnswer]);
    let counts = injector.counts.clone();
    let lossy = app.store.with_faults(injector);
    assert!(
        lossy.release_slot(&slots[0]).await.is_err(),
        "the caller heard nothing"
    );
    assert!(
        counts
            .lost_answers
            .load(std::sync::atomic::Ordering::Relaxed)
            > 1,
        "the release was sent more than once"
    );
    assert_eq!(app.store.attempts("phone", "k", 1).await.expect("read"), 2);
    // Giving the same slot back again changes nothing; another slot still counts.
    app.store.release_slot(&slots[0]).await.expect("idempotent");
    assert_eq!(app.store.attempts("phone", "k", 1).await.expect("read"), 2);
    app.store.release_slot(&slots[1]).await.expect("release");
    assert_eq!(app.store.attempts("phone", "k", 1).await.expect("read"), 1);
}
