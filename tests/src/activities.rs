//! Activities built directly as store items, for loading many at once.

use zhiyuan_functions::ids::{ActivityId, OrgId, UserId};
use zhiyuan_functions::store::activities::{ActivityItem, ShiftInfo, ShiftItem};
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::activity::{ActivityStatus, ServiceTarget};
use zhiyuan_shared::geo::LatLng;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

/// A published activity of one three-hour shift starting at `starts` (unix seconds), as the
/// store's bulk loader takes it: for benchmarks and tests that need many activities.
pub fn listed_activity(
    org: &OrgId,
    by: &UserId,
    region: &str,
    at: LatLng,
    starts: i64,
) -> (ActivityItem, Vec<ShiftItem>) {
    let id = ActivityId::generate();
    let info = ShiftInfo {
        n: 1,
        starts_at: Timestamp::from_unix(starts),
        ends_at: Timestamp::from_unix(starts + 3 * 3600),
        capacity: 20,
        counters: 0,
    };
    let shift = ShiftItem::new(&id, &info);
    let item = ActivityItem {
        id,
        org_id: org.clone(),
        org_name: "东胜区志愿者协会".into(),
        title: "社区敬老助餐".into(),
        description: "为社区老人送餐、陪伴聊天。".into(),
        service_field: ServiceField::ElderlyCare,
        service_targets: vec![ServiceTarget::EmptyNestElderly],
        station_id: None,
        station_name: None,
        address: "天骄路 1 号".into(),
        at,
        region_code: RegionCode::parse(region).expect("region code"),
        deadline: info.starts_at,
        min_age: 14,
        skills: Vec::new(),
        requirements: String::new(),
        is_training: false,
        checkin_radius_m: None,
        status: ActivityStatus::Published,
        cancel_reason: None,
        cancelled_at: None,
        shifts: vec![info.clone()],
        first_start: info.starts_at,
        until: info.ends_at,
        created_by: by.clone(),
        created_at: "2026-01-01T00:00:00+08:00".into(),
        version: 0,
        series: None,
    };
    (item, vec![shift])
}
