//! Text messages to phones (verification codes and notices), through the provider the
//! deployment configures with `ZHIYUAN_SMS_SENDER`:
//!
//! - `outbox` (the default, and the local stack's): each message is appended as one JSON
//!   line `{"to", "text", "kind", "at"}` to a file (`ZHIYUAN_SMS_OUTBOX`, default
//!   `.data/outbox/sms.jsonl`), which tests and demos read codes from. There is no local
//!   engine for SMS, so this adapter stands behind the same interface as the real ones.
//!
//! Whatever the provider, the log gets one line per message with its kind and the masked
//! number, never the text: a verification code must not reach a log.

use serde::Serialize;
use std::path::PathBuf;
use zhiyuan_shared::identity::Phone;

/// One message to one phone.
pub struct SmsMessage {
    pub to: Phone,
    /// The whole text as the phone shows it (a template filled in).
    pub text: String,
    /// What the message is for, e.g. `code_register` or a notice kind's slug.
    pub kind: String,
}

// The text may hold a code: Debug shows only the kind and the masked number.
impl std::fmt::Debug for SmsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmsMessage({} to {})", self.kind, self.to.masked())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The provider could not be reached or refused for now: worth retrying.
    #[error("sms provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused this message for good (bad number, template not approved).
    #[error("sms refused: {0}")]
    Refused(String),
}

#[derive(Debug, Clone)]
pub enum SmsSender {
    /// Appends to a local JSON-lines file.
    Outbox { path: PathBuf },
}

/// One outbox line.
#[derive(Serialize)]
struct OutboxLine<'a> {
    to: &'a str,
    text: &'a str,
    kind: &'a str,
    /// RFC 3339, Beijing time.
    at: String,
}

impl SmsSender {
    pub fn from_env() -> Result<Self, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        match var("ZHIYUAN_SMS_SENDER").as_deref() {
            None | Some("outbox") => Ok(Self::Outbox {
                path: var("ZHIYUAN_SMS_OUTBOX")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from(".data/outbox/sms.jsonl")),
            }),
            Some(other) => Err(format!(
                "ZHIYUAN_SMS_SENDER={other} is not a known sender (known: outbox)"
            )),
        }
    }

    /// Sends one message. Returns once the provider has taken it.
    pub async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        match self {
            Self::Outbox { path } => {
                let line = OutboxLine {
                    to: msg.to.expose(),
                    text: &msg.text,
                    kind: &msg.kind,
                    at: crate::clock::now_rfc3339(),
                };
                let mut bytes =
                    serde_json::to_vec(&line).map_err(|e| SmsError::Refused(e.to_string()))?;
                bytes.push(b'\n');
                append(path.clone(), bytes)
                    .await
                    .map_err(|e| SmsError::Unavailable(e.to_string()))?;
            }
        }
        tracing::info!(kind = %msg.kind, to = %msg.to.masked(), "sms sent");
        Ok(())
    }
}

/// One `write` of a whole line to a file opened for appending: concurrent senders in one
/// or several processes never interleave their lines.
async fn append(path: PathBuf, bytes: Vec<u8>) -> std::io::Result<()> {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        f.write_all(&bytes)
    })
    .await
    .map_err(std::io::Error::other)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_gets_one_json_line_per_message() {
        let dir = std::env::temp_dir().join(format!("zhiyuan-sms-{}", ulid::Ulid::new()));
        let path = dir.join("sms.jsonl");
        let sender = SmsSender::Outbox { path: path.clone() };
        for text in ["第一条", "第二条"] {
            let msg = SmsMessage {
                to: Phone::parse("13900000001").expect("a phone"),
                text: text.into(),
                kind: "test".into(),
            };
            sender.send(&msg).await.expect("sent");
        }
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
            .expect("the outbox exists")
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["to"], "13900000001");
        assert_eq!(lines[1]["text"], "第二条");
        assert_eq!(lines[1]["kind"], "test");
        assert!(lines[1]["at"].as_str().expect("at").ends_with("+08:00"));
        std::fs::remove_dir_all(dir).expect("cleaned up");
    }
}
