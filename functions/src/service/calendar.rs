//! The private calendar feed (订阅我的日历): a revocable address whose token is the only
//! credential, serving the volunteer's confirmed shifts as iCalendar, with the shifts they
//! withdrew from and those of cancelled activities marked cancelled so a subscribed phone
//! calendar removes them.
//!
//! The token (256 random bits, base64url) is never stored: the store keeps its SHA-256,
//! so a copy of the table cannot be turned into working feed addresses.

use super::MAX_ATTEMPTS;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ics::{self, Event};
use crate::ids::ActivityId;
use crate::store::calendar::{FeedRefused, GONE_KEPT_SECS};
use crate::store::signups::MyShiftItem;
use crate::store::{Store, StoreError, TxError, backoff};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};
use zhiyuan_shared::calendar::CalendarFeed;
use zhiyuan_shared::time::Timestamp;

/// Random octets in a feed token: 256 bits.
const TOKEN_OCTETS: usize = 32;
/// The shifts a feed holds: from half a year back (a calendar drops events that leave
/// the feed) to every later one, at most this many.
const MOST_EVENTS: usize = 1000;

/// Where feeds live; the rest of the path is the token.
pub const FEED_PREFIX: &str = "/api/calendar/";

/// The path of a feed, without the origin.
pub fn feed_path(token: &str) -> String {
    format!("{FEED_PREFIX}{token}.ics")
}

fn hash(token: &str) -> String {
    B64.encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut raw = [0u8; TOKEN_OCTETS];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    B64.encode(raw)
}

/// Makes a new feed address for the caller; the previous one stops working in the same
/// write.
pub async fn new_feed(
    store: &Store,
    caller: &Caller,
    origin: &str,
    now_rfc3339: String,
) -> Result<CalendarFeed, ApiError> {
    let me = caller.id();
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
        }
        let old = store.calendar_feed_of(me).await?;
        let token = new_token();
        match store
            .replace_calendar_feed(
                me,
                &hash(&token),
                old.as_ref().map(|f| f.hash.as_str()),
                now_rfc3339.clone(),
            )
            .await
        {
            Ok(()) => {
                let path = feed_path(&token);
                return Ok(CalendarFeed {
                    url: format!("{origin}{path}"),
                    path,
                });
            }
            // Another new feed was made at the same moment: read it and replace it too.
            Err(
                TxError::Refused(FeedRefused::Changed)
                | TxError::Store(StoreError::TransactionConflict),
            ) => continue,
            Err(TxError::Store(e)) => return Err(e.into()),
        }
    }
    Err(ApiError::Busy)
}

fn not_found() -> ApiError {
    ApiError::NotFound("no such calendar feed".into())
}

/// The token in a feed's last path segment (`<token>.ics`), if it can be one at all.
fn token_of(segment: &str) -> Option<&str> {
    let token = segment.strip_suffix(".ics")?;
    (token.len() == B64.encode([0u8; TOKEN_OCTETS]).len()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(token)
}

/// The feed `segment` (`<token>.ics`) names, as iCalendar text; 404 for a revoked or
/// unknown token.
pub async fn feed(
    store: &Store,
    segment: &str,
    origin: &str,
    now: Timestamp,
) -> Result<String, ApiError> {
    let token = token_of(segment).ok_or_else(not_found)?;
    let user = store
        .user_by_feed_hash(&hash(token))
        .await?
        .ok_or_else(not_found)?;
    // A feed outlives nothing: once its account is gone or closed, so is the feed (the
    // closing deletes it too; this holds should a lookup outlive it).
    if store
        .get_user(&user)
        .await?
        .is_none_or(|u| u.closed_at.is_some())
    {
        return Err(not_found());
    }
    let from = now.plus(-GONE_KEPT_SECS);
    // Every later shift: the keys hold eleven digits of seconds.
    let to = Timestamp::from_unix(99_999_999_999);
    let mut shifts: Vec<MyShiftItem> = Vec::new();
    let mut resume = None;
    loop {
        let (page, next) = store
            .my_shifts_between(&user, from, to, resume, 100)
            .await?;
        shifts.extend(page);
        match next {
            Some(n) if shifts.len() < MOST_EVENTS => resume = Some(n),
            _ => break,
        }
    }
    let gone = store.calendar_gone_between(&user, from, to).await?;
    let ids: BTreeSet<ActivityId> = shifts
        .iter()
        .map(|s| s.activity_id.clone())
        .chain(gone.iter().map(|g| g.activity_id.clone()))
        .collect();
    let ids: Vec<ActivityId> = ids.into_iter().collect();
    let orgs: BTreeMap<String, String> = store
        .activities_by_id(&ids)
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), a.org_name))
        .collect();
    let event = |activity_id: &str,
                 shift_id: &str,
                 title: &str,
                 address: &str,
                 (starts_at, ends_at): (Timestamp, Timestamp),
                 cancelled: bool| {
        let url = format!("{origin}/activities/{activity_id}");
        let org = orgs.get(activity_id).map(String::as_str).unwrap_or("");
        Event {
            uid: format!("{shift_id}.{user}@zhiyuan"),
            starts_at,
            ends_at,
            summary: title.to_string(),
            location: address.to_string(),
            description: format!("主办 Organiser：{org}\n{url}"),
            url,
            cancelled,
        }
    };
    let mut events = Vec::new();
    let mut live = BTreeSet::new();
    for s in shifts
        .iter()
        .filter(|s| s.status == SignupStatus::Confirmed)
    {
        live.insert(s.shift_id.clone());
        events.push(event(
            &s.activity_id,
            &s.shift_id,
            &s.title,
            &s.address,
            (s.starts_at, s.ends_at),
            s.activity_status == ActivityStatus::Cancelled,
        ));
    }
    // A withdrawn sign-up made again since is shown by its live mirror above.
    for g in gone.iter().filter(|g| !live.contains(&g.shift_id)) {
        events.push(event(
            &g.activity_id,
            &g.shift_id,
            &g.title,
            &g.address,
            (g.starts_at, g.ends_at),
            true,
        ));
    }
    events.sort_by_key(|e| e.starts_at.unix());
    Ok(ics::calendar("志愿服务 · 我的班次", &events, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_has_256_bits_in_url_safe_characters_and_is_recognised() {
        let t = new_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, new_token());
        assert_eq!(token_of(&format!("{t}.ics")), Some(t.as_str()));
    }

    #[test]
    fn anything_else_in_the_feed_segment_is_no_token() {
        let t = new_token();
        assert_eq!(token_of(&t), None);
        assert_eq!(token_of(&format!("{}.ics", &t[1..])), None);
        assert_eq!(token_of(&format!("{}+.ics", &t[1..])), None);
    }

    #[test]
    fn the_stored_hash_is_not_the_token() {
        let t = new_token();
        assert_ne!(hash(&t), t);
        assert_eq!(hash(&t), hash(&t));
    }
}
