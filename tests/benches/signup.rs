//! `make bench`: sign-up throughput and latency through the local server's HTTP API
//! against DynamoDB Local. Each request is a different volunteer signing up for one
//! shift with room for all (the transactional path every sign-up takes).
//! - closed loop at 50, 200 and 1,000 concurrent clients: throughput, p50, p99;
//! - open loop at a fixed 200 requests/s: p50, p99 (the goal: p99 ≤ 15 ms).

use std::sync::Arc;
use std::time::{Duration, Instant};
use zhiyuan_tests::{DAY, TestApp, activity_body, spawn_app};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((sorted.len() as f64 - 1.0) * p).round() as usize).min(sorted.len() - 1)]
}

async fn shift_for(app: &TestApp, organizer: &zhiyuan_tests::User, org: &str) -> String {
    let a = app
        .publish(organizer, &activity_body(org, &[(2 * DAY, 3600, 10_000)]))
        .await;
    a["shifts"][0]["id"].as_str().expect("shift").to_string()
}

async fn timed_sign_up(app: &TestApp, token: &str, shift: &str) -> (f64, u16) {
    let t = Instant::now();
    let (s, _) = app.sign_up(token, shift).await;
    (t.elapsed().as_secs_f64() * 1000.0, s.as_u16())
}

#[tokio::main]
async fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let app = Arc::new(spawn_app().await);
    let (organizer, org) = app.approved_org("150602").await;
    let mut rows = Vec::new();
    for clients in [50usize, 200, 1_000] {
        let shift = shift_for(&app, &organizer, &org).await;
        let people = app.fast_volunteers(requests.max(clients)).await;
        let sem = Arc::new(tokio::sync::Semaphore::new(clients));
        let started = Instant::now();
        let results = futures::future::join_all(people.iter().map(|p| {
            let (app, sem, shift, token) =
                (app.clone(), sem.clone(), shift.clone(), p.token.clone());
            async move {
                let _permit = sem.acquire().await.expect("permit");
                timed_sign_up(&app, &token, &shift).await
            }
        }))
        .await;
        let secs = started.elapsed().as_secs_f64();
        let mut ms: Vec<f64> = results.iter().map(|r| r.0).collect();
        ms.sort_by(f64::total_cmp);
        let ok = results.iter().filter(|r| r.1 == 201).count();
        rows.push(format!(
            "| closed loop, {clients} clients | {} | {ok} | {:.0} | {:.1} | {:.1} |",
            results.len(),
            results.len() as f64 / secs,
            percentile(&ms, 0.5),
            percentile(&ms, 0.99)
        ));
    }
    // Open loop: one request every 5 ms, whatever the answers' pace.
    let shift = shift_for(&app, &organizer, &org).await;
    let people = app.fast_volunteers(1_000).await;
    let started = Instant::now();
    let mut handles = Vec::with_capacity(people.len());
    for (i, p) in people.iter().enumerate() {
        let due = started + Duration::from_millis(5 * i as u64);
        tokio::time::sleep_until(due.into()).await;
        let (app, shift, token) = (app.clone(), shift.clone(), p.token.clone());
        handles.push(tokio::spawn(async move {
            timed_sign_up(&app, &token, &shift).await
        }));
    }
    let mut results = Vec::new();
    for h in handles {
        results.push(h.await.expect("task"));
    }
    let secs = started.elapsed().as_secs_f64();
    let mut ms: Vec<f64> = results.iter().map(|r| r.0).collect();
    ms.sort_by(f64::total_cmp);
    let ok = results.iter().filter(|r| r.1 == 201).count();
    rows.push(format!(
        "| open loop, 200 req/s | {} | {ok} | {:.0} | {:.1} | {:.1} |",
        results.len(),
        results.len() as f64 / secs,
        percentile(&ms, 0.5),
        percentile(&ms, 0.99)
    ));
    println!(
        "\nSign-up through the HTTP API against DynamoDB Local (one shift, distinct volunteers)\n"
    );
    println!("| load | requests | 201 | req/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for r in rows {
        println!("{r}");
    }
}
