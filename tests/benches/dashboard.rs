//! `make bench`: the statistics dashboard and a compliance page through the HTTP API
//! against DynamoDB Local, with 10,000 and then 200,000 volunteers seeded across Ordos's
//! nine banners (a quarter of them party members, each with some hours this year).
//! Prints latency and the DynamoDB calls each request made: the goal is calls that do not
//! grow with the number of volunteers.
//!
//! `BENCH_VOLUNTEERS=2000,20000` changes the sizes.

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use std::collections::HashMap;
use std::time::Instant;
use zhiyuan_functions::service::stats::{registration_effect, year_of};
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::accounts::{UserItem, VolunteerItem};
use zhiyuan_functions::store::stats::{Counter, CounterAdd, YearTotals};
use zhiyuan_shared::account::VolunteerGroup;
use zhiyuan_shared::record::star_of_minutes;
use zhiyuan_tests::spawn_app;

const BANNERS: [&str; 9] = [
    "150602", "150603", "150621", "150622", "150623", "150624", "150625", "150626", "150627",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((sorted.len() as f64 - 1.0) * p).round() as usize).min(sorted.len() - 1)]
}

async fn batch_write(store: &Store, items: Vec<HashMap<String, AttributeValue>>) {
    for chunk in items.chunks(25) {
        let mut pending: Vec<WriteRequest> = chunk
            .iter()
            .map(|i| {
                WriteRequest::builder()
                    .put_request(
                        PutRequest::builder()
                            .set_item(Some(i.clone()))
                            .build()
                            .expect("put"),
                    )
                    .build()
            })
            .collect();
        while !pending.is_empty() {
            let out = store
                .client()
                .batch_write_item()
                .request_items(store.table_name(), pending)
                .send()
                .await
                .expect("batch write");
            pending = out
                .unprocessed_items
                .and_then(|mut m| m.remove(store.table_name()))
                .unwrap_or_default();
        }
    }
}

/// `n` volunteers written in bulk (their items exactly as a registration and confirmed
/// hours would leave them), and the counters they add.
async fn seed(store: &Store, from: usize, n: usize) {
    let year = year_of(zhiyuan_functions::clock::now_unix());
    let mut adds = Vec::new();
    let mut items = Vec::with_capacity(n * 2);
    for k in from..from + n {
        let id = zhiyuan_functions::ids::UserId::generate();
        let region = BANNERS[k % BANNERS.len()];
        let groups = if k % 4 == 0 {
            vec![VolunteerGroup::PartyMember]
        } else {
            vec![VolunteerGroup::Worker]
        };
        // 0–50 hours this year, in half hours.
        let minutes = (k as u64 * 7919 % 101) * 30;
        let (reg, members) = registration_effect(&id, region, &groups, 0);
        adds.extend(reg.into_iter().map(|a| CounterAdd {
            year: a.year.map(|_| year),
            ..a
        }));
        if minutes > 0 {
            adds.push(CounterAdd::in_year(
                region,
                &id,
                year,
                Counter::Minutes,
                minutes as i64,
            ));
            adds.push(CounterAdd::in_year(region, &id, year, Counter::Active, 1));
        }
        let star = star_of_minutes(minutes);
        if star > 0 {
            adds.push(CounterAdd::now(region, &id, Counter::Star(star), 1));
        }
        let user = UserItem {
            id: id.clone(),
            display_name: format!("志愿者{k}"),
            phone_sealed: String::new(),
            phone_index: format!("bench{k}"),
            password_hash: "bench".into(),
            token_gen: 0,
            roles: vec![],
            volunteer: Some(VolunteerItem {
                volunteer_no: format!("{region}{k:08}"),
                real_name: format!("志愿者{k}"),
                id_sealed: String::new(),
                id_index: format!("bench{k}"),
                id_masked: "1506**********0000".into(),
                gender: zhiyuan_shared::identity::Gender::Male,
                birth_date: zhiyuan_shared::identity::Date::parse_iso("1980-01-01").expect("date"),
                region_code: zhiyuan_shared::region::RegionCode::parse(region).expect("region"),
                service_fields: vec![],
                groups,
                skills: vec![],
                registered_at: "2026-01-01T00:00:00+08:00".into(),
                consent_at: "2026-01-01T00:00:00+08:00".into(),
                guardian: None,
            }),
            served_minutes: minutes,
            years: [(
                year.to_string(),
                YearTotals {
                    minutes,
                    records: u32::from(minutes > 0),
                },
            )]
            .into(),
            stats_rev: 1,
            trainings_done: 0,
            created_at: "2026-01-01T00:00:00+08:00".into(),
            signup_seq: 0,
            notices_seen: None,
            closed_at: None,
            assisted: None,
        };
        items.push(zhiyuan_functions::store::accounts::user_item(&user).expect("user item"));
        for m in members {
            items
                .push(zhiyuan_functions::store::stats::group_member_item(&m).expect("member item"));
        }
    }
    let chunks: Vec<Vec<HashMap<String, AttributeValue>>> =
        items.chunks(2_500).map(<[_]>::to_vec).collect();
    futures::future::join_all(chunks.into_iter().map(|c| batch_write(store, c))).await;
    store.add_counters(&adds).await.expect("counters");
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_VOLUNTEERS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 200_000]);
    let rounds: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let app = spawn_app().await;
    let city = app.region_admin("150600").await;
    let mut rows = Vec::new();
    let mut seeded = 0;
    for size in sizes {
        let started = Instant::now();
        seed(&app.store, seeded, size - seeded).await;
        eprintln!(
            "seeded {} volunteers in {:.0} s",
            size - seeded,
            started.elapsed().as_secs_f64()
        );
        seeded = size;
        for (label, path, token) in [
            (
                "city dashboard, admin (10 regions)",
                "/api/stats?region=150600",
                Some(&city.token),
            ),
            ("city summary, anonymous", "/api/stats?region=150600", None),
            (
                "banner dashboard, admin",
                "/api/stats?region=150602",
                Some(&city.token),
            ),
            (
                "compliance page (100 party members)",
                "/api/stats/compliance?region=150602&group=party_member&limit=100",
                Some(&city.token),
            ),
        ] {
            let before = app.store.calls();
            let mut ms = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let t = Instant::now();
                let (status, body) = app.get_with(path, token.map(String::as_str)).await;
                assert!(status.is_success(), "{path}: {body}");
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let after = app.store.calls();
            ms.sort_by(f64::total_cmp);
            let per = |a: u64, b: u64| (a - b) as f64 / rounds as f64;
            rows.push(format!(
                "| {size} | {label} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
                percentile(&ms, 0.5),
                percentile(&ms, 0.99),
                per(after.queries, before.queries),
                per(after.gets, before.gets),
                per(after.scans, before.scans),
            ));
        }
    }
    println!("\n## Dashboard ({rounds} sequential requests each; DynamoDB Local, 2 cores)\n");
    println!(
        "| volunteers | request | p50 ms | p99 ms | Query calls/request | GetItem+BatchGetItem calls/request | Scans |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for r in rows {
        println!("{r}");
    }
}
