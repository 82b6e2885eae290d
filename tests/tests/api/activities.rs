//! Activities, shifts and sign-ups against DynamoDB Local: the rules of SPEC §4, the
//! waitlist, cancellation with notices, and the no-over-booking invariant under races
//! and injected faults.

use rand::Rng;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use zhiyuan_functions::store::faults::{Fault, FaultInjector};
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    DAY, TestApp, activity_body, assert_invariants, in_seconds, shift_counts, signup_outcome,
    spawn_app, spawn_app_on,
};

async fn count(app: &TestApp, path: &str) -> usize {
    app.get(path).await.1["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn an_organizer_publishes_and_anyone_finds_it_by_place_field_and_distance() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let station = app
        .create_station(&zhiyuan_tests::station_body(
            "东胜区铁西新时代文明实践站",
            "150602",
            39.817,
            109.977,
            "community",
        ))
        .await;
    let mut body = activity_body(&org, &[(2 * DAY, 3 * 3600, 10), (9 * DAY, 3 * 3600, 5)]);
    body["station_id"] = json!(station);
    let a = app.publish(&organizer, &body).await;
    assert_eq!(a["status"], "published");
    assert_eq!(a["shifts"][0]["capacity"], 10);
    assert_eq!(a["shifts"][1]["taken"], 0);
    assert_eq!(a["station_id"], json!(station));
    let id = a["id"].as_str().expect("id");

    let (status, got) = app.get(&format!("/api/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["title"], "社区敬老助餐");
    assert_eq!(count(&app, "/api/activities").await, 1);
    assert_eq!(
        count(&app, &format!("/api/activities?station_id={station}")).await,
        1
    );
    assert_eq!(
        count(&app, &format!("/api/activities?org_id={org}")).await,
        1
    );
    assert_eq!(
        count(&app, "/api/activities?field=elderly_care&region=150602").await,
        1
    );
    assert_eq!(count(&app, "/api/activities?field=education").await, 0);
    assert_eq!(count(&app, "/api/activities?region=150621").await, 0);
    let (_, near) = app
        .get(&format!(
            "/api/activities?lat={}&lng={}&radius_km=5",
            a["lat"], a["lng"]
        ))
        .await;
    assert_eq!(near["items"][0]["distance_m"], json!(0.0));
    // 达拉特旗's seat is ~40 km away.
    assert_eq!(
        count(&app, "/api/activities?lat=40.40&lng=110.03&radius_km=5").await,
        0
    );
    let to = in_seconds(DAY);
    assert_eq!(
        count(&app, &format!("/api/activities?to={}", urlencode(&to))).await,
        0
    );
    let (_, st) = app.get(&format!("/api/stations/{station}")).await;
    assert_eq!(st["upcoming_activities"][0]["id"], json!(id));
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn bad_activities_are_refused_with_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let good = activity_body(&org, &[(2 * DAY, 3600, 5)]);
    for (field, value, expect) in [
        ("title", json!(""), "title"),
        ("service_field", json!("cooking"), "service_field"),
        ("region_code", json!("15"), "region_code"),
        ("min_age", json!(150), "min_age"),
        ("deadline", json!(in_seconds(3 * DAY)), "deadline"),
        (
            "shifts",
            json!([{"starts_at": in_seconds(-3600), "ends_at": in_seconds(3600), "capacity": 3}]),
            "shifts",
        ),
        (
            "shifts",
            json!([{"starts_at": in_seconds(DAY), "ends_at": in_seconds(DAY + 60), "capacity": 0}]),
            "shifts",
        ),
        (
            "station_id",
            json!("01JNOSUCHSTATION0000000000"),
            "station_id",
        ),
    ] {
        let mut body = good.clone();
        body[field] = value;
        let (status, err) = app
            .send_json(
                Method::POST,
                "/api/activities",
                &body,
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {err}");
        assert_eq!(err["error"]["field"], expect, "{err}");
    }
    assert_eq!(
        count(&app, &format!("/api/activities?org_id={org}")).await,
        0
    );
    // Not an organizer of it: 403; a volunteer without an organisation likewise.
    let other = app.volunteer().await;
    let (status, _) = app
        .send_json(Method::POST, "/api/activities", &good, Some(&other.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_up_rules_refuse_twice_overlapping_non_volunteers_and_too_young() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            &activity_body(
                &org,
                &[
                    (2 * DAY, 3 * 3600, 5),
                    (2 * DAY + 3600, 3600, 5),
                    (2 * DAY + 3 * 3600, 3600, 5),
                ],
            ),
        )
        .await;
    let shift = |i: usize| a["shifts"][i]["id"].as_str().expect("shift").to_string();
    let v = app.volunteer().await;
    let (status, r) = app.sign_up(&v.token, &shift(0)).await;
    assert_eq!(
        (status, r["status"].clone()),
        (StatusCode::CREATED, json!("confirmed"))
    );
    let (status, e) = app.sign_up(&v.token, &shift(0)).await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("already_signed_up"))
    );
    let (status, e) = app.sign_up(&v.token, &shift(1)).await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("overlapping_shift"))
    );
    // Touching ends do not overlap.
    let (status, _) = app.sign_up(&v.token, &shift(2)).await;
    assert_eq!(status, StatusCode::CREATED);

    let plain = app.register().await;
    let (status, e) = app.sign_up(&plain.token, &shift(0)).await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::FORBIDDEN, json!("volunteer_required"))
    );
    let (status, _) = app.sign_up("garbage", &shift(0)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.sign_up(&v.token, "01JNOSUCHACTIVITY000000000001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Test volunteers were born in 1990: an activity for 40 and over refuses them.
    let mut body = activity_body(&org, &[(3 * DAY, 3600, 5)]);
    body["min_age"] = json!(40);
    let old = app.publish(&organizer, &body).await;
    let (status, e) = app
        .sign_up(&v.token, old["shifts"][0]["id"].as_str().expect("id"))
        .await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("below_min_age"))
    );

    let c = shift_counts(&app.store, &shift(0)).await;
    assert_invariants(&c);
    assert_eq!(c.taken, 1);
}

