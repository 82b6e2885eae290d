//! The AWS configuration a process's clients share: region, credentials and the HTTP
//! client with its TLS roots, resolved once. Each `aws_config` load resolves them anew,
//! and a cold start used to pay for one per client (Secrets Manager, DynamoDB, S3).
//!
//! Loaded on first use, never before: the local stack and the tests name every endpoint,
//! region and credential themselves, and a load there would look for a region in the
//! instance metadata service, which is not there.

use aws_config::{BehaviorVersion, SdkConfig};
use tokio::sync::OnceCell;

static SHARED: OnceCell<SdkConfig> = OnceCell::const_new();

/// The process's AWS configuration, loaded by the first caller.
pub async fn shared_config() -> &'static SdkConfig {
    SHARED
        .get_or_init(|| aws_config::load_defaults(BehaviorVersion::latest()))
        .await
}
