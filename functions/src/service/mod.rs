//! Use cases: what a request means, independent of HTTP and of DynamoDB's API.

pub mod accounts;
pub mod activities;
pub mod admin;
pub mod attachments;
pub mod certificates;
pub mod cursor;
pub mod needs;
pub mod nominations;
pub mod notices;
pub mod orgs;
pub mod records;
pub mod regions;
pub mod reminders;
pub mod reports;
pub mod stations;
pub mod stats;
pub mod this_week;
pub mod transfers;

/// Ids are ULIDs: anything else cannot name a stored item, so it is a 404 without a read.
pub(crate) fn looks_like_id(id: &str) -> bool {
    id.len() == 26 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}
