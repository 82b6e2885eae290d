//! Service records: check-in codes, hand entry, confirmation counted once whatever the
//! concurrency, retries and crashes, corrections and disputes with their audit trail,
//! automatic closing, stars, certificates and transfers between deployments.

mod certificates;
mod checkin;
mod corrections;
mod totals;
mod training;
mod transfers;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_tests::{TestApp, User};

const H: i64 = 3600;

fn code_window(now: i64) -> i64 {
    now.div_euclid(30)
}

async fn code(app: &TestApp, organizer: &User, shift: &str) -> String {
    let c = app
        .get_as(
            &format!("/api/shifts/{shift}/checkin-code"),
            &organizer.token,
        )
        .await;
    c["code"].as_str().expect("code").to_string()
}

async fn scan(app: &TestApp, v: &User, shift: &str, code: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/shifts/{shift}/checkin"),
        &json!({ "code": code }),
        &v.token,
    )
    .await
}

async fn confirm(app: &TestApp, organizer: &User, record: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/records/{record}/confirm"),
        &Value::Null,
        &organizer.token,
    )
    .await
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("record id").to_string()
}
