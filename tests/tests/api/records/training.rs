//! Training attendance: recorded and confirmed, never counted as service hours.

use super::{H, confirm, id};
use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_tests::{move_shift, served_minutes, spawn_app};

#[tokio::test]
async fn training_attendance_is_recorded_and_confirmed_but_never_counted_as_service_hours() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, org) = app.approved_org("150602").await;
    let mut body = zhiyuan_tests::activity_body(&org, &[(3 * zhiyuan_tests::DAY, 3600, 5)]);
    body["is_training"] = json!(true);
    let a = app.publish(&organizer, &body).await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    app.sign_up(&v.token, &shift).await;
    let now = now_unix();
    move_shift(&app.store, &shift, now - 4 * H, now - H).await;
    let r = app
        .attendance(&organizer, &shift, &v.id, now - 4 * H, Some(now - 2 * H))
        .await;
    assert_eq!(r["training"], true);
    let (status, confirmed) = confirm(&app, &organizer, &id(&r)).await;
    assert_eq!(
        (status, &confirmed["status"]),
        (StatusCode::OK, &json!("confirmed"))
    );
    assert_eq!(confirmed["hours"], 2.0, "the attendance is recorded");
    assert_eq!(
        served_minutes(&app.store, &v.id).await,
        0,
        "but not as service"
    );
    let mine = app.get_as("/api/me/records", &v.token).await;
    assert_eq!(mine["items"][0]["training"], true);
    assert_eq!(mine["total_hours"], 0.0);
    let (status, _) = app.get_with("/api/me/certificate", Some(&v.token)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing to certify as service"
    );
}

/// "Who is trained": a confirmed training counts for the member; voiding it takes it back.
#[tokio::test]
async fn organizers_see_which_members_attended_trainings_and_filter_by_it() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let v = app.volunteer().await;
    let (status, body) = app
        .post(&format!("/api/orgs/{org}/members"), &Value::Null, &v.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/orgs/{org}/members/{}/approve", v.id),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut training = zhiyuan_tests::activity_body(&org, &[(3 * zhiyuan_tests::DAY, 3600, 5)]);
    training["is_training"] = json!(true);
    let a = app.publish(&organizer, &training).await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    app.sign_up(&v.token, &shift).await;
    let now = now_unix();
    move_shift(&app.store, &shift, now - 4 * H, now - H).await;
    let r = app
        .attendance(&organizer, &shift, &v.id, now - 4 * H, Some(now - 2 * H))
        .await;
    confirm(&app, &organizer, &id(&r)).await;

    let members = |q: &'static str| {
        let path = format!("/api/orgs/{org}/members{q}");
        let token = organizer.token.clone();
        let app = &app;
        async move { app.get_as(&path, &token).await }
    };
    let all = members("").await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2), "{all}");
    let trained = members("?min_trainings=1").await;
    let items = trained["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{trained}");
    assert_eq!(
        (
            items[0]["user_id"].as_str(),
            items[0]["trainings_done"].as_u64()
        ),
        (Some(v.id.as_str()), Some(1))
    );
    let (status, body) = app
        .post(
            &format!("/api/records/{}/correct", id(&r)),
            &json!({"void": true, "reason": "未到场"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let trained = members("?min_trainings=1").await;
    assert_eq!(trained["items"], json!([]));
    let (status, err) = app
        .get_with(
            &format!("/api/orgs/{org}/members?min_trainings=lots"),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("min_trainings"))
    );
}
