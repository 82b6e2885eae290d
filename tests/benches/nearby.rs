//! `make bench`: nearby search at 1,000, 10,000 and 100,000 stations in DynamoDB Local.
//! Counts DynamoDB calls per request and measures latency through the HTTP API.
//! Stations cluster around the twelve leagues' seats; query points are drawn the same way.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use zhiyuan_functions::seed;
use zhiyuan_tests::{fresh_store, spawn_app_on};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let regions = seed::regions().expect("regions");
    let cities: Vec<_> = regions
        .iter()
        .filter(|r| {
            r.parent_code
                .as_ref()
                .is_some_and(|p| p.as_str() == "150000")
        })
        .cloned()
        .collect();
    let mut rows = Vec::new();
    for &n in &sizes {
        let store = fresh_store().await;
        let started = Instant::now();
        let stations = seed::synthetic_stations(&regions, n, 42);
        for chunk in stations.chunks(5_000) {
            seed::put_stations(&store, chunk)
                .await
                .expect("load stations");
        }
        eprintln!(
            "loaded {n} stations in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        let app = spawn_app_on(store.clone()).await;
        for radius in [5.0, 20.0] {
            let mut rng = StdRng::seed_from_u64(7);
            let mut lat_ms = Vec::with_capacity(requests);
            let (mut max_queries, mut total_queries, mut scans, mut results) =
                (0u64, 0u64, 0u64, 0usize);
            // Warm the connection pool and DynamoDB Local's JIT before measuring.
            for _ in 0..20 {
                let _ = app
                    .get("/api/stations?lat=39.6&lng=109.8&radius_km=5")
                    .await;
            }
            for _ in 0..requests {
                let c = &cities[rng.gen_range(0..cities.len())];
                let lat = c.lat + rng.gen_range(-0.3..0.3);
                let lng = c.lng + rng.gen_range(-0.4..0.4);
                let before = store.calls();
                let t = Instant::now();
                let (status, page) = app
                    .get(&format!(
                        "/api/stations?lat={lat:.5}&lng={lng:.5}&radius_km={radius}&limit=20"
                    ))
                    .await;
                lat_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                assert!(status.is_success(), "{page}");
                let after = store.calls();
                let q = after.queries - before.queries;
                max_queries = max_queries.max(q);
                total_queries += q;
                scans += after.scans - before.scans;
                results += page["items"].as_array().map_or(0, |a| a.len());
            }
            lat_ms.sort_by(|a, b| a.total_cmp(b));
            rows.push((
                n,
                radius,
                requests,
                total_queries as f64 / requests as f64,
                max_queries,
                scans,
                percentile(&lat_ms, 0.5),
                percentile(&lat_ms, 0.95),
                results as f64 / requests as f64,
            ));
        }
    }
    println!();
    println!(
        "Nearby search (GET /api/stations?lat&lng&radius_km, limit 20) against DynamoDB Local"
    );
    println!(
        "| stations | radius km | requests | queries/req (mean) | queries/req (max) | scans | p50 ms | p95 ms | items/page |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (n, r, req, qm, qx, s, p50, p95, items) in &rows {
        println!("| {n} | {r} | {req} | {qm:.2} | {qx} | {s} | {p50:.2} | {p95:.2} | {items:.1} |");
    }
    for r in [5.0, 20.0] {
        let p95 = |n: usize| {
            rows.iter()
                .find(|row| row.0 == n && row.1 == r)
                .map(|row| row.7)
        };
        if let (Some(small), Some(large)) = (p95(sizes[0]), p95(*sizes.last().unwrap_or(&0))) {
            println!(
                "radius {r} km: p95 at {} / p95 at {} = {:.2} (goal ≤ 1.3)",
                sizes.last().unwrap_or(&0),
                sizes[0],
                large / small
            );
        }
    }
}
