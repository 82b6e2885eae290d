//! Editing a published activity (`PUT /api/activities/{id}`): texts, times and places of
//! future shifts; capacity never below the confirmed sign-ups, even racing sign-ups; the
//! waitlist promoted in order; overlaps named; everyone signed up told.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use zhiyuan_tests::{
    DAY, TestApp, User, activity_body, assert_invariants, in_seconds, shift_counts, spawn_app,
};

/// The edit body that keeps everything of `a` but what `change` alters.
fn edit_of(a: &Value) -> Value {
    let shifts: Vec<Value> = a["shifts"]
        .as_array()
        .expect("shifts")
        .iter()
        .map(|s| {
            json!({"id": s["id"], "starts_at": s["starts_at"], "ends_at": s["ends_at"],
                   "capacity": s["capacity"]})
        })
        .collect();
    json!({
        "title": a["title"], "description": a["description"],
        "requirements": a["requirements"], "shifts": shifts,
    })
}

async fn put_edit(app: &TestApp, who: &User, id: &str, body: &Value) -> (StatusCode, Value) {
    app.send_json(
        Method::PUT,
        &format!("/api/activities/{id}"),
        body,
        Some(&who.token),
    )
    .await
}

async fn notices_of(app: &TestApp, who: &User, kind: &str) -> Vec<Value> {
    let all = app.get_as("/api/me/notices", &who.token).await;
    all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn an_organizer_edits_texts_times_and_places_and_everyone_signed_up_is_told_once() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            &activity_body(&org, &[(2 * DAY, 3 * 3600, 5), (3 * DAY, 3 * 3600, 5)]),
        )
        .await;
    let id = a["id"].as_str().expect("id");
    let first = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    let second = a["shifts"][1]["id"].as_str().expect("shift").to_string();
    let (v1, v2) = (app.volunteer().await, app.volunteer().await);
    assert_eq!(app.sign_up(&v1.token, &first).await.0, StatusCode::CREATED);
    assert_eq!(app.sign_up(&v1.token, &second).await.0, StatusCode::CREATED);
    assert_eq!(app.sign_up(&v2.token, &second).await.0, StatusCode::CREATED);

    let mut body = edit_of(&a);
    body["title"] = json!("社区敬老助餐（改时间）");
    body["requirements"] = json!("请带好口罩");
    body["shifts"][0]["starts_at"] = json!(in_seconds(2 * DAY + 3600));
    body["shifts"][0]["ends_at"] = json!(in_seconds(2 * DAY + 5 * 3600));
    body["shifts"][1]["capacity"] = json!(8);
    let (status, edited) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["title"], "社区敬老助餐（改时间）");
    assert_eq!(edited["requirements"], "请带好口罩");
    assert_eq!(
        edited["shifts"][0]["starts_at"],
        body["shifts"][0]["starts_at"]
    );
    assert_eq!(edited["shifts"][1]["capacity"], 8);
    assert_eq!(edited["shifts"][1]["taken"], 2);

    // Every listing and the volunteer's own list follow.
    let (_, by_org) = app.get(&format!("/api/activities?org_id={org}")).await;
    assert_eq!(by_org["items"][0]["title"], "社区敬老助餐（改时间）");
    let (_, near) = app
        .get("/api/activities?lat=39.817&lng=109.977&radius_km=2")
        .await;
    assert_eq!(near["items"][0]["title"], "社区敬老助餐（改时间）");
    let (_, banner) = app.get("/api/activities?region=150602").await;
    assert_eq!(
        banner["items"][0]["shifts"][0]["starts_at"],
        body["shifts"][0]["starts_at"]
    );
    let mine = app.get_as("/api/me/activities", &v1.token).await;
    let mine = mine["items"].as_array().expect("items");
    assert_eq!(mine.len(), 2, "{mine:?}");
    let moved = mine
        .iter()
        .find(|m| m["shift_id"] == json!(first))
        .expect("moved");
    assert_eq!(moved["starts_at"], body["shifts"][0]["starts_at"]);
    assert_eq!(moved["title"], "社区敬老助餐（改时间）");

    // One notice each, however many of their shifts changed.
    assert_eq!(notices_of(&app, &v1, "activity_changed").await.len(), 1);
    assert_eq!(notices_of(&app, &v2, "activity_changed").await.len(), 1);
    // A new sign-up sees the new places and times.
    let c = shift_counts(&app.store, &second).await;
    assert_invariants(&c);
    assert_eq!(c.capacity, 8);
}

