//! Configuration from the environment, read once at start-up.

use crate::crypto::{CryptoError, Keys, PiiKeySet};
use crate::secrets::{self, SecretSource, Secrets};
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
    /// Keys from the session secret (signs sessions) and the personal-data key set
    /// (encrypts phones and ID numbers), read through `secrets`: from Secrets Manager in
    /// the cloud (template.yaml), from the environment locally (`make dev` generates them
    /// once into `.data/`).
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

/// A variable of the environment; blank counts as unset.
fn env_var(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.trim().is_empty())
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

/// Whether a process must hold the session secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSecret {
    /// The API functions and the local server: they sign and check tokens.
    Required,
    /// The scheduled function and operator commands: used if given, never needed.
    Optional,
}

impl Config {
    /// Reads the secrets through the adapter the environment chooses (see `secrets`),
    /// once, then the rest of the environment; fails when a secret is missing or too
    /// short, so a deployment without keys never starts.
    pub async fn load(session: SessionSecret) -> Result<Self, ConfigError> {
        let secrets = SecretSource::from_env()
            .await
            .load()
            .await
            .map_err(ConfigError::Invalid)?;
        Self::from_env_and(&secrets, session)
    }

    /// The table's name (`ZHIYUAN_TABLE`, default `zhiyuan`): known before the secrets,
    /// so a cold start can open the table's connection while they are read.
    pub fn table_from_env() -> String {
        env_var("ZHIYUAN_TABLE").unwrap_or_else(|| "zhiyuan".into())
    }

    /// The DynamoDB endpoint override (`DYNAMODB_ENDPOINT`), set only for DynamoDB Local.
    pub fn dynamodb_endpoint_from_env() -> Option<String> {
        env_var("DYNAMODB_ENDPOINT")
    }

    /// The configuration from the environment and secrets already read.
    pub fn from_env_and(secrets: &Secrets, session: SessionSecret) -> Result<Self, ConfigError> {
        let var = env_var;
        let session_secret = secrets.get(secrets::SESSION);
        if session == SessionSecret::Required && session_secret.is_none() {
            return Err(CryptoError::WeakSecret(secrets::SESSION).into());
        }
        let pii = PiiKeySet::parse(secrets.get(secrets::PII).unwrap_or_default())?;
        Ok(Self {
            table: Self::table_from_env(),
            dynamodb_endpoint: Self::dynamodb_endpoint_from_env(),
            keys: Keys::new(session_secret, &pii)?,
            dist_dir: var("ZHIYUAN_DIST")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("dist")),
            sender: crate::notify::NoticeSender::from_env().map_err(ConfigError::Sender)?,
            // The provider's credentials are secrets; its other settings are plain.
            sms: crate::sms::SmsSender::from_vars(|k| match k {
                secrets::TENCENT_ID | secrets::TENCENT_KEY => secrets.get(k).map(str::to_string),
                _ => std::env::var(k).ok(),
            })
            .map_err(ConfigError::Sender)?,
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
