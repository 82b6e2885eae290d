//! Use cases: what a request means, independent of HTTP and of DynamoDB's API.

pub mod accounts;
pub mod activities;
pub mod activity_edits;
pub mod admin;
pub mod appeals;
pub mod assisted;
pub mod attachments;
pub mod audit;
pub mod backfills;
pub mod calendar;
pub mod certificates;
pub mod codes;
pub mod cursor;
pub mod guardian;
pub mod my_account;
pub mod need_dispatch;
pub mod need_ratings;
pub mod needs;
pub mod nominations;
pub mod notices;
pub mod orgs;
pub mod pii_rotation;
pub mod records;
pub mod regions;
pub mod reminders;
pub mod reports;
pub mod scheduled;
pub mod series;
pub mod signups;
pub mod sms_notices;
pub mod stations;
pub mod stats;
pub mod this_week;
pub mod transfers;

/// How often a conditional write (a sign-up, a record or need change) re-reads and tries
/// again after losing a race, before answering 503 `busy`.
pub(crate) const MAX_ATTEMPTS: u32 = 8;

/// Ids are ULIDs: anything else cannot name a stored item, so it is a 404 without a read.
pub(crate) fn looks_like_id(id: &str) -> bool {
    crate::ids::is_ulid(id)
}

/// A query parameter's value with blanks trimmed, absent when empty: most lists treat
/// `?region=` like no region at all.
pub(crate) fn nonblank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}
