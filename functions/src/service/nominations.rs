//! Exemplary selection (选树典型): region admins nominate; anyone reads.

use super::cursor::{next_cursor, parse_limit, resume_from};
use super::looks_like_id;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::nominations::NominationItem;
use zhiyuan_shared::exemplary::{Nomination, NominationInput};
use zhiyuan_shared::query::NominationsQuery;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::stats::parse_year;
use zhiyuan_shared::time::Timestamp;

fn view(n: NominationItem) -> Nomination {
    Nomination {
        id: n.id.into(),
        kind: n.kind,
        name: n.name,
        honour: n.honour,
        region_code: n.region_code.to_string(),
        region_name: n.region_name,
        year: n.year,
        story: n.story,
        nominated_by: n.nominated_by,
        nominated_at: n.nominated_at,
    }
}

/// A region admin nominates inside their region; the nomination is public at once.
pub async fn nominate(
    store: &Store,
    caller: &Caller,
    input: &NominationInput,
    now: Timestamp,
) -> Result<Nomination, ApiError> {
    let current = i32::from(now.cst_date().year);
    let d = input.validate(current)?;
    caller.require_region_admin(&d.region_code)?;
    let regions = store.all_regions().await?;
    let region_name = regions
        .iter()
        .find(|r| r.code == d.region_code)
        .map(|r| r.name.clone())
        .ok_or_else(|| ApiError::invalid("region_code", "is not a known region"))?;
    // The office is named after the admin's own scope that covers the region.
    let office = caller
        .admin_scopes()
        .into_iter()
        .filter(|s| s.covers(&d.region_code))
        .max_by_key(|s| s.prefix().len())
        .and_then(|s| regions.iter().find(|r| r.code == s).map(|r| r.name.clone()))
        .unwrap_or_default();
    let id = crate::ids::NominationId::generate();
    let item = NominationItem {
        id,
        kind: d.kind,
        name: d.name,
        honour: d.honour,
        region_code: d.region_code,
        region_name,
        year: d.year,
        story: d.story,
        nominated_by: format!("{office}文明办"),
        nominated_by_user: caller.id().clone(),
        nominated_at: now.rfc3339_cst(),
    };
    store.put_nomination(&item).await?;
    Ok(view(item))
}

pub async fn get(store: &Store, id: &str) -> Result<Nomination, ApiError> {
    let missing = || ApiError::NotFound(format!("no nomination with id {id}"));
    if !looks_like_id(id) {
        return Err(missing());
    }
    store
        .get_nomination(id)
        .await?
        .map(view)
        .ok_or_else(missing)
}

/// A year's nominations in a region (a city covers its banners), paged.
pub async fn list(
    store: &Store,
    q: &NominationsQuery,
    current_year: i32,
) -> Result<zhiyuan_shared::api::Page<Nomination>, ApiError> {
    let region = RegionCode::parse(q.region.as_deref().unwrap_or("150600"))
        .map_err(|e| ApiError::invalid("region", e.to_string()))?;
    let year = match q.year.as_deref() {
        None => current_year,
        Some(y) => parse_year(y, current_year)?,
    };
    let limit = parse_limit(q.limit.as_deref())?.get();
    let scope = format!("{region}/{year}");
    let resume = resume_from(q.cursor.as_deref(), "nominations", &scope)?;
    let (items, next) = store
        .nominations_page(region.province(), year, region.prefix(), resume, limit)
        .await?;
    Ok(zhiyuan_shared::api::Page {
        items: items.into_iter().map(view).collect(),
        next_cursor: next_cursor(next, "nominations", scope)?,
    })
}
