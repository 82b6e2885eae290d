use crate::error::ApiError;
use crate::store::Store;
use zhiyuan_shared::region::{Region, RegionCode};

/// Every region, parents before children, then by code.
pub async fn list(store: &Store) -> Result<Vec<Region>, ApiError> {
    let mut regions = store.all_regions().await?;
    regions.sort_by(|a, b| {
        (a.parent_code.is_some(), &a.code).cmp(&(b.parent_code.is_some(), &b.code))
    });
    Ok(regions)
}

/// A well-formed code is not enough: stations, volunteers and organisations must sit in a
/// region the deployment knows.
pub async fn ensure_known_region(store: &Store, code: &RegionCode) -> Result<(), ApiError> {
    if store.all_regions().await?.iter().any(|r| &r.code == code) {
        Ok(())
    } else {
        Err(ApiError::invalid("region_code", "is not a known region"))
    }
}
