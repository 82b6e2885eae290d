//! A hot activity under DynamoDB's per-partition limit: the fault injector's throttle
//! model gives each partition key 1,000 WCU a second (transactional writes counted
//! double) and throttles what goes over, as the service does. The places are split over
//! counters on their own keys and the sign-ups are off the activity's partition, so the
//! race holds: nobody over-booked, everyone answered, the invariants intact.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use zhiyuan_functions::store::faults::FaultInjector;
use zhiyuan_tests::{assert_invariants, shift_counts, spawn_app, spawn_app_on};

/// What the racers were told.
#[derive(Debug, Default)]
struct Outcomes {
    confirmed: usize,
    waitlisted: usize,
    /// 409, 429 or 503: a clear "not now".
    refused: usize,
}

/// `racers` volunteers race for `places` places on one shift, through a store whose
/// partition keys each take `wcu` write units a second.
async fn race_under_the_throttle_model(racers: usize, places: u32, wcu: u32) -> (Outcomes, u64) {
    let plain = spawn_app().await;
    let (_, _, shift) = plain.activity_with_places(places).await;
    let people = plain.fast_volunteers(racers).await;
    let injector = FaultInjector::throttle_model(wcu);
    let counts = injector.counts.clone();
    let budget = injector.budget.clone().expect("a budget");
    let app = Arc::new(spawn_app_on(plain.store.with_faults(injector)).await);
    let answers = futures::future::join_all(people.iter().map(|v| {
        let (app, shift, token) = (app.clone(), shift.clone(), v.token.clone());
        async move { app.sign_up(&token, &shift).await }
    }))
    .await;
    // A request answered 503 past the server's time limit may still be writing: count
    // only once every one has finished.
    app.settled().await;
    let mut out = Outcomes::default();
    for ((status, body), v) in answers.iter().zip(&people) {
        // A 503 or 429 says "retry": what the retry with the same token would learn.
        let later = match status.as_u16() {
            429 | 503 => zhiyuan_tests::signup_outcome(&plain.store, &shift, &v.id).await,
            _ => None,
        };
        match (status.as_u16(), body["status"].as_str(), later.as_deref()) {
            (201, Some("confirmed"), _) | (429 | 503, _, Some("confirmed")) => out.confirmed += 1,
            (201, Some("waitlisted"), _) | (429 | 503, _, Some("waitlisted")) => {
                out.waitlisted += 1
            }
            (409 | 429 | 503, _, _) => out.refused += 1,
            other => panic!("an unclear answer: {other:?} {body}"),
        }
    }
    let c = shift_counts(&plain.store, &shift).await;
    assert_invariants(&c);
    assert_eq!(c.counters, 4, "50 places are split over four counters");
    assert_eq!(c.confirmed_items as usize, out.confirmed);
    assert_eq!(c.waitlisted as usize, out.waitlisted);
    let (peak, key) = budget.peak();
    assert!(peak <= wcu, "{key} took {peak} WCU in a second");
    (out, counts.over_budget.load(Ordering::Relaxed))
}

#[tokio::test]
async fn five_hundred_racers_for_fifty_places_under_the_partition_limit_never_over_book() {
    let (out, _) = race_under_the_throttle_model(500, 50, 1000).await;
    assert_eq!(out.confirmed, 50, "{out:?}");
    assert_eq!(out.confirmed + out.waitlisted + out.refused, 500);
    assert!(out.waitlisted > 0, "{out:?}");
}

/// DynamoDB Local serves some ten times fewer writes a second than one AWS partition
/// takes, so the limit scaled down by as much is what makes it throttle here.
#[tokio::test]
async fn a_throttled_race_still_answers_everyone_clearly_and_never_over_books() {
    let (out, throttled) = race_under_the_throttle_model(500, 50, 60).await;
    assert!(
        throttled > 0,
        "the scaled-down limit throttled nothing: {out:?}"
    );
    assert!(out.confirmed <= 50, "{out:?}");
    assert_eq!(out.confirmed + out.waitlisted + out.refused, 500);
}