#[tokio::test]
async fn edits_that_break_capacity_or_rules_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (organizer, a, shift) = app.activity_with_places(3).await;
    let id = a["id"].as_str().expect("id");
    for _ in 0..3 {
        let v = app.volunteer().await;
        assert_eq!(app.sign_up(&v.token, &shift).await.0, StatusCode::CREATED);
    }
    let mut below = edit_of(&a);
    below["shifts"][0]["capacity"] = json!(2);
    let (status, err) = put_edit(&app, &organizer, id, &below).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "places_below_signups");

    let mut into_past = edit_of(&a);
    into_past["shifts"][0]["starts_at"] = json!(in_seconds(-3600));
    let mut too_long = edit_of(&a);
    too_long["shifts"][0]["ends_at"] = json!(in_seconds(5 * DAY));
    let mut stranger = edit_of(&a);
    stranger["shifts"][0]["id"] = json!("01JNOSUCHACTIVITY00000000001");
    let mut twice = edit_of(&a);
    twice["shifts"] = json!([a["shifts"][0].clone(), a["shifts"][0].clone()]);
    let mut no_title = edit_of(&a);
    no_title["title"] = json!("");
    let mut zero = edit_of(&a);
    zero["shifts"][0]["capacity"] = json!(0);
    for (body, field) in [
        (into_past, "shifts"),
        (too_long, "shifts"),
        (stranger, "shifts"),
        (twice, "shifts"),
        (no_title, "title"),
        (zero, "shifts"),
    ] {
        let (status, err) = put_edit(&app, &organizer, id, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    let (_, now) = app.get(&format!("/api/activities/{id}")).await;
    assert_eq!(now["shifts"][0]["starts_at"], a["shifts"][0]["starts_at"]);
    assert_eq!(now["shifts"][0]["capacity"], 3);
    assert_eq!(now["shifts"][0]["taken"], 3);
    assert_eq!(now["title"], a["title"]);

    // A shift that has started cannot change.
    zhiyuan_tests::move_shift(
        &app.store,
        &shift,
        zhiyuan_functions::clock::now_unix() - 60,
        zhiyuan_functions::clock::now_unix() + 3600,
    )
    .await;
    let mut later = edit_of(&a);
    later["shifts"][0]["capacity"] = json!(10);
    let (status, err) = put_edit(&app, &organizer, id, &later).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "shift_started");
}

#[tokio::test]
async fn raising_places_promotes_the_waitlist_in_order_and_lowering_keeps_the_confirmed() {
    let app = spawn_app().await;
    let (organizer, a, shift) = app.activity_with_places(2).await;
    let id = a["id"].as_str().expect("id");
    let mut people = Vec::new();
    for _ in 0..6 {
        let v = app.volunteer().await;
        app.sign_up(&v.token, &shift).await;
        people.push(v);
    }
    let mut body = edit_of(&a);
    body["shifts"][0]["capacity"] = json!(4);
    let (status, edited) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["shifts"][0]["taken"], 4);
    assert_eq!(edited["shifts"][0]["waitlist"], 2);
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    // The two who waited longest got the places, and were told.
    for (i, p) in people.iter().enumerate() {
        let mine = app.get_as("/api/me/activities", &p.token).await;
        let expected = if i < 4 { "confirmed" } else { "waitlisted" };
        assert_eq!(mine["items"][0]["status"], expected, "person {i}");
        let promoted = notices_of(&app, p, "promoted").await.len();
        assert_eq!(promoted, usize::from((2..4).contains(&i)), "person {i}");
    }
    // Raising past the waitlist leaves free places and nobody waiting.
    body["shifts"][0]["capacity"] = json!(20);
    let (status, edited) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["shifts"][0]["taken"], 6);
    assert_eq!(edited["shifts"][0]["waitlist"], 0);
    // Lowering to exactly the confirmed is fine; a new volunteer then waits.
    body["shifts"][0]["capacity"] = json!(6);
    assert_eq!(
        put_edit(&app, &organizer, id, &body).await.0,
        StatusCode::OK
    );
    let late = app.volunteer().await;
    let (_, r) = app.sign_up(&late.token, &shift).await;
    assert_eq!(r["status"], "waitlisted");
    assert_invariants(&shift_counts(&app.store, &shift).await);
}

