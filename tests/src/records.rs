//! Shifts under way, hand entries and random record histories.

use super::app::{TestApp, User};
use super::bodies::{DAY, activity_body};
use super::store::move_shift;
use reqwest::StatusCode;
use serde_json::Value;

/// A shift under way: published by the organizer of an approved 东胜区 organisation,
/// `volunteers` signed up, then moved to run from `started_ago` seconds ago for `length`
/// seconds. Returns (organizer, org id, shift id).
pub async fn shift_under_way(
    app: &TestApp,
    volunteers: &[&User],
    started_ago: i64,
    length: i64,
) -> (User, String, String) {
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            // A time of its own, so one volunteer may sign up for several of these.
            &activity_body(
                &org,
                &[(
                    2 * DAY + i64::from(app.next() % 1000) * 2 * 3600,
                    3600,
                    volunteers.len().max(1) as u32,
                )],
            ),
        )
        .await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift id").to_string();
    for v in volunteers {
        let (status, body) = app.sign_up(&v.token, &shift).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let now = zhiyuan_functions::clock::now_unix();
    move_shift(
        &app.store,
        &shift,
        now - started_ago,
        now - started_ago + length,
    )
    .await;
    (organizer, org, shift)
}

impl TestApp {
    /// The organizer enters a volunteer's times by hand; returns the record.
    pub async fn attendance(
        &self,
        organizer: &User,
        shift: &str,
        user_id: &str,
        check_in: i64,
        check_out: Option<i64>,
    ) -> Value {
        let mut body = serde_json::json!({
            "user_id": user_id,
            "check_in": zhiyuan_shared::time::Timestamp::from_unix(check_in).rfc3339_cst(),
        });
        if let Some(o) = check_out {
            body["check_out"] = zhiyuan_shared::time::Timestamp::from_unix(o)
                .rfc3339_cst()
                .into();
        }
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                &format!("/api/shifts/{shift}/attendance"),
                &body,
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json
    }

    pub async fn post(&self, path: &str, body: &Value, token: &str) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, path, body, Some(token))
            .await
    }
}

/// One shift of a random record history: its organizer, id and start (Unix seconds).
pub struct HistoryShift {
    pub organizer: User,
    pub shift: String,
    pub start: i64,
}

/// A random history of record changes: hand entries, single and shift-wide
/// confirmations, corrections and voids, 30 % of them sent three times at once, each
/// through `app` or (half the time) `faulty`. Asserts no answer is a 500.
pub async fn random_record_history(
    app: &TestApp,
    faulty: &TestApp,
    volunteers: &[User],
    shifts: &[HistoryShift],
    rng: &mut impl rand::Rng,
    steps: usize,
) {
    use serde_json::json;
    for step in 0..steps {
        let s = &shifts[rng.gen_range(0..shifts.len())];
        let (shift, start) = (&s.shift, s.start);
        let v = &volunteers[rng.gen_range(0..volunteers.len())];
        let via = if rng.gen_bool(0.5) { faulty } else { app };
        let record = format!("{shift}{}", v.id);
        let at = |t: i64| zhiyuan_shared::time::Timestamp::from_unix(t).rfc3339_cst();
        let (i, o) = (rng.gen_range(0..5) * 1800, rng.gen_range(6..13) * 1800);
        let (path, body) = match rng.gen_range(0..5) {
            0 => (
                format!("/api/shifts/{shift}/attendance"),
                json!({"user_id": v.id, "check_in": at(start + i), "check_out": at(start + o)}),
            ),
            1 => (format!("/api/records/{record}/confirm"), Value::Null),
            2 => (format!("/api/shifts/{shift}/records/confirm"), Value::Null),
            3 => (
                format!("/api/records/{record}/correct"),
                json!({"check_in": at(start + i), "check_out": at(start + o), "reason": format!("step {step}")}),
            ),
            _ => (
                format!("/api/records/{record}/correct"),
                json!({"void": rng.gen_bool(0.3), "check_out": at(start + o), "reason": "核对"}),
            ),
        };
        // Sometimes the same request three times at once (a nervous double tap).
        let times = if rng.gen_bool(0.3) { 3 } else { 1 };
        let token = &s.organizer.token;
        let answers =
            futures::future::join_all((0..times).map(|_| via.post(&path, &body, token))).await;
        for (status, body) in answers {
            assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "step {step}: {body}"
            );
        }
    }
}
