//! Configuration from the environment, read once at start-up.

use crate::crypto::{CryptoError, Keys};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    Sender(String),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// DynamoDB table name (`ZHIYUAN_TABLE`).
    pub table: String,
    /// DynamoDB endpoint override (`DYNAMODB_ENDPOINT`), set only for DynamoDB Local.
    pub dynamodb_endpoint: Option<String>,
    /// Keys from `ZHIYUAN_SESSION_SECRET` (signs sessions) and `ZHIYUAN_PII_SECRET`
    /// (encrypts phones and ID numbers). In the cloud both come from Secrets Manager
    /// (template.yaml); locally `make dev` generates them once into `.data/`.
    pub keys: Keys,
    /// The built SPA the local server serves (`ZHIYUAN_DIST`, default `dist`).
    pub dist_dir: PathBuf,
    /// Where notices go besides the in-app inbox (`ZHIYUAN_NOTICE_SENDER`).
    pub sender: crate::notify::NoticeSender,
}

impl Config {
    /// Reads the environment; fails when a secret is missing or too short, so a
    /// deployment without keys never starts.
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Ok(Self {
            table: var("ZHIYUAN_TABLE").unwrap_or_else(|| "zhiyuan".into()),
            dynamodb_endpoint: var("DYNAMODB_ENDPOINT"),
            keys: Keys::from_secrets(
                &var("ZHIYUAN_SESSION_SECRET").unwrap_or_default(),
                &var("ZHIYUAN_PII_SECRET").unwrap_or_default(),
            )?,
            dist_dir: var("ZHIYUAN_DIST")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("dist")),
            sender: crate::notify::NoticeSender::from_env().map_err(ConfigError::Sender)?,
        })
    }
}
