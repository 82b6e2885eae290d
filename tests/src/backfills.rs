//! Hours with evidence (补录): members, past shifts, evidence and applications.

use super::app::{TestApp, User};
use super::bodies::{DAY, activity_body};
use super::store::move_shift;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_shared::time::Timestamp;

/// RFC 3339 in China time, as the app sends times.
pub fn at(unix: i64) -> String {
    Timestamp::from_unix(unix).rfc3339_cst()
}

impl TestApp {
    /// `volunteer` joins the organisation and its organizer approves them.
    pub async fn join_org(&self, organizer: &User, org: &str, volunteer: &User) {
        let (status, body) = self
            .post(
                &format!("/api/orgs/{org}/members"),
                &Value::Null,
                &volunteer.token,
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = self
            .post(
                &format!("/api/orgs/{org}/members/{}/approve", volunteer.id),
                &Value::Null,
                &organizer.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// A shift of the organisation that ran from `ago` seconds ago for `length` seconds:
    /// returns (activity id, shift id, its start).
    pub async fn past_shift(
        &self,
        organizer: &User,
        org: &str,
        ago: i64,
        length: i64,
    ) -> (String, String, i64) {
        let a = self
            .publish(
                organizer,
                &activity_body(
                    org,
                    &[(2 * DAY + i64::from(self.next() % 500) * 3600, 3600, 5)],
                ),
            )
            .await;
        let activity = a["id"].as_str().expect("activity id").to_string();
        let shift = a["shifts"][0]["id"].as_str().expect("shift id").to_string();
        let start = zhiyuan_functions::clock::now_unix() - ago;
        move_shift(&self.store, &shift, start, start + length).await;
        (activity, shift, start)
    }

    /// The volunteer uploads a photo of the sign-in sheet as evidence; returns its id.
    pub async fn evidence(&self, volunteer: &User, activity: &str) -> String {
        let stored = self
            .attach(volunteer, activity, "evidence", "签到表.jpg")
            .await;
        stored["id"].as_str().expect("evidence id").to_string()
    }

    /// Applies for hours of `shift` from `from` to `to` (Unix seconds).
    pub async fn apply_backfill(
        &self,
        volunteer: &User,
        org: &str,
        shift: &str,
        (from, to): (i64, i64),
        evidence: &[&str],
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/orgs/{org}/backfills"),
            &json!({
                "shift_id": shift,
                "check_in": at(from),
                "check_out": at(to),
                "content": "村里敬老院打扫卫生，纸质签到",
                "evidence": evidence,
            }),
            &volunteer.token,
        )
        .await
    }

    /// Approves (`reason` None) or refuses an application.
    pub async fn decide_backfill(
        &self,
        organizer: &User,
        id: &str,
        reason: Option<&str>,
    ) -> (StatusCode, Value) {
        match reason {
            None => {
                self.post(
                    &format!("/api/backfills/{id}/approve"),
                    &Value::Null,
                    &organizer.token,
                )
                .await
            }
            Some(r) => {
                self.send_json(
                    Method::POST,
                    &format!("/api/backfills/{id}/refuse"),
                    &json!({ "reason": r }),
                    Some(&organizer.token),
                )
                .await
            }
        }
    }
}

/// An organisation with a member and a shift of it that ended two days ago (three
/// hours long): (organizer, org, member, activity, shift, shift start).
pub async fn member_with_past_shift(app: &TestApp) -> (User, String, User, String, String, i64) {
    let (organizer, org) = app.approved_org("150602").await;
    let member = app.volunteer().await;
    app.join_org(&organizer, &org, &member).await;
    let (activity, shift, start) = app.past_shift(&organizer, &org, 2 * DAY, 3 * 3600).await;
    (organizer, org, member, activity, shift, start)
}

/// Moves the first shift's times as the activity itself lists them (its page shows these;
/// [`super::store::move_shift`] moves the shift item, which check-in and 补录 read).
pub async fn move_activity_times(
    store: &zhiyuan_functions::store::Store,
    activity: &str,
    starts: i64,
    ends: i64,
) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("ACT#{activity}")))
        .key("SK", A::S("ACT".into()))
        .update_expression(
            "SET shifts[0].starts_at = :s, shifts[0].ends_at = :e, first_start = :s, #u = :e",
        )
        .expression_attribute_names("#u", "until")
        .expression_attribute_values(":s", A::N(starts.to_string()))
        .expression_attribute_values(":e", A::N(ends.to_string()))
        .send()
        .await
        .expect("move the activity's times");
}
