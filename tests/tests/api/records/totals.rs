//! Confirmation counted once whatever the concurrency, retries and crashes; star levels.

use super::{H, confirm, id};
use rand::SeedableRng;
use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_functions::store::faults::{Fault, FaultInjector};
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    User, counted_minutes, served_minutes, set_served_minutes, shift_under_way, spawn_app,
    spawn_app_on,
};

#[tokio::test]
async fn the_same_record_confirmed_by_50_concurrent_requests_adds_its_hours_once() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, _, shift) = shift_under_way(&app, &[&v], 5 * H, 4 * H).await;
    // Exactly the shift's own times: `now` read here is a moment later than the one the
    // shift was placed by, and a check-out past its end would be cut to it.
    let (aid, n) = zhiyuan_functions::store::keys::parse_shift_id(&shift).expect("shift id");
    let placed = app
        .store
        .get_shift(aid, n)
        .await
        .expect("read")
        .expect("shift");
    let rec = app
        .attendance(
            &organizer,
            &shift,
            &v.id,
            placed.starts_at.unix(),
            Some(placed.ends_at.unix()),
        )
        .await;
    assert_eq!(rec["hours"], 4.0);
    let record = id(&rec);
    let answers =
        futures::future::join_all((0..50).map(|_| confirm(&app, &organizer, &record))).await;
    assert!(
        answers.iter().all(|(s, _)| *s == StatusCode::OK),
        "{answers:?}"
    );
    assert_eq!(served_minutes(&app.store, &v.id).await, 240);
    let detail = app
        .get_as(&format!("/api/records/{record}"), &organizer.token)
        .await;
    let confirms = detail["audit"]
        .as_array()
        .expect("audit")
        .iter()
        .filter(|a| a["action"] == "confirm")
        .count();
    assert_eq!(confirms, 1);
}

#[tokio::test]
async fn a_crash_part_way_through_confirming_a_shift_then_a_retry_leaves_every_total_exact() {
    let app = spawn_app().await;
    let volunteers = app.fast_volunteers(5).await;
    let refs: Vec<&User> = volunteers.iter().collect();
    let (organizer, _, shift) = shift_under_way(&app, &refs, 5 * H, 4 * H).await;
    let now = now_unix();
    for (i, v) in volunteers.iter().enumerate() {
        app.attendance(
            &organizer,
            &shift,
            &v.id,
            now - 5 * H,
            Some(now - 4 * H + i as i64 * 1800),
        )
        .await;
    }
    // The same deployment's code on a store that dies after its first write.
    let crashing = spawn_app_on(app.store.with_faults(FaultInjector::crash_after_writes(1))).await;
    let path = format!("/api/shifts/{shift}/records/confirm");
    let (status, _) = crashing.post(&path, &Value::Null, &organizer.token).await;
    assert!(
        status.is_server_error(),
        "the crash fails the request: {status}"
    );
    let after_crash =
        futures::future::join_all(volunteers.iter().map(|v| served_minutes(&app.store, &v.id)))
            .await;
    assert_eq!(
        after_crash.iter().filter(|m| **m > 0).count(),
        1,
        "exactly the first record was confirmed: {after_crash:?}"
    );

    let (status, result) = app.post(&path, &Value::Null, &organizer.token).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["confirmed"], 4, "the retry confirms the rest");
    for (i, v) in volunteers.iter().enumerate() {
        let expected = 60 + i as u64 * 30;
        assert_eq!(served_minutes(&app.store, &v.id).await, expected);
        assert_eq!(counted_minutes(&app.store, &v.id).await, expected);
    }
}

#[tokio::test]
async fn star_levels_change_exactly_at_100_and_1500_hours_as_corrections_move_the_total() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, _, shift) = shift_under_way(&app, &[&v], 7 * H, 6 * H).await;
    let now = now_unix();
    let record = id(&app
        .attendance(&organizer, &shift, &v.id, now - 7 * H, Some(now - 3 * H))
        .await);
    confirm(&app, &organizer, &record).await;
    let correct = |hours: i64, why: &'static str| {
        let app = &app;
        let organizer = &organizer;
        let record = record.clone();
        async move {
            let (status, body) = app
                .post(
                    &format!("/api/records/{record}/correct"),
                    &json!({
                        "check_in": Timestamp::from_unix(now - 7 * H).rfc3339_cst(),
                        "check_out": Timestamp::from_unix(now - 7 * H + hours).rfc3339_cst(),
                        "reason": why,
                    }),
                    &organizer.token,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let stars = |total: f64, star: u64| {
        let app = &app;
        let v = &v;
        async move {
            let me = app.get_as("/api/me", &v.token).await;
            assert_eq!(me["total_hours"], total);
            assert_eq!(me["star_level"], star, "at {total} h");
        }
    };
    // 95.5 h served before; this record 4 h.
    set_served_minutes(&app.store, &v.id, 95 * 60 + 30 + 240).await;
    stars(99.5, 0).await;
    let c = correct(4 * H + 1800, "签退时间补录").await;
    assert_eq!(c["status"], "corrected");
    stars(100.0, 1).await;
    set_served_minutes(&app.store, &v.id, 1495 * 60 + 270).await;
    stars(1499.5, 4).await;
    correct(5 * H, "再次核对").await;
    stars(1500.0, 5).await;
    let mine = app.get_as("/api/me/records", &v.token).await;
    assert_eq!(
        mine["perks"].as_array().map(Vec::len),
        Some(7),
        "★5 unlocks every perk"
    );
    assert!(mine.get("hours_to_next_star").is_none());
}

/// Any interleaving of check-ins, hand entries, confirmations (concurrent and repeated),
/// corrections, voids and retries through a store that loses answers and conflicts
/// leaves each volunteer's total equal to the sum of their counted records.
#[tokio::test]
async fn any_sequence_of_record_changes_keeps_each_total_equal_to_its_counted_records() {
    let seed: u64 = std::env::var("ZHIYUAN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("seed {seed} (ZHIYUAN_SEED={seed} repeats this run)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let app = spawn_app().await;
    let faulty = spawn_app_on(app.store.with_faults(FaultInjector::new(
        20,
        &[Fault::LostAnswer, Fault::Conflict, Fault::Throttled],
    )))
    .await;
    let volunteers = app.fast_volunteers(4).await;
    let refs: Vec<&User> = volunteers.iter().collect();
    let mut shifts = Vec::new();
    for k in 0..3 {
        let (organizer, _, shift) = shift_under_way(&app, &refs, (20 - 7 * k) * H, 6 * H).await;
        shifts.push(zhiyuan_tests::HistoryShift {
            organizer,
            shift,
            start: now_unix() - (20 - 7 * k) * H,
        });
    }
    zhiyuan_tests::random_record_history(&app, &faulty, &volunteers, &shifts, &mut rng, 60).await;
    for v in &volunteers {
        assert_eq!(
            served_minutes(&app.store, &v.id).await,
            counted_minutes(&app.store, &v.id).await,
            "seed {seed}"
        );
    }
}
