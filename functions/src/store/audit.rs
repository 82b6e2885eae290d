//! The personal-data trail (see `service::audit`).
//!
//! | pattern | operation |
//! |---|---|
//! | `record_personal_data_view` | PutItem `PDVIEW#subject / at#id`, `attribute_not_exists` |
//! | `personal_data_views_of` | Query `PDVIEW#subject`, newest first |
//! | `personal_data_views_in` | Query GSI4 `PDVIEWREG#province`, `begins_with(region prefix)`, newest first within a region |

use super::keys::{self, GSI4PK, GSI4SK};
use super::{Index, ItemKeys, Keyed, QuerySpec, ResumeKey, SortKey, Store, StoreError, keyed_item};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::audit::PersonalDataAccess;

/// One view of someone's personal data. Names are copied in, so the trail reads without
/// a look-up per entry (a closed account's stay as they were when seen).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataViewItem {
    pub id: String,
    pub at: String,
    pub access: PersonalDataAccess,
    pub subject_id: String,
    pub subject_name: String,
    pub actor_id: String,
    pub actor_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// The table's TTL: entries go after the retention the README gives.
    pub expires_at: i64,
}

impl Keyed for PersonalDataViewItem {
    fn keys(&self) -> ItemKeys {
        let k = ItemKeys::new(
            keys::pd_views_pk(&self.subject_id),
            keys::pd_view_sk(&self.at, &self.id),
            "personal_data_view",
        );
        match &self.region_code {
            Some(region) => k.indexed(
                (
                    GSI4PK,
                    keys::pd_views_of_province(region.get(..2).unwrap_or_default()),
                ),
                (GSI4SK, keys::pd_view_region_sk(region, &self.at, &self.id)),
            ),
            None => k,
        }
    }
}

impl Store {
    pub async fn record_personal_data_view(
        &self,
        item: &PersonalDataViewItem,
    ) -> Result<(), StoreError> {
        self.put_one(
            keyed_item(item, item.keys())?,
            Some("attribute_not_exists(PK)"),
        )
        .await
    }

    /// Who saw `subject_id`'s data, newest first.
    pub async fn personal_data_views_of(
        &self,
        subject_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<PersonalDataViewItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::table(keys::pd_views_pk(subject_id), SortKey::Any).newest_first(),
            resume,
            limit,
        )
        .await
    }

    /// Views of the data of people whose region starts with `region_prefix` (in
    /// `province`): by region, newest first within each.
    pub async fn personal_data_views_in(
        &self,
        province: &str,
        region_prefix: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<PersonalDataViewItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::index(
                Index::Gsi4,
                keys::pd_views_of_province(province),
                SortKey::Prefix(region_prefix),
            )
            .newest_first(),
            resume,
            limit,
        )
        .await
    }
}
