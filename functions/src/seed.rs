//! Reference data (regions) and the local stack's demo data (stations, accounts and their
//! history; see `seed/`). Demo data is written once into an empty local table by
//! `zhiyuan-admin init-local`, never in the cloud.

mod demo;
mod stations;

pub use demo::{DEMO_ACCOUNTS, DEMO_ORG_NAME, DEMO_PASSWORD};
pub use stations::{demo_stations, put_stations, synthetic_stations};

use crate::crypto::Keys;
use crate::error::ApiError;
use crate::store::{Store, StoreError};
use zhiyuan_shared::region::{Region, RegionCode};

const REGIONS_JSON: &str = include_str!("../data/regions.json");

/// The regions shipped with the product: Inner Mongolia, its twelve leagues and cities,
/// and Ordos's nine banners and districts (2020 census populations).
pub fn regions() -> Result<Vec<Region>, serde_json::Error> {
    serde_json::from_str(REGIONS_JSON)
}

/// Banners and districts of a city, from the region data.
pub(crate) fn children<'a>(regions: &'a [Region], parent: &str) -> Vec<&'a Region> {
    regions
        .iter()
        .filter(|r| r.parent_code.as_ref().is_some_and(|p| p.as_str() == parent))
        .collect()
}

/// What `init-local` did.
#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded { stations: usize, accounts: usize },
    AlreadySeeded,
}

/// Creates the table if absent and writes regions, demo stations and demo accounts once.
pub async fn init_local(store: &Store, keys: &Keys) -> Result<SeedOutcome, ApiError> {
    let table = store.table_name();
    if !crate::store::table::create_if_absent(store.client(), table).await?
        && crate::store::table::recreate_if_changed(store.client(), table).await?
    {
        // Printed, not logged: the operator running `make dev` should see it.
        eprintln!("the local table had an older layout; it was recreated empty and is re-seeded");
    }
    if store.seed_marker_exists().await? {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let regions = regions().map_err(|e| StoreError::Decode(e.to_string()))?;
    store.put_regions(&regions).await?;
    let ordos = RegionCode::parse("150600").map_err(|e| StoreError::Decode(e.to_string()))?;
    let stations = demo_stations(&regions, ordos.as_str(), 200, 2026);
    put_stations(store, &stations).await?;
    let accounts = demo::demo_accounts(store, keys, &stations).await?;
    demo::demo_residents(store, keys, &regions, ordos.as_str()).await?;
    store.put_seed_marker(&crate::clock::now_rfc3339()).await?;
    Ok(SeedOutcome::Seeded {
        stations: stations.len(),
        accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhiyuan_shared::station::StationType;

    #[test]
    fn the_region_data_has_ordos_and_its_nine_banners_and_twelve_leagues() {
        let regions = regions().expect("regions.json parses");
        assert_eq!(children(&regions, "150000").len(), 12);
        let banners = children(&regions, "150600");
        assert_eq!(banners.len(), 9);
        let ordos = regions
            .iter()
            .find(|r| r.code.as_str() == "150600")
            .expect("Ordos");
        assert_eq!(
            banners.iter().map(|b| b.population).sum::<u64>(),
            ordos.population
        );
    }

    #[test]
    fn demo_stations_cover_every_banner_and_every_type() {
        let regions = regions().expect("regions.json parses");
        let stations = demo_stations(&regions, "150600", 200, 2026);
        assert!((190..=200).contains(&stations.len()), "{}", stations.len());
        for banner in children(&regions, "150600") {
            assert!(
                stations
                    .iter()
                    .filter(|(_, s)| s.region_code == banner.code)
                    .count()
                    >= 9,
                "{}",
                banner.name
            );
        }
        for t in StationType::ALL {
            assert!(
                stations.iter().any(|(_, s)| s.station_type == t),
                "{t:?} missing"
            );
        }
        let complete = stations
            .iter()
            .filter(|(_, s)| s.five_have.complete())
            .count();
        assert!(complete > 40 && complete < 140, "{complete} 五有达标");
        assert!(stations.iter().any(|(_, s)| s.demonstration));
    }
}
