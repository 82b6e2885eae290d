//! "本周有活动" on the stations map: which stations host a published activity with a shift
//! in the next 7 days.
//!
//! Read from the listing of activities at stations by city and start (GSI4
//! `ACTSTART#<city>`, sorted by each activity's first shift) as the range of the week and
//! the span before it, and the city's longer-running activities (`ACTLONG#<city>`, sorted
//! by when they end) from now: for a province, each of its cities. Every page is read, so
//! no station is missed however many activities the province holds; what is read follows
//! the stations' activities of those days, not the province's listing. Shifts are checked
//! in code.

use crate::error::ApiError;
use crate::store::Store;
use crate::store::activities::city_of;
use std::collections::HashSet;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

/// The window the filter looks ahead.
pub const WEEK_SECONDS: i64 = 7 * 24 * 60 * 60;

/// Ids of the stations in `region` with a published activity that has a shift overlapping
/// `[now, now + 7 days)`.
pub async fn stations_with_activity_this_week(
    store: &Store,
    region: &RegionCode,
    now: i64,
) -> Result<HashSet<String>, ApiError> {
    let until = now + WEEK_SECONDS;
    let prefix = region.prefix();
    // A province reads each of its cities; a city or banner its city (a banner narrowed
    // by its code).
    let (cities, within) = match prefix.len() {
        2 => (super::regions::city_partitions(prefix)?, None),
        _ => (vec![city_of(region).to_string()], Some(prefix)),
    };
    let found = store
        .station_activities_between(
            &cities,
            within.filter(|p| p.len() > 4),
            Timestamp::from_unix(now),
            Timestamp::from_unix(until),
        )
        .await?;
    Ok(found
        .into_iter()
        .filter(|a| {
            a.shifts
                .iter()
                .any(|s| s.starts_at.unix() < until && s.ends_at.unix() > now)
        })
        .filter_map(|a| a.station_id.map(|id| id.to_string()))
        .collect())
}
