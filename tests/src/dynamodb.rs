//! One DynamoDB Local per test binary, and a fresh table per test.

use super::process::{free_port, spawn_tied_to_this_process, wait_for_port, workspace_root};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use zhiyuan_functions::store::{Store, table};

static DYNAMODB: OnceLock<String> = OnceLock::new();

/// The endpoint of this test binary's DynamoDB Local, started on first use. Set
/// `ZHIYUAN_TEST_DYNAMODB_ENDPOINT` to use one already running instead.
pub fn dynamodb_endpoint() -> String {
    DYNAMODB
        .get_or_init(|| {
            if let Ok(ep) = std::env::var("ZHIYUAN_TEST_DYNAMODB_ENDPOINT") {
                return ep;
            }
            let root = workspace_root();
            let port = free_port();
            let log_dir = root.join("target").join("test-artifacts");
            let _ = std::fs::create_dir_all(&log_dir);
            let script = root.join("scripts").join("dynamodb-local.sh");
            spawn_tied_to_this_process(
                &script.to_string_lossy(),
                &[port.to_string(), "-inMemory".to_string()],
                &log_dir.join(format!("dynamodb-local-{port}.log")),
            );
            assert!(
                wait_for_port(port, Duration::from_secs(60)),
                "DynamoDB Local did not start on port {port}"
            );
            format!("http://127.0.0.1:{port}")
        })
        .clone()
}

static TABLE_SEQ: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty table on DynamoDB Local, created from the one table definition.
pub async fn fresh_store() -> Store {
    let endpoint = dynamodb_endpoint();
    let client = zhiyuan_functions::store::connect(Some(&endpoint)).await;
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        TABLE_SEQ.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    table::create_if_absent(&client, &name)
        .await
        .expect("create test table");
    Store::new(client, name)
}
