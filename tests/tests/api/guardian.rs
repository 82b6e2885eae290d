//! Guardian consent for volunteers aged 14 to 17: sign-up asks for it until it is on
//! record; under 14 the guardian recorded at registration counts; adults are never asked.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_tests::{DAY, TestApp, User, activity_body, phone, spawn_app, volunteer_aged};

fn consent(guardian_phone: &str) -> Value {
    json!({"name": "李秀英", "phone": guardian_phone, "relationship": "母亲", "consent": true})
}

async fn give_consent(app: &TestApp, user: &User, body: &Value) -> (StatusCode, Value) {
    app.send_json(
        Method::POST,
        "/api/me/guardian-consent",
        body,
        Some(&user.token),
    )
    .await
}

#[tokio::test]
async fn a_sixteen_year_old_is_asked_for_consent_once_and_then_signs_up() {
    let app = spawn_app().await;
    let (organizer, a, shift) = app.activity_with_places(5).await;
    let teen = volunteer_aged(&app, 16).await;
    let (status, body) = app.sign_up(&teen.token, &shift).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "guardian_consent_required");

    let guardian_phone = phone(app.next());
    let (status, recorded) = give_consent(&app, &teen, &consent(&guardian_phone)).await;
    assert_eq!(status, StatusCode::OK, "{recorded}");
    assert_eq!(recorded["guardian_name"], "李秀英");
    assert_eq!(recorded["relationship"], "母亲");
    assert!(
        recorded["consent_at"]
            .as_str()
            .is_some_and(|t| t.ends_with("+08:00"))
    );
    let me = app.get_as("/api/me", &teen.token).await;
    assert_eq!(me["volunteer"]["guardian_name"], "李秀英");

    // The guardian's phone is kept sealed, like every phone.
    let stored = app
        .store
        .get_user(&teen.id)
        .await
        .expect("read")
        .expect("user");
    let g = stored
        .volunteer
        .and_then(|v| v.guardian)
        .expect("guardian on record");
    assert_ne!(g.phone_sealed, guardian_phone);
    assert_eq!(
        app.keys.open(&g.phone_sealed).expect("opens"),
        guardian_phone
    );

    let (status, body) = app.sign_up(&teen.token, &shift).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "confirmed");
    // Kept: the next activity does not ask again.
    let org = a["org_id"].as_str().expect("org");
    let later = app
        .publish(&organizer, &activity_body(org, &[(4 * DAY, 3600, 5)]))
        .await;
    let other = later["shifts"][0]["id"].as_str().expect("shift");
    let (status, body) = app.sign_up(&teen.token, other).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_thirteen_year_old_signs_up_on_the_guardian_recorded_at_registration() {
    let app = spawn_app().await;
    let (_, _, shift) = app.activity_with_places(5).await;
    let child = volunteer_aged(&app, 13).await;
    let (status, body) = app.sign_up(&child.token, &shift).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = give_consent(&app, &child, &consent(&phone(app.next()))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "guardian_consent_not_needed");
}

#[tokio::test]
async fn an_adult_is_never_asked_and_cannot_record_a_consent() {
    let app = spawn_app().await;
    let (_, _, shift) = app.activity_with_places(5).await;
    let adult = volunteer_aged(&app, 18).await;
    let (status, body) = app.sign_up(&adult.token, &shift).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = give_consent(&app, &adult, &consent(&phone(app.next()))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "guardian_consent_not_needed");
    let me = app.get_as("/api/me", &adult.token).await;
    assert_eq!(me["volunteer"]["guardian_name"], Value::Null);
}

#[tokio::test]
async fn an_account_without_a_real_name_profile_cannot_record_a_consent() {
    let app = spawn_app().await;
    let user = app.register().await;
    let (status, body) = give_consent(&app, &user, &consent(&phone(app.next()))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "volunteer_required");
}

#[tokio::test]
async fn a_bad_consent_names_its_field_and_records_nothing() {
    let app = spawn_app().await;
    let teen = volunteer_aged(&app, 15).await;
    let good = consent(&phone(app.next()));
    for (field, value) in [
        ("name", json!("李")),
        ("phone", json!("1234")),
        ("relationship", json!("")),
        ("consent", json!(false)),
    ] {
        let mut body = good.clone();
        body[field] = value;
        let (status, answer) = give_consent(&app, &teen, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
    let me = app.get_as("/api/me", &teen.token).await;
    assert_eq!(me["volunteer"]["guardian_name"], Value::Null);
    let (_, _, shift) = app.activity_with_places(5).await;
    assert_eq!(
        app.sign_up(&teen.token, &shift).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
