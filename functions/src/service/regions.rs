use crate::error::ApiError;
use crate::store::Store;
use zhiyuan_shared::region::Region;

/// Every region, parents before children, then by code.
pub async fn list(store: &Store) -> Result<Vec<Region>, ApiError> {
    let mut regions = store.all_regions().await?;
    regions.sort_by(|a, b| {
        (a.parent_code.is_some(), &a.code).cmp(&(b.parent_code.is_some(), &b.code))
    });
    Ok(regions)
}
