//! Transfers between deployments, imported once.

use super::{H, confirm, id};
use reqwest::StatusCode;
use serde_json::json;
use zhiyuan_functions::clock::now_unix;
use zhiyuan_functions::store::faults::FaultInjector;
use zhiyuan_tests::{
    Deployment, TestApp, counted_minutes, fresh_store, served_minutes, shift_under_way,
    spawn_deployment,
};

/// Deployment A (where the volunteer served) and deployment B (where they moved), two
/// apps on two tables with different keys; B trusts A's key.
async fn store_with_regions() -> zhiyuan_functions::store::Store {
    let store = fresh_store().await;
    store
        .put_regions(&zhiyuan_functions::seed::regions().expect("regions"))
        .await
        .expect("regions");
    store
}

async fn two_deployments() -> (TestApp, TestApp) {
    let a = spawn_deployment(
        store_with_regions().await,
        Deployment {
            name: "ordos",
            ..Deployment::default()
        },
    )
    .await;
    let (_, key) = a.get("/api/transfers/key").await;
    let b = spawn_deployment(
        store_with_regions().await,
        Deployment {
            name: "hohhot",
            pii_secret: "another-pii-secret-0123456789abcdef01",
            trusted_transfer_keys: vec![key["public_key"].as_str().expect("key").to_string()],
            ..Deployment::default()
        },
    )
    .await;
    (a, b)
}

#[tokio::test]
async fn a_signed_transfer_file_is_imported_once_and_a_tampered_one_not_at_all() {
    let (a, b) = two_deployments().await;
    let v = a.fast_volunteers(1).await.remove(0);
    let (organizer, _, shift) = shift_under_way(&a, &[&v], 6 * H, 5 * H).await;
    let now = now_unix();
    let r = a
        .attendance(&organizer, &shift, &v.id, now - 6 * H, Some(now - 2 * H))
        .await;
    confirm(&a, &organizer, &id(&r)).await;
    let file = a.transfer_file(&v).await;
    assert_eq!(file["payload"]["records"].as_array().map(Vec::len), Some(1));

    // The same person registers by real name at B (the same ID number).
    let moved = b.fast_volunteers(1).await.remove(0);
    assert_eq!(moved.phone, v.phone, "same person, same numbers");
    let admin = b.region_admin("150602").await;
    let elsewhere = b.region_admin("150603").await;
    let (status, body) = b.post("/api/transfers", &file, &elsewhere.token).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "{body}: {}",
        "only an admin of the volunteer's region"
    );

    let mut tampered = file.clone();
    tampered["payload"]["records"][0]["minutes"] = json!(6000);
    let (status, body) = b.post("/api/transfers", &tampered, &admin.token).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("bad_signature"))
    );
    assert_eq!(served_minutes(&b.store, &moved.id).await, 0);

    let (status, first) = b.post("/api/transfers", &file, &admin.token).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        (first["imported"].as_u64(), first["total_hours"].as_f64()),
        (Some(1), Some(4.0))
    );
    let (_, second) = b.post("/api/transfers", &file, &admin.token).await;
    assert_eq!(
        (
            second["imported"].as_u64(),
            second["already_present"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(served_minutes(&b.store, &moved.id).await, 240);
    let mine = b.get_as("/api/me/records", &moved.token).await;
    assert_eq!(mine["items"][0]["transferred_from"], "ordos");

    // A does not trust B's key; and A's own file back home adds nothing.
    let back = b.transfer_file(&moved).await;
    let a_admin = a.region_admin("150602").await;
    let (status, body) = a.post("/api/transfers", &back, &a_admin.token).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("untrusted_key"))
    );
    let (_, home) = a.post("/api/transfers", &file, &a_admin.token).await;
    assert_eq!(home["imported"], 0);
    assert_eq!(served_minutes(&a.store, &v.id).await, 240);
}

#[tokio::test]
async fn an_import_that_crashes_part_way_and_is_retried_counts_every_record_once() {
    let (a, b) = two_deployments().await;
    let v = a.fast_volunteers(1).await.remove(0);
    let mut expected = 0;
    for k in 0..4 {
        let (organizer, _, shift) = shift_under_way(&a, &[&v], (30 - 6 * k) * H, 4 * H).await;
        let start = now_unix() - (30 - 6 * k) * H;
        let r = a
            .attendance(&organizer, &shift, &v.id, start, Some(start + 3 * H))
            .await;
        confirm(&a, &organizer, &id(&r)).await;
        expected += 180;
    }
    let file = a.transfer_file(&v).await;
    let moved = b.fast_volunteers(1).await.remove(0);
    let admin = b.region_admin("150602").await;
    let b_config_store = b.store.with_faults(FaultInjector::crash_after_writes(1));
    let crashing = spawn_deployment(
        b_config_store,
        Deployment {
            name: "hohhot",
            pii_secret: "another-pii-secret-0123456789abcdef01",
            trusted_transfer_keys: vec![file["public_key"].as_str().expect("key").into()],
            ..Deployment::default()
        },
    )
    .await;
    let (status, _) = crashing.post("/api/transfers", &file, &admin.token).await;
    assert!(status.is_server_error(), "{status}");
    assert_eq!(
        served_minutes(&b.store, &moved.id).await,
        180,
        "one record got in"
    );
    let (status, result) = b.post("/api/transfers", &file, &admin.token).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(
        (
            result["imported"].as_u64(),
            result["already_present"].as_u64()
        ),
        (Some(3), Some(1))
    );
    assert_eq!(served_minutes(&b.store, &moved.id).await, expected);
    assert_eq!(counted_minutes(&b.store, &moved.id).await, expected);
}
