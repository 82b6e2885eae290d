//! Nomination access patterns (选树典型, SPEC §12).
//!
//! | pattern | operation |
//! |---|---|
//! | `put_nomination` | PutItem `NOM#id / NOM`, `attribute_not_exists(PK)` |
//! | `get_nomination` | GetItem `NOM#id / NOM` |
//! | `nominations_page` | Query GSI4 `NOMS#province`, `begins_with(GSI4SK, "year#region-prefix")`, newest first |

use super::keys::{self, GSI4PK, GSI4SK};
use super::{Index, ItemKeys, QuerySpec, ResumeKey, SortKey, Store, StoreError, keyed_item};
use crate::ids::{NominationId, UserId};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::exemplary::NomineeKind;
use zhiyuan_shared::region::RegionCode;

const ENTITY: &str = "nomination";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NominationItem {
    pub id: NominationId,
    pub kind: NomineeKind,
    pub name: String,
    pub honour: String,
    pub region_code: RegionCode,
    pub region_name: String,
    pub year: i32,
    pub story: String,
    pub nominated_by: String,
    pub nominated_by_user: UserId,
    pub nominated_at: String,
}

impl NominationItem {
    /// The nomination, on GSI4 by province, then year and region.
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(keys::nomination_pk(&self.id), keys::NOMINATION_SK, ENTITY).indexed(
            (GSI4PK, keys::nominations_pk(self.region_code.province())),
            (
                GSI4SK,
                keys::nominations_sk(self.year, self.region_code.as_str(), &self.id),
            ),
        )
    }
}

impl Store {
    pub async fn put_nomination(&self, item: &NominationItem) -> Result<(), StoreError> {
        self.put_one(
            keyed_item(item, item.keys())?,
            Some("attribute_not_exists(PK)"),
        )
        .await
    }

    pub async fn get_nomination(&self, id: &str) -> Result<Option<NominationItem>, StoreError> {
        self.get_item(keys::nomination_pk(id), keys::NOMINATION_SK)
            .await
    }

    /// One page of a year's nominations in a region, newest first.
    pub async fn nominations_page(
        &self,
        province: &str,
        year: i32,
        region_prefix: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<NominationItem>, Option<ResumeKey>), StoreError> {
        let prefix = format!("{year}#{region_prefix}");
        self.query_spec(
            QuerySpec::index(
                Index::Gsi4,
                keys::nominations_pk(province),
                SortKey::Prefix(&prefix),
            )
            .newest_first(),
            resume,
            limit,
        )
        .await
    }
}
