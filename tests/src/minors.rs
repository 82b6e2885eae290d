//! Volunteers of a given age: children registered with a guardian, teenagers, adults.

use crate::{TestApp, User, phone, volunteer_body};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A valid ID number (东胜区) of someone who is `years` old today in Beijing time.
pub fn id_number_aged(years: u16, n: u32) -> String {
    let today = zhiyuan_functions::clock::today_cst();
    // A birthday a month ago (the 28th at most, so every month has it).
    let (month, year_back) = if today.month == 1 {
        (12, 1)
    } else {
        (today.month - 1, 0)
    };
    let first17 = format!(
        "150602{:04}{:02}{:02}{:03}",
        today.year - years - year_back,
        month,
        today.day.min(28),
        n % 1000
    );
    let check = zhiyuan_shared::identity::check_digit(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A new real-name volunteer who is `years` old, with the guardian the registration form
/// asks for under 14.
pub async fn volunteer_aged(app: &TestApp, years: u16) -> User {
    let user = app.register().await;
    let mut body = volunteer_body(&id_number_aged(years, app.next()));
    if years < 14 {
        body["guardian"] =
            json!({"name": "王建国", "phone": phone(app.next()), "relation": "父亲"});
    }
    let (status, json) = app
        .send_json(Method::POST, "/api/me/volunteer", &body, Some(&user.token))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    user
}