#[tokio::test]
async fn new_times_that_overlap_a_volunteers_other_shift_name_them_and_wait_for_confirmation() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let morning = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, 3 * 3600, 5)]))
        .await;
    let afternoon = app
        .publish(
            &organizer,
            &activity_body(&org, &[(2 * DAY + 5 * 3600, 3 * 3600, 5)]),
        )
        .await;
    let v = app.volunteer().await;
    for a in [&morning, &afternoon] {
        let shift = a["shifts"][0]["id"].as_str().expect("shift");
        assert_eq!(app.sign_up(&v.token, shift).await.0, StatusCode::CREATED);
    }
    let id = afternoon["id"].as_str().expect("id");
    let mut body = edit_of(&afternoon);
    body["shifts"][0]["starts_at"] = json!(in_seconds(2 * DAY + 3600));
    body["shifts"][0]["ends_at"] = json!(in_seconds(2 * DAY + 4 * 3600));
    let (status, err) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "overlaps_found");
    let overlaps = err["overlaps"].as_array().expect("overlaps");
    assert_eq!(overlaps.len(), 1, "{err}");
    let (_, me) = app.get_with("/api/me", Some(&v.token)).await;
    assert_eq!(
        overlaps[0]["volunteer_no"], me["volunteer"]["volunteer_no"],
        "{me}"
    );
    assert!(
        !overlaps[0]["real_name"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
    let (_, unchanged) = app.get(&format!("/api/activities/{id}")).await;
    assert_eq!(
        unchanged["shifts"][0]["starts_at"],
        afternoon["shifts"][0]["starts_at"]
    );
    assert!(notices_of(&app, &v, "activity_changed").await.is_empty());

    body["confirm_overlaps"] = json!(true);
    let (status, edited) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        edited["shifts"][0]["starts_at"],
        body["shifts"][0]["starts_at"]
    );
    assert_eq!(notices_of(&app, &v, "activity_changed").await.len(), 1);
}

/// Volunteers race for places while the organizer lowers, raises and moves the shift:
/// whatever interleaves, nobody is over-booked, the counters equal the sign-ups, nobody
/// waits while a place is free, and every volunteer's own list holds the shift's times.
#[tokio::test]
async fn edits_racing_sign_ups_never_over_book_and_keep_the_lists_in_step() {
    let app = Arc::new(spawn_app().await);
    // 40 places: three counters, so edits spread places over several.
    let (organizer, a, shift) = app.activity_with_places(40).await;
    let id = a["id"].as_str().expect("id").to_string();
    let racers = app.fast_volunteers(120).await;
    let base = edit_of(&a);
    let editor = {
        let (app, organizer, id, base) = (app.clone(), organizer.clone(), id.clone(), base.clone());
        tokio::spawn(async move {
            let mut codes = Vec::new();
            for (i, cap) in [30, 55, 35, 70, 45, 90].into_iter().enumerate() {
                let mut body = base.clone();
                body["shifts"][0]["capacity"] = json!(cap);
                let hour = 3600 * (i as i64 % 3);
                body["shifts"][0]["starts_at"] = json!(in_seconds(2 * DAY + hour));
                body["shifts"][0]["ends_at"] = json!(in_seconds(2 * DAY + hour + 3 * 3600));
                body["confirm_overlaps"] = json!(true);
                let (status, r) = put_edit(&app, &organizer, &id, &body).await;
                assert_ne!(status.as_u16(), 500, "{r}");
                codes.push(r["error"]["code"].as_str().unwrap_or("ok").to_string());
            }
            codes
        })
    };
    let results = futures::future::join_all(racers.iter().map(|v| {
        let (app, shift, token) = (app.clone(), shift.clone(), v.token.clone());
        async move { app.sign_up(&token, &shift).await }
    }))
    .await;
    let codes = editor.await.expect("editor");
    assert!(results.iter().all(|(s, _)| s.as_u16() != 500));
    assert!(
        codes
            .iter()
            .all(|c| matches!(c.as_str(), "ok" | "places_below_signups" | "busy")),
        "{codes:?}"
    );
    assert!(codes.iter().any(|c| c == "ok"), "{codes:?}");
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    let signed = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(signed as u32, c.confirmed_items + c.waitlisted_items);
    // Each signed-up volunteer's list shows the shift at the times it now has.
    let (_, now) = app.get(&format!("/api/activities/{id}")).await;
    let starts = now["shifts"][0]["starts_at"].clone();
    for (v, (s, _)) in racers.iter().zip(&results).take(40) {
        if *s != StatusCode::CREATED {
            continue;
        }
        let mine = app.get_as("/api/me/activities", &v.token).await;
        let items = mine["items"].as_array().expect("items");
        assert_eq!(items.len(), 1, "{mine}");
        assert_eq!(items[0]["starts_at"], starts, "{mine}");
    }
}

