//! `make bench`: the store's own ceiling against the end-to-end sign-up. In one run, on
//! one DynamoDB Local, at the same concurrency:
//! - **raw**: the sign-up's TransactWriteItems straight from the store (`Store::sign_up`:
//!   a place counter, the sign-up, the user's sequence, the mirror, the schedule), nothing
//!   else;
//! - **end to end**: `POST /api/shifts/{id}/signups` through the HTTP API;
//!
//! each for one shift and for 100 shifts (ten activities of ten), distinct volunteers.
//! Prints transactions/s, the ratio, and the store calls one end-to-end sign-up makes.

use std::sync::Arc;
use std::time::Instant;
use zhiyuan_functions::ids::{ActivityId, UserId};
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::activities::{ActivityItem, ShiftItem};
use zhiyuan_functions::store::signups::{Booked, SignupAttempt};
use zhiyuan_tests::{DAY, TestApp, User, activity_body, spawn_app};

const CLIENTS: usize = 100;

/// `shifts` shifts with room for everyone: one activity of one, or activities of ten.
async fn shifts(app: &TestApp, shifts: usize, places: u32) -> Vec<(ActivityItem, ShiftItem)> {
    let (organizer, org) = app.approved_org("150602").await;
    let per = shifts.min(10);
    let mut out = Vec::new();
    for _ in 0..shifts / per {
        let spec: Vec<(i64, i64, u32)> = (0..per as i64)
            .map(|i| (2 * DAY + i * 7200, 3600, places))
            .collect();
        let a = app.publish(&organizer, &activity_body(&org, &spec)).await;
        let id = ActivityId::parse(a["id"].as_str().expect("id")).expect("activity id");
        let item = app.store.get_activity(&id).await.expect("read").expect("a");
        for s in a["shifts"].as_array().expect("shifts") {
            let sid = s["id"].as_str().expect("shift id");
            let (_, n) = zhiyuan_functions::store::keys::parse_shift_id(sid).expect("shift id");
            let sh = app.store.get_shift(&id, n).await.expect("read").expect("s");
            out.push((item.clone(), sh));
        }
    }
    out
}

/// Runs `work` for every volunteer, `CLIENTS` at a time; answers the successes per second.
async fn closed_loop<F, Fut>(people: &[User], work: F) -> (f64, usize)
where
    F: Fn(usize, User) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let sem = Arc::new(tokio::sync::Semaphore::new(CLIENTS));
    let started = Instant::now();
    let ok = futures::future::join_all(people.iter().cloned().enumerate().map(|(i, p)| {
        let sem = sem.clone();
        let fut = work(i, p);
        async move {
            let _permit = sem.acquire().await.expect("permit");
            fut.await
        }
    }))
    .await
    .into_iter()
    .filter(|ok| *ok)
    .count();
    (ok as f64 / started.elapsed().as_secs_f64(), ok)
}

async fn raw_sign_up(store: &Store, a: &ActivityItem, shift: &ShiftItem, user: &str) -> bool {
    let user_id = UserId::parse(user).expect("user id");
    let w = SignupAttempt {
        activity: a,
        shift,
        user_id: &user_id,
        real_name: "测试",
        volunteer_no: "15060200000000",
        place: shift.counter_with_room(),
        client_token: "bench",
        signed_up_at: "2026-11-29T00:00:00+08:00".into(),
        user_seq_seen: 0,
        // The schedule item the end-to-end sign-up writes beside it: the same transaction.
        schedule: Some(vec![Booked {
            shift_id: shift.id(),
            starts_at: shift.starts_at,
            ends_at: shift.ends_at,
        }]),
    };
    store.sign_up(&w).await.is_ok()
}

#[tokio::main]
async fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let app = Arc::new(spawn_app().await);
    let mut rows = Vec::new();
    for n_shifts in [1usize, 100] {
        let places = u32::try_from(requests).unwrap_or(u32::MAX);
        // Raw: the transaction alone.
        let raw_shifts = Arc::new(shifts(&app, n_shifts, places).await);
        let people = app.fast_volunteers(requests).await;
        let (raw, raw_ok) = closed_loop(&people, |i, p| {
            let (app, s) = (app.clone(), raw_shifts.clone());
            async move {
                let (a, sh) = &s[i % s.len()];
                raw_sign_up(&app.store, a, sh, &p.id).await
            }
        })
        .await;
        // End to end: the same load through the API, on fresh shifts and volunteers.
        let e2e_shifts = Arc::new(shifts(&app, n_shifts, places).await);
        let people = app.fast_volunteers(requests).await;
        let before = app.store.calls();
        let (e2e, e2e_ok) = closed_loop(&people, |i, p| {
            let (app, s) = (app.clone(), e2e_shifts.clone());
            async move {
                let shift = s[i % s.len()].1.id();
                app.sign_up(&p.token, &shift).await.0.as_u16() == 201
            }
        })
        .await;
        let after = app.store.calls();
        let per = |n: u64| n as f64 / e2e_ok.max(1) as f64;
        rows.push(format!(
            "| {n_shifts} | {CLIENTS} | {raw_ok} | {raw:.0} | {e2e_ok} | {e2e:.0} | {:.2} | {:.2} / {:.2} / {:.2} |",
            e2e / raw,
            per(after.gets - before.gets),
            per(after.queries - before.queries),
            per(after.writes - before.writes),
        ));
    }
    println!("\nThe store's ceiling against the end-to-end sign-up (DynamoDB Local, one run)\n");
    println!(
        "| shifts | clients | raw tx | raw tx/s | end-to-end 201 | end-to-end/s | end-to-end ÷ raw | gets / queries / writes per sign-up |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        println!("{r}");
    }
}
