//! "本周有活动" on the stations map: which stations host a published activity with a shift
//! in the next 7 days.
//!
//! Read from the region's own upcoming-activity listing (GSI4 `ACTREG#<city or banner>`,
//! or `ACTPROV#<province>` for a whole province, sorted by when each activity ends) as a
//! range starting now, filtered on the server to published activities whose first shift
//! starts within the week: a bounded number of Queries, never a Scan, and a city's answer
//! never reads the rest of the province.

use crate::error::ApiError;
use crate::store::Store;
use crate::store::activities::{ListFilter, ListScope};
use std::collections::HashSet;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

/// The window the filter looks ahead.
pub const WEEK_SECONDS: i64 = 7 * 24 * 60 * 60;
/// Listing entries asked for per Query round.
const PAGE: usize = 100;
/// Pages read at most. Each page reads at most a few hundred entries (the store's rounds),
/// so this bounds the work per request even in a province with many long-running
/// activities; beyond it the answer covers the activities ending soonest, and says so in the log.
const MAX_PAGES: usize = 10;

/// Ids of the stations in `region` with a published activity that has a shift overlapping
/// `[now, now + 7 days)`.
pub async fn stations_with_activity_this_week(
    store: &Store,
    region: &RegionCode,
    now: i64,
) -> Result<HashSet<String>, ApiError> {
    let until = now + WEEK_SECONDS;
    let mut stations = HashSet::new();
    let mut resume = None;
    for _ in 0..MAX_PAGES {
        let filter = ListFilter {
            published_only: true,
            starts_before: Some(until),
            ..ListFilter::default()
        };
        let prefix = region.prefix();
        let scope = match prefix.len() {
            2 => ListScope::Province(prefix),
            _ => ListScope::Region(prefix),
        };
        let (items, next) = store
            .activities_page(scope, Timestamp::from_unix(now), filter, resume, PAGE)
            .await?;
        for a in items {
            let this_week = a
                .shifts
                .iter()
                .any(|s| s.starts_at.unix() < until && s.ends_at.unix() > now);
            if let (true, Some(id)) = (this_week, a.station_id) {
                stations.insert(id.to_string());
            }
        }
        match next {
            Some(key) => resume = Some(key),
            None => return Ok(stations),
        }
    }
    tracing::warn!(
        region = region.prefix(),
        "this-week filter stopped at its read bound"
    );
    Ok(stations)
}
