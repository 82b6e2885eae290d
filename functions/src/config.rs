//! Configuration from the environment, read once at start-up.

use crate::crypto::{CryptoError, Keys};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    Sender(String),
    #[error("{0}")]
    Invalid(String),
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
    /// Where text messages go (`ZHIYUAN_SMS_SENDER` and its settings; see `sms`).
    pub sms: crate::sms::SmsSender,
    /// This deployment's name in transfer files (`ZHIYUAN_DEPLOYMENT`, default `local`).
    pub deployment: String,
    /// Public keys of other deployments whose transfer files are imported
    /// (`ZHIYUAN_TRUSTED_TRANSFER_KEYS`, comma-separated, from their `/api/transfers/key`).
    pub trusted_transfer_keys: Vec<String>,
    /// Service hours are rounded down to this many minutes (`ZHIYUAN_HOURS_STEP_MINUTES`:
    /// 15, 30 or 60; default 30, the half hour).
    pub hours_step_minutes: u32,
    /// Where attachments are kept when no bucket is configured (`ZHIYUAN_FILES_DIR`,
    /// default `.data/uploads`). With `ZHIYUAN_FILES_BUCKET` set they go to S3 instead.
    pub files_dir: PathBuf,
    /// The S3 bucket of attachments in the cloud (`ZHIYUAN_FILES_BUCKET`); when set it is
    /// used instead of `files_dir`.
    pub files_bucket: Option<String>,
    /// The Argon2 pool: `ZHIYUAN_PASSWORD_SLOTS` jobs at once (default: one per core) and
    /// `ZHIYUAN_PASSWORD_QUEUE` waiting (default: 32 per slot); see `password_pool`.
    pub password_pool: crate::password_pool::PasswordPool,
}

impl Config {
    /// Whether a transfer file signed by `public_key` may be imported.
    pub fn trusts_transfer_key(&self, public_key: &str) -> bool {
        public_key == self.keys.transfer_public_key()
            || self.trusted_transfer_keys.iter().any(|k| k == public_key)
    }
}

fn hours_step(raw: Option<String>) -> Result<u32, ConfigError> {
    match raw.as_deref() {
        None => Ok(30),
        Some(v) => match v.trim().parse() {
            Ok(n @ (15 | 30 | 60)) => Ok(n),
            _ => Err(ConfigError::Invalid(format!(
                "ZHIYUAN_HOURS_STEP_MINUTES must be 15, 30 or 60, not {v:?}"
            ))),
        },
    }
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
            sms: crate::sms::SmsSender::from_env().map_err(ConfigError::Sender)?,
            deployment: var("ZHIYUAN_DEPLOYMENT").unwrap_or_else(|| "local".into()),
            trusted_transfer_keys: var("ZHIYUAN_TRUSTED_TRANSFER_KEYS")
                .map(|v| {
                    v.split(',')
                        .map(|k| k.trim().to_string())
                        .filter(|k| !k.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            hours_step_minutes: hours_step(var("ZHIYUAN_HOURS_STEP_MINUTES"))?,
            files_dir: var("ZHIYUAN_FILES_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(".data/uploads")),
            files_bucket: var("ZHIYUAN_FILES_BUCKET"),
            password_pool: crate::password_pool::PasswordPool::from_env()
                .map_err(ConfigError::Invalid)?,
        })
    }
}
