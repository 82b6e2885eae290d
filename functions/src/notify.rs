//! Notices leave the app through a sender the deployment configures
//! (`ZHIYUAN_NOTICE_SENDER`). The in-app inbox is always written first, in the store; a
//! sender only relays. Only the log sender exists: it writes one line per notice (user id
//! and kind, no personal data). Text messages do not go through here: a notice whose kind
//! its recipient takes by SMS is queued in the store with it and sent by the SMS
//! dispatcher (`service::sms_notices`), outside the request.

use crate::store::notices::NoticeItem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeSender {
    Log,
}

impl NoticeSender {
    pub fn from_env() -> Result<Self, String> {
        match std::env::var("ZHIYUAN_NOTICE_SENDER").ok().as_deref() {
            None | Some("") | Some("log") => Ok(Self::Log),
            Some(other) => Err(format!(
                "ZHIYUAN_NOTICE_SENDER={other} is not a known sender (known: log)"
            )),
        }
    }

    pub fn send(&self, notices: &[NoticeItem]) {
        match self {
            Self::Log => {
                for n in notices {
                    tracing::info!(user_id = %n.user_id, kind = n.kind.slug(), notice_id = %n.id, "notice relayed");
                }
            }
        }
    }
}
