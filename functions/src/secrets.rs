//! Where a process gets its secrets, read once at cold start and kept for the life of the
//! process (the configuration holds them). One interface, two adapters, as `sms` has:
//!
//! - `SecretsManager` (the cloud): each secret's ARN is in the environment
//!   (`ZHIYUAN_SESSION_SECRET_ARN`, `ZHIYUAN_PII_SECRET_ARN`,
//!   `ZHIYUAN_SMS_TENCENT_SECRET_ARN`), and the value is fetched with
//!   `secretsmanager:GetSecretValue`, which each function's role grants only for the
//!   secrets it is given. The secret values never sit in the function's environment.
//! - `Env` (the local stack and the tests): the values themselves in
//!   `ZHIYUAN_SESSION_SECRET`, `ZHIYUAN_PII_SECRET` and `ZHIYUAN_SMS_TENCENT_SECRET_ID` /
//!   `_KEY`; `make dev` generates the first two once into `.data/secrets.env`.
//!
//! Whichever adapter, the result is the same [`Secrets`]; a secret a process was not
//! given is `None` (the scheduled function has no session secret).

use std::collections::HashMap;

pub const SESSION: &str = "ZHIYUAN_SESSION_SECRET";
pub const PII: &str = "ZHIYUAN_PII_SECRET";
pub const TENCENT_ID: &str = "ZHIYUAN_SMS_TENCENT_SECRET_ID";
pub const TENCENT_KEY: &str = "ZHIYUAN_SMS_TENCENT_SECRET_KEY";
/// The environment variable naming the Tencent credentials' secret (JSON
/// `{"SecretId": "…", "SecretKey": "…"}`).
pub const TENCENT_ARN: &str = "ZHIYUAN_SMS_TENCENT_SECRET_ARN";

/// The secrets a process was given, by the names above. `Debug` shows only the names.
#[derive(Clone, Default)]
pub struct Secrets {
    values: HashMap<&'static str, String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<_> = self.values.keys().collect();
        names.sort();
        write!(f, "Secrets({names:?})")
    }
}

impl Secrets {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

#[derive(Debug, Clone)]
pub enum SecretSource {
    /// Values straight from the environment.
    Env,
    /// AWS Secrets Manager, by the ARNs in the environment.
    SecretsManager(aws_sdk_secretsmanager::Client),
}

/// Whether the environment names any secret by ARN (then every secret comes from Secrets
/// Manager and plain values in the environment are ignored).
fn uses_secrets_manager(var: &impl Fn(&str) -> Option<String>) -> bool {
    [SESSION, PII]
        .iter()
        .map(|n| format!("{n}_ARN"))
        .chain([TENCENT_ARN.to_string()])
        .any(|k| var(&k).is_some())
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl SecretSource {
    /// The adapter the environment asks for.
    pub async fn from_env() -> Self {
        let var = |k: &str| non_empty(std::env::var(k).ok());
        if uses_secrets_manager(&var) {
            Self::SecretsManager(aws_sdk_secretsmanager::Client::new(
                crate::aws::shared_config().await,
            ))
        } else {
            Self::Env
        }
    }

    /// Reads every secret the environment names, all at once.
    pub async fn load(&self) -> Result<Secrets, String> {
        self.load_with(|k| non_empty(std::env::var(k).ok())).await
    }

    /// [`SecretSource::load`] with the environment given by `var` (for tests).
    pub async fn load_with(&self, var: impl Fn(&str) -> Option<String>) -> Result<Secrets, String> {
        let mut values = HashMap::new();
        match self {
            Self::Env => {
                for name in [SESSION, PII, TENCENT_ID, TENCENT_KEY] {
                    if let Some(v) = var(name) {
                        values.insert(name, v);
                    }
                }
            }
            Self::SecretsManager(client) => {
                let session_arn = var(&format!("{SESSION}_ARN"));
                let pii_arn = var(&format!("{PII}_ARN"));
                let tencent_arn = var(TENCENT_ARN);
                // Fetched concurrently: each is a round trip on the cold start.
                let (session, pii, tencent) = tokio::join!(
                    fetch(client, session_arn.as_deref()),
                    fetch(client, pii_arn.as_deref()),
                    fetch(client, tencent_arn.as_deref()),
                );
                if let Some(v) = session? {
                    values.insert(SESSION, v);
                }
                if let Some(v) = pii? {
                    values.insert(PII, v);
                }
                if let Some(v) = tencent? {
                    let (id, key) = tencent_credentials(&v)?;
                    values.insert(TENCENT_ID, id);
                    values.insert(TENCENT_KEY, key);
                }
            }
        }
        Ok(Secrets { values })
    }
}

async fn fetch(
    client: &aws_sdk_secretsmanager::Client,
    arn: Option<&str>,
) -> Result<Option<String>, String> {
    let Some(arn) = arn else { return Ok(None) };
    let out = client
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .map_err(|e| {
            format!(
                "reading secret {arn}: {}",
                aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
            )
        })?;
    out.secret_string()
        .map(|s| Some(s.to_string()))
        .ok_or_else(|| format!("secret {arn} has no string value"))
}

/// The Tencent Cloud API credentials from their secret's JSON.
fn tencent_credentials(raw: &str) -> Result<(String, String), String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Creds {
        secret_id: String,
        secret_key: String,
    }
    let c: Creds = serde_json::from_str(raw).map_err(|_| {
        "the Tencent SMS secret must be JSON {\"SecretId\": \"…\", \"SecretKey\": \"…\"}"
            .to_string()
    })?;
    Ok((c.secret_id, c.secret_key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[tokio::test]
    async fn the_env_adapter_reads_only_what_is_set() {
        let s = SecretSource::Env
            .load_with(env(&[(PII, "p"), ("OTHER", "x")]))
            .await
            .expect("loads");
        assert_eq!(s.get(PII), Some("p"));
        assert_eq!(s.get(SESSION), None);
        assert_eq!(format!("{s:?}"), "Secrets([\"ZHIYUAN_PII_SECRET\"])");
    }

    #[test]
    fn any_arn_in_the_environment_chooses_secrets_manager() {
        assert!(!uses_secrets_manager(&env(&[(SESSION, "s")])));
        assert!(uses_secrets_manager(&env(&[(
            "ZHIYUAN_PII_SECRET_ARN",
            "arn:aws:secretsmanager:x"
        )])));
        assert!(uses_secrets_manager(&env(&[(TENCENT_ARN, "arn")])));
    }

    #[test]
    fn tencent_credentials_come_from_their_json() {
        assert_eq!(
            tencent_credentials(r#"{"SecretId":"AKID1","SecretKey":"k"}"#).expect("parses"),
            ("AKID1".to_string(), "k".to_string())
        );
        let err = tencent_credentials("AKID1:k").expect_err("not JSON");
        assert!(!err.contains("AKID1"), "the error never echoes the secret");
    }
}
