//! The in-app inbox: notices are items in the user's partition, newest first; those newer
//! than the last one the user saw are unread.

use super::cursor::{next_cursor, parse_limit, resume_from};
use super::nonblank;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::{NoticeId, UserId};
use crate::store::Store;
use crate::store::notices::NoticeItem;
use sha2::{Digest, Sha256};
use zhiyuan_shared::notice::{Notice, NoticeKind, Notices};
use zhiyuan_shared::query::PageQuery;

/// Unread notices are counted up to this many ("99+").
const UNREAD_CAP: usize = 99;

/// A notice id fixed by what it is about, so writing it twice leaves one notice: a ULID
/// whose time is `at_ms` and whose random part is a hash of `about`.
pub fn fixed_notice_id(at_ms: u64, about: &str) -> NoticeId {
    let digest = Sha256::digest(about.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    NoticeId::trusted(ulid::Ulid::from_parts(at_ms, u128::from_be_bytes(bytes)).to_string())
}

pub fn notice(
    user_id: &UserId,
    id: NoticeId,
    kind: NoticeKind,
    subject: &str,
    link: String,
    starts_at: Option<String>,
    reason: Option<String>,
) -> NoticeItem {
    NoticeItem {
        id,
        user_id: user_id.clone(),
        kind,
        subject: subject.to_string(),
        link,
        starts_at,
        reason,
        created_at: crate::clock::now_rfc3339(),
    }
}

pub async fn list(store: &Store, caller: &Caller, q: &PageQuery) -> Result<Notices, ApiError> {
    let limit = parse_limit(nonblank(&q.limit))?;
    let resume = resume_from(nonblank(&q.cursor), "notices", caller.id())?;
    let seen = caller.user.notices_seen.as_deref();
    let ((items, next), unread) = tokio::try_join!(
        store.notices_page(caller.id(), resume, limit.get()),
        store.unread_notices(caller.id(), seen, UNREAD_CAP),
    )?;
    Ok(Notices {
        items: items.into_iter().map(|n| view(n, seen)).collect(),
        next_cursor: next_cursor(next, "notices", caller.id().to_string())?,
        unread: unread as u32,
    })
}

/// A notice as its owner sees it: unread when newer than the last one they saw.
pub(crate) fn view(n: NoticeItem, seen: Option<&str>) -> Notice {
    Notice {
        unread: seen.is_none_or(|s| n.id.as_str() > s),
        id: n.id.into(),
        kind: n.kind,
        subject: n.subject,
        link: n.link,
        starts_at: n.starts_at,
        reason: n.reason,
        created_at: n.created_at,
    }
}

/// Marks everything in the inbox as read.
pub async fn mark_read(store: &Store, caller: &Caller) -> Result<(), ApiError> {
    let (newest, _) = store.notices_page(caller.id(), None, 1).await?;
    if let Some(n) = newest.first() {
        store.mark_notices_seen(caller.id(), &n.id).await?;
    }
    Ok(())
}

/// Writes notices to the inbox and queues the SMS their recipients take (see
/// `sms_notices`), then relays them through the deployment's notice sender. Writing
/// again (fixed ids) leaves one notice and one SMS.
pub async fn publish(
    store: &Store,
    sender: crate::notify::NoticeSender,
    items: &[NoticeItem],
) -> Result<(), ApiError> {
    store.put_notices(items).await?;
    let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
    super::sms_notices::enqueue(store, items, now).await?;
    sender.send(items);
    Ok(())
}

/// [`publish`], best effort after the change the notices report has committed: a failure
/// is logged, never undoes the change.
pub async fn deliver(store: &Store, sender: crate::notify::NoticeSender, items: &[NoticeItem]) {
    if let Err(e) = publish(store, sender, items).await {
        tracing::warn!(error = %e, "notices not written");
    }
}
