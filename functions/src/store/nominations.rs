//! Nomination access patterns (选树典型, SPEC §12).
//!
//! | pattern | operation |
//! |---|---|
//! | `put_nomination` | PutItem `NOM#id / NOM`, `attribute_not_exists(PK)` |
//! | `get_nomination` | GetItem `NOM#id / NOM` |
//! | `nominations_page` | Query GSI4 `NOMS#province`, `begins_with(GSI4SK, "year#region-prefix")`, newest first |

use super::keys::{self, GSI4PK, GSI4SK};
use super::{QuerySpec, ResumeKey, SortKey, Store, StoreError, classify, to_item};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::exemplary::NomineeKind;

pub const ENTITY: &str = "nomination";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NominationItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI4PK")]
    pub gsi4pk: String,
    #[serde(rename = "GSI4SK")]
    pub gsi4sk: String,
    pub entity_type: String,
    pub id: String,
    pub kind: NomineeKind,
    pub name: String,
    pub honour: String,
    pub region_code: String,
    pub region_name: String,
    pub year: i32,
    pub story: String,
    pub nominated_by: String,
    pub nominated_by_user: String,
    pub nominated_at: String,
}

impl Store {
    pub async fn put_nomination(&self, item: &NominationItem) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(item)?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(classify)?;
        Ok(())
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
            QuerySpec {
                index: Some("GSI4"),
                pk_attr: GSI4PK,
                pk: keys::nominations_pk(province),
                sk_attr: GSI4SK,
                sort: SortKey::Prefix(&prefix),
                filter: None,
                descending: true,
            },
            resume,
            limit,
        )
        .await
    }
}