#[tokio::test]
async fn no_sign_up_after_the_deadline() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let mut body = activity_body(&org, &[(2 * DAY, 3600, 5)]);
    body["deadline"] = json!(in_seconds(2));
    let a = app.publish(&organizer, &body).await;
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let v = app.volunteer().await;
    let (status, e) = app
        .sign_up(&v.token, a["shifts"][0]["id"].as_str().expect("id"))
        .await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("deadline_passed"))
    );
}

#[tokio::test]
async fn a_full_shift_waitlists_and_a_cancellation_promotes_the_first_waiting_with_a_notice() {
    let app = spawn_app().await;
    let (_, a, shift) = app.activity_with_places(1).await;
    let [first, second, third] = [
        app.volunteer().await,
        app.volunteer().await,
        app.volunteer().await,
    ];
    assert_eq!(
        app.sign_up(&first.token, &shift).await.1["status"],
        "confirmed"
    );
    assert_eq!(
        app.sign_up(&second.token, &shift).await.1["status"],
        "waitlisted"
    );
    assert_eq!(
        app.sign_up(&third.token, &shift).await.1["status"],
        "waitlisted"
    );
    let (_, got) = app
        .get(&format!(
            "/api/activities/{}",
            a["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(
        (
            got["shifts"][0]["taken"].clone(),
            got["shifts"][0]["waitlist"].clone()
        ),
        (json!(1), json!(2))
    );

    let (status, _) = app.cancel_signup(&first.token, &shift).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mine = app.get_as("/api/me/activities", &second.token).await;
    assert_eq!(mine["items"][0]["status"], "confirmed");
    let inbox = app.get_as("/api/me/notices", &second.token).await;
    assert_eq!(inbox["items"][0]["kind"], "promoted");
    assert_eq!(inbox["unread"], 1);
    assert_eq!(
        app.get_as("/api/me/activities", &first.token).await["items"],
        json!([])
    );
    let (status, _) = app.cancel_signup(&first.token, &shift).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The third leaves the waitlist.
    assert_eq!(
        app.cancel_signup(&third.token, &shift).await.0,
        StatusCode::NO_CONTENT
    );
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    assert_eq!((c.taken, c.waitlisted), (1, 0));

    // Read: the unread count drops to zero.
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/me/notices/read",
            &Value::Null,
            Some(&second.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_as("/api/me/notices", &second.token).await["unread"],
        0
    );
}

#[tokio::test]
async fn a_retry_with_the_same_token_gets_the_same_answer_and_books_once() {
    let app = spawn_app().await;
    let (_, _, shift) = app.activity_with_places(3).await;
    let v = app.volunteer().await;
    for _ in 0..3 {
        let (status, r) = app
            .send_json(
                Method::POST,
                &format!("/api/shifts/{shift}/signups"),
                &json!({"client_token": "tap-1"}),
                Some(&v.token),
            )
            .await;
        assert_eq!(
            (status, r["status"].clone()),
            (StatusCode::CREATED, json!("confirmed"))
        );
    }
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/shifts/{shift}/signups"),
            &json!({"client_token": "tap-2"}),
            Some(&v.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    assert_eq!(c.taken, 1);
}

#[tokio::test]
async fn the_roster_shows_names_to_organizers_only_and_never_phones() {
    let app = spawn_app().await;
    let (organizer, _, shift) = app.activity_with_places(3).await;
    let v = app.volunteer().await;
    app.sign_up(&v.token, &shift).await;
    let roster = app
        .get_as(&format!("/api/shifts/{shift}/signups"), &organizer.token)
        .await;
    assert_eq!(roster["items"][0]["real_name"], "王小明");
    assert!(!roster.to_string().contains("phone") && !roster.to_string().contains(&v.phone));
    let (status, _) = app
        .get_with(&format!("/api/shifts/{shift}/signups"), Some(&v.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cancelling_an_activity_notifies_everyone_once_and_closes_sign_up() {
    let app = spawn_app().await;
    let (organizer, a, shift) = app.activity_with_places(1).await;
    let id = a["id"].as_str().expect("id");
    let (confirmed, waiting) = (app.volunteer().await, app.volunteer().await);
    app.sign_up(&confirmed.token, &shift).await;
    app.sign_up(&waiting.token, &shift).await;
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/activities/{id}/cancel"),
            &json!({"reason": ""}),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/activities/{id}/cancel"),
            &json!({"reason": "暴雪"}),
            Some(&confirmed.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for _ in 0..2 {
        let (status, got) = app
            .send_json(
                Method::POST,
                &format!("/api/activities/{id}/cancel"),
                &json!({"reason": "暴雪"}),
                Some(&organizer.token),
            )
            .await;
        assert_eq!(
            (status, got["status"].clone()),
            (StatusCode::OK, json!("cancelled"))
        );
    }
    for v in [&confirmed, &waiting] {
        let inbox = app.get_as("/api/me/notices", &v.token).await;
        let items = inbox["items"].as_array().expect("items");
        assert_eq!(
            items.len(),
            1,
            "one notice, even after cancelling twice: {inbox}"
        );
        assert_eq!(items[0]["kind"], "activity_cancelled");
        assert_eq!(items[0]["reason"], "暴雪");
        assert_eq!(
            app.get_as("/api/me/activities", &v.token).await["items"][0]["activity_status"],
            "cancelled"
        );
    }
    let late = app.volunteer().await;
    let (status, e) = app.sign_up(&late.token, &shift).await;
    assert_eq!(
        (status, e["error"]["code"].clone()),
        (StatusCode::CONFLICT, json!("activity_cancelled"))
    );
    assert_eq!(count(&app, "/api/activities").await, 0);
    assert_eq!(
        count(
            &app,
            &format!(
                "/api/activities?org_id={}",
                a["org_id"].as_str().expect("org")
            )
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_thousand_racers_for_fifty_places_get_exactly_fifty() {
    let app = spawn_app().await;
    let (_, _, shift) = app.activity_with_places(50).await;
    let racers = app.fast_volunteers(1000).await;
    let app = Arc::new(app);
    let results = futures::future::join_all(racers.iter().map(|v| {
        let (app, shift, token) = (app.clone(), shift.clone(), v.token.clone());
        async move { app.sign_up(&token, &shift).await }
    }))
    .await;
    // A request answered 503 past the server's time limit may still be writing: count
    // only once every one has finished, and take a 503's outcome from the store, as the
    // racer's retry with the same token would.
    app.settled().await;
    assert!(results.iter().all(|(s, _)| s.as_u16() != 500));
    let mut results = results;
    for ((s, r), v) in results.iter_mut().zip(&racers) {
        if matches!(s.as_u16(), 429 | 503)
            && let Some(status) = signup_outcome(&app.store, &shift, &v.id).await
        {
            (*s, *r) = (StatusCode::CREATED, json!({ "status": status }));
        }
    }
    let confirmed = results
        .iter()
        .filter(|(s, r)| *s == StatusCode::CREATED && r["status"] == "confirmed")
        .count();
    let waitlisted = results
        .iter()
        .filter(|(s, r)| *s == StatusCode::CREATED && r["status"] == "waitlisted")
        .count();
    assert_eq!(confirmed, 50);
    assert_eq!(
        confirmed
            + waitlisted
            + results
                .iter()
                .filter(|(s, _)| *s != StatusCode::CREATED)
                .count(),
        1000
    );
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    assert_eq!(c.confirmed_items, 50);
    assert_eq!(c.waitlisted as usize, waitlisted);
}

/// Racers sign up while some confirmed ones cancel; the invariants hold at the end.
async fn race_with_cancellations(
    app: &Arc<TestApp>,
    capacity: u32,
    racers: usize,
) -> (usize, usize) {
    let (_, _, shift) = app.activity_with_places(capacity).await;
    let people = app.fast_volunteers(racers).await;
    let results = futures::future::join_all(people.iter().enumerate().map(|(i, v)| {
        let (app, shift, token) = (app.clone(), shift.clone(), v.token.clone());
        async move {
            let (s, r) = app.sign_up(&token, &shift).await;
            assert_ne!(s.as_u16(), 500, "{r}");
            // Every third signed-up racer changes their mind at once.
            if s == StatusCode::CREATED && i % 3 == 0 {
                let (s2, r2) = app.cancel_signup(&token, &shift).await;
                assert!(matches!(s2.as_u16(), 204 | 409 | 429 | 503), "{s2} {r2}");
            }
            s
        }
    }))
    .await;
    // Requests answered 503 past the time limit may still be writing.
    app.settled().await;
    let c = shift_counts(&app.store, &shift).await;
    assert_invariants(&c);
    (
        results
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        c.taken as usize,
    )
}

#[tokio::test]
async fn cancellations_interleaved_with_a_race_keep_the_counts_exact() {
    let app = Arc::new(spawn_app().await);
    let (_, taken) = race_with_cancellations(&app, 20, 300).await;
    assert_eq!(taken, 20, "the waitlist refills every freed place");
}

#[tokio::test]
async fn randomized_races_never_break_the_invariants() {
    let app = Arc::new(spawn_app().await);
    use rand::SeedableRng;
    let seed = rand::random::<u64>();
    eprintln!("randomized races: seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for _ in 0..6 {
        let capacity = rng.gen_range(1..=50);
        let racers = rng.gen_range(2..=500);
        race_with_cancellations(&app, capacity, racers).await;
    }
}

#[tokio::test]
async fn injected_throttling_conflicts_and_lost_answers_never_double_book_or_answer_500() {
    let plain = spawn_app().await;
    let injector = FaultInjector::new(15, &[Fault::Throttled, Fault::Conflict, Fault::LostAnswer]);
    let counts = injector.counts.clone();
    let app = Arc::new(spawn_app_on(plain.store.with_faults(injector)).await);
    // Set-up through the faulty store may itself be refused; retry it until it lands.
    let (organizer, org) = loop {
        if let Ok(x) = tokio::spawn({
            let app = app.clone();
            async move { app.approved_org("150602").await }
        })
        .await
        {
            break x;
        }
    };
    let a = loop {
        let (s, a) = app
            .send_json(
                Method::POST,
                "/api/activities",
                &activity_body(&org, &[(2 * DAY, 3600, 40)]),
                Some(&organizer.token),
            )
            .await;
        if s == StatusCode::CREATED {
            break a;
        }
        assert!(matches!(s.as_u16(), 409 | 429 | 503), "{s} {a}");
    };
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    // Both apps share the table: keep the plain app's phone numbers clear of the other's.
    for _ in 0..1000 {
        plain.next();
    }
    let people = plain.fast_volunteers(300).await;
    let statuses = futures::future::join_all(people.iter().enumerate().map(|(i, v)| {
        let (app, shift, token) = (app.clone(), shift.clone(), v.token.clone());
        async move {
            // A client that retries with its token until it gets a definite answer.
            let token_id = format!("t{i}");
            let mut last = 0;
            for _ in 0..5 {
                let (s, r) = app
                    .send_json(
                        Method::POST,
                        &format!("/api/shifts/{shift}/signups"),
                        &json!({"client_token": token_id}),
                        Some(&token),
                    )
                    .await;
                assert!(matches!(s.as_u16(), 201 | 401 | 409 | 429 | 503), "{s} {r}");
                last = s.as_u16();
                if !matches!(last, 401 | 429 | 503) {
                    break;
                }
            }
            if last == 201 && i % 4 == 0 {
                let (s, r) = app.cancel_signup(&token, &shift).await;
                assert!(
                    matches!(s.as_u16(), 204 | 401 | 404 | 409 | 429 | 503),
                    "{s} {r}"
                );
            }
            last
        }
    }))
    .await;
    app.settled().await;
    let c = shift_counts(&plain.store, &shift).await;
    assert_invariants(&c);
    assert_eq!(c.taken, 40, "{c:?} {statuses:?}");
    let injected = counts.throttled.load(std::sync::atomic::Ordering::Relaxed)
        + counts.conflicts.load(std::sync::atomic::Ordering::Relaxed)
        + counts
            .lost_answers
            .load(std::sync::atomic::Ordering::Relaxed);
    assert!(injected > 50, "faults were injected: {injected}");
    assert!(
        counts
            .lost_answers
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0
    );
}

#[tokio::test]
async fn reminders_reach_confirmed_volunteers_once_for_shifts_within_a_day() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            &activity_body(&org, &[(6 * 3600, 3600, 1), (3 * DAY, 3600, 5)]),
        )
        .await;
    let (soon, later) = (
        a["shifts"][0]["id"].as_str().expect("id"),
        a["shifts"][1]["id"].as_str().expect("id"),
    );
    let (v, w) = (app.volunteer().await, app.volunteer().await);
    app.sign_up(&v.token, soon).await;
    app.sign_up(&w.token, soon).await; // waitlisted: no reminder
    app.sign_up(&v.token, later).await;
    let now = Timestamp::from_unix(zhiyuan_functions::clock::now_unix());
    let sender = zhiyuan_functions::notify::NoticeSender::Log;
    let run = zhiyuan_functions::service::reminders::run;
    assert_eq!(run(&app.store, sender, now).await.expect("run"), 1);
    assert_eq!(
        run(&app.store, sender, now).await.expect("run"),
        0,
        "the shift left the queue"
    );
    let inbox = app.get_as("/api/me/notices", &v.token).await;
    assert_eq!(inbox["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(inbox["items"][0]["kind"], "reminder");
    assert_eq!(
        app.get_as("/api/me/notices", &w.token).await["items"],
        json!([])
    );
}
