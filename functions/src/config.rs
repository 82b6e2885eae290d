//! Configuration from the environment, read once at start-up.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// DynamoDB table name (`ZHIYUAN_TABLE`).
    pub table: String,
    /// DynamoDB endpoint override (`DYNAMODB_ENDPOINT`), set only for DynamoDB Local.
    pub dynamodb_endpoint: Option<String>,
    /// Bootstrap bearer token for station writes (`ZHIYUAN_ADMIN_TOKEN`) until accounts
    /// and region-admin roles exist. Unset: every write is refused.
    pub admin_token: Option<String>,
    /// The built SPA the local server serves (`ZHIYUAN_DIST`, default `dist`).
    pub dist_dir: PathBuf,
}

impl Config {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Self {
            table: var("ZHIYUAN_TABLE").unwrap_or_else(|| "zhiyuan".into()),
            dynamodb_endpoint: var("DYNAMODB_ENDPOINT"),
            admin_token: var("ZHIYUAN_ADMIN_TOKEN"),
            dist_dir: var("ZHIYUAN_DIST")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("dist")),
        }
    }
}
