//! `make bench`: a hot activity under DynamoDB's per-partition limit. 5,000 volunteers
//! race for the 500 places of one activity's one shift through the HTTP API, on a store
//! whose fault injector models the limit (each partition key 1,000 WCU a second,
//! transactional writes counted double; over it, `ProvisionedThroughputExceeded`), and
//! again with the limit scaled down fourfold, since DynamoDB Local serves far fewer writes
//! a second than one AWS partition takes. Prints the time to drain and what the racers
//! were told, and the store calls a sign-up made.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;
use zhiyuan_functions::store::faults::FaultInjector;
use zhiyuan_tests::{assert_invariants, shift_counts, spawn_app, spawn_app_on};

#[tokio::main]
async fn main() {
    let racers: usize = std::env::var("BENCH_RACERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let places = u32::try_from(racers / 10).unwrap_or(500);
    let mut rows = Vec::new();
    for wcu in [1_000u32, 250] {
        let plain = spawn_app().await;
        let (_, _, shift) = plain.activity_with_places(places).await;
        let people = plain.fast_volunteers(racers).await;
        let injector = FaultInjector::throttle_model(wcu);
        let counts = injector.counts.clone();
        let budget = injector.budget.clone().expect("a budget");
        let app = Arc::new(spawn_app_on(plain.store.with_faults(injector)).await);
        // At most 1,000 requests in flight: the clients of one busy second.
        let sem = Arc::new(tokio::sync::Semaphore::new(1_000));
        let before = plain.store.calls();
        let started = Instant::now();
        let answers = futures::future::join_all(people.iter().map(|p| {
            let (app, sem, shift, token) =
                (app.clone(), sem.clone(), shift.clone(), p.token.clone());
            async move {
                let _permit = sem.acquire().await.expect("permit");
                let (s, body) = app.sign_up(&token, &shift).await;
                // A 201's status, or a refusal's error code (503: `busy` or `timeout`).
                let what = body["status"].as_str().or(body["error"]["code"].as_str());
                (s.as_u16(), what.unwrap_or("").to_string())
            }
        }))
        .await;
        let drain = started.elapsed().as_secs_f64();
        let after = plain.store.calls();
        let is = |code: u16, st: &str| {
            answers
                .iter()
                .filter(|(c, s)| *c == code && (st.is_empty() || s == st))
                .count()
        };
        let (confirmed, waitlisted) = (is(201, "confirmed"), is(201, "waitlisted"));
        let (c409, c429, c503) = (is(409, ""), is(429, ""), is(503, ""));
        let (busy, timeout) = (is(503, "busy"), is(503, "timeout"));
        let other = racers - confirmed - waitlisted - c409 - c429 - c503;
        let c = shift_counts(&plain.store, &shift).await;
        assert_invariants(&c);
        assert!(confirmed <= places as usize, "over-booked");
        let per = |n: u64| n as f64 / racers as f64;
        let (peak, key) = budget.peak();
        rows.push(format!(
            "| {wcu} | {racers} / {places} | {} | {drain:.1} | {:.0} | {confirmed} | {waitlisted} | {c409} | {c429} | {c503} ({busy} / {timeout}) | {other} | {} | {peak} ({}) | {:.2} / {:.2} / {:.2} |",
            c.counters,
            racers as f64 / drain,
            counts.over_budget.load(Ordering::Relaxed),
            key.split('#').next().unwrap_or_default(),
            per(after.gets - before.gets),
            per(after.queries - before.queries),
            per(after.writes - before.writes),
        ));
    }
    println!(
        "\nHot activity under the per-partition-key throttle model (one shift, DynamoDB Local)\n"
    );
    println!(
        "| WCU/s per key | racers / places | counters | drain s | sign-ups/s | confirmed | waitlisted | 409 | 429 | 503 (busy / timeout) | other | throttled requests | peak WCU/s on one key | gets / queries / writes per sign-up |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for r in rows {
        println!("{r}");
    }
}
