use crate::error::ApiError;
use crate::store::Store;
use crate::store::activities::city_of;
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

/// The listing partitions that together hold a province's activities: its leagues' and
/// cities' four-digit codes from the region data the product ships (and seeds the table
/// with), and its own two digits for activities placed at the province level.
pub fn city_partitions(province: &str) -> Result<Vec<String>, ApiError> {
    // Every region's city (a banner's too, should its city be missing from the data).
    static CITIES: std::sync::OnceLock<Result<Vec<String>, String>> = std::sync::OnceLock::new();
    let cities = CITIES.get_or_init(|| {
        let regions = crate::seed::regions().map_err(|e| e.to_string())?;
        let mut cities: Vec<String> = regions
            .iter()
            .map(|r| city_of(&r.code).to_string())
            .collect();
        cities.sort();
        cities.dedup();
        Ok(cities)
    });
    let cities = cities.as_ref().map_err(|e| ApiError::Internal(e.clone()))?;
    let mut out: Vec<String> = cities
        .iter()
        .filter(|c| c.starts_with(province))
        .cloned()
        .collect();
    if !out.iter().any(|c| c == province) {
        out.push(province.to_string());
    }
    Ok(out)
}