#[tokio::test]
async fn only_the_organisations_organizers_edit_and_a_cancelled_activity_cannot_be() {
    let app = spawn_app().await;
    let (organizer, a, _) = app.activity_with_places(3).await;
    let id = a["id"].as_str().expect("id");
    let (other, _) = app.approved_org("150602").await;
    let admin = app.region_admin("150602").await;
    let body = edit_of(&a);
    assert_eq!(
        put_edit(&app, &other, id, &body).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put_edit(&app, &admin, id, &body).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/activities/{id}/cancel"),
            &json!({"reason": "天气"}),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, err) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "activity_cancelled");
}

#[tokio::test]
async fn a_raise_beyond_one_transaction_promotes_everyone_waiting_in_steps_that_stay_full() {
    let app = spawn_app().await;
    let (organizer, a, shift) = app.activity_with_places(1).await;
    let id = a["id"].as_str().expect("id");
    let people = app.fast_volunteers(16).await;
    for p in &people {
        assert_eq!(app.sign_up(&p.token, &shift).await.0, StatusCode::CREATED);
    }
    let mut body = edit_of(&a);
    body["shifts"][0]["capacity"] = json!(30);
    let (status, edited) = put_edit(&app, &organizer, id, &body).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["shifts"][0]["capacity"], 30);
    assert_eq!(edited["shifts"][0]["taken"], 16);
    assert_eq!(edited["shifts"][0]["waitlist"], 0);
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    assert_eq!(c.confirmed_items, 16);
}

/// Through a store that throttles, conflicts and loses answers, an organizer who retries
/// until answered gets the edit done once: the waitlist promoted exactly, the counters equal
/// the sign-ups, and every volunteer's list at the new times.
#[tokio::test]
async fn injected_faults_never_answer_500_or_break_the_places() {
    use zhiyuan_functions::store::faults::{Fault, FaultInjector};
    let plain = spawn_app().await;
    let (organizer, a, shift) = plain.activity_with_places(2).await;
    let id = a["id"].as_str().expect("id").to_string();
    let people = plain.fast_volunteers(8).await;
    for p in &people {
        assert_eq!(plain.sign_up(&p.token, &shift).await.0, StatusCode::CREATED);
    }
    let injector = FaultInjector::new(15, &[Fault::Throttled, Fault::Conflict, Fault::LostAnswer]);
    let faulty = zhiyuan_tests::spawn_app_on(plain.store.with_faults(injector)).await;
    let mut body = edit_of(&a);
    body["shifts"][0]["capacity"] = json!(5);
    body["shifts"][0]["starts_at"] = json!(in_seconds(2 * DAY + 3600));
    body["shifts"][0]["ends_at"] = json!(in_seconds(2 * DAY + 4 * 3600));
    let mut answered = None;
    for _ in 0..20 {
        let (status, r) = put_edit(&faulty, &organizer, &id, &body).await;
        assert_ne!(status.as_u16(), 500, "{r}");
        if status == StatusCode::OK {
            answered = Some(r);
            break;
        }
        assert!(matches!(status.as_u16(), 409 | 429 | 503), "{status} {r}");
    }
    let edited = answered.expect("the edit went through within 20 tries");
    // A try answered 503 past the time limit may still be writing.
    faulty.settled().await;
    assert_eq!(edited["shifts"][0]["taken"], 5, "{edited}");
    let c = shift_counts(&plain.store, &shift).await;
    assert_invariants(&c);
    assert_eq!((c.confirmed_items, c.waitlisted_items), (5, 3));
    for p in &people {
        let mine = plain.get_as("/api/me/activities", &p.token).await;
        assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
        assert_eq!(
            mine["items"][0]["starts_at"], body["shifts"][0]["starts_at"],
            "{mine}"
        );
    }
}
