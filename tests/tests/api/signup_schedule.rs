//! A sign-up reads the shift, the volunteer and their schedule in one BatchGetItem and
//! checks overlaps from the schedule while it is complete; whatever makes it stale (an
//! edit moving a shift, a withdrawn sign-up) sends the check back to the mirrors.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_tests::{DAY, activity_body, in_seconds, spawn_app};

fn first_shift(a: &Value) -> String {
    a["shifts"][0]["id"].as_str().expect("shift").to_string()
}

#[tokio::test]
async fn a_sign_up_makes_one_read_and_one_write_once_the_schedule_is_known() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            &activity_body(&org, &[(2 * DAY, 3600, 5), (3 * DAY, 3600, 5)]),
        )
        .await;
    let shift = |i: usize| a["shifts"][i]["id"].as_str().expect("shift").to_string();
    let v = app.volunteer().await;
    // The first sign-up: a volunteer who never signed up has nothing to read. The second:
    // the schedule the first wrote.
    for i in 0..2 {
        let before = app.store.calls();
        assert_eq!(
            app.sign_up(&v.token, &shift(i)).await.0,
            StatusCode::CREATED
        );
        let after = app.store.calls();
        assert_eq!(
            (
                after.gets - before.gets,
                after.queries - before.queries,
                after.writes - before.writes
            ),
            (1, 0, 1),
            "sign-up {i}: one BatchGetItem and one transaction"
        );
    }
}

#[tokio::test]
async fn a_shift_moved_by_an_edit_still_blocks_a_sign_up_that_overlaps_its_new_times() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let moved = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, 3 * 3600, 5)]))
        .await;
    let later = app
        .publish(&organizer, &activity_body(&org, &[(5 * DAY, 3600, 5)]))
        .await;
    let there = app
        .publish(
            &organizer,
            &activity_body(&org, &[(3 * DAY + 3600, 3600, 5)]),
        )
        .await;
    let v = app.volunteer().await;
    // Two sign-ups: the second is decided from (and rewrites) a complete schedule.
    for a in [&moved, &later] {
        assert_eq!(
            app.sign_up(&v.token, &first_shift(a)).await.0,
            StatusCode::CREATED
        );
    }
    // The organizer moves the first shift a day on, onto `there`'s time.
    let id = moved["id"].as_str().expect("id");
    let body = json!({
        "title": moved["title"], "description": moved["description"],
        "requirements": moved["requirements"],
        "shifts": [{"id": first_shift(&moved), "starts_at": in_seconds(3 * DAY),
                    "ends_at": in_seconds(3 * DAY + 3 * 3600), "capacity": 5}],
    });
    let (status, edited) = app
        .send_json(
            Method::PUT,
            &format!("/api/activities/{id}"),
            &body,
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let (status, e) = app.sign_up(&v.token, &first_shift(&there)).await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("overlapping_shift")),
        "the schedule's old times must not decide"
    );
}

#[tokio::test]
async fn a_withdrawn_sign_up_left_in_the_schedule_does_not_block_signing_up_again() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, 3600, 5)]))
        .await;
    let v = app.volunteer().await;
    let shift = first_shift(&a);
    assert_eq!(app.sign_up(&v.token, &shift).await.0, StatusCode::CREATED);
    assert_eq!(
        app.cancel_signup(&v.token, &shift).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, r) = app.sign_up(&v.token, &shift).await;
    assert_eq!(
        (status, r["status"].clone()),
        (StatusCode::CREATED, json!("confirmed"))
    );
    // And a retry of that sign-up is answered as a repeat, not as an overlap.
    let (status, e) = app.sign_up(&v.token, &shift).await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("already_signed_up"))
    );
}
