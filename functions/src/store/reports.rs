//! Monthly report access patterns (定期报表, SPEC §10).
//!
//! | pattern | operation |
//! |---|---|
//! | `put_monthly_report` | PutItem `REPORT#region / yyyy-mm`, `attribute_not_exists(PK)` |
//! | `monthly_reports` | Query `REPORT#region`, `begins_with(SK, "yyyy-")` (≤ 12 items) |
//! | `reports_taken` / `mark_reports_taken` | GetItem / PutItem `REPORTRUN / yyyy-mm` |
//!
//! A report is written once and never changed: it is what the office saw at the month's
//! end, even if a record of that month is confirmed later.

use super::keys::{self, PK, SK};
use super::{KeyPrefix, Store, StoreError, classify, to_item};
use serde::{Deserialize, Serialize};

pub const ENTITY: &str = "monthly_report";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub region_code: String,
    pub period: String,
    pub taken_at: String,
    /// The region's and its sub-regions' figures (`MonthlyReport` as JSON): read whole,
    /// never queried by field.
    pub figures: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RunItem {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    entity_type: String,
    taken_at: String,
}

impl Store {
    /// Writes a month's report once; a second writer (two runs at once) changes nothing.
    pub async fn put_monthly_report(&self, item: &ReportItem) -> Result<(), StoreError> {
        self.calls.write();
        let out = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(item)?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(classify);
        match out {
            Ok(_) | Err(StoreError::ConditionFailed) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// A region's monthly reports of `year`, oldest first.
    pub async fn monthly_reports(
        &self,
        region: &str,
        year: i32,
    ) -> Result<Vec<ReportItem>, StoreError> {
        let prefix = format!("{year}-");
        let (items, _) = self
            .query_page(
                KeyPrefix {
                    index: None,
                    pk_attr: PK,
                    pk: keys::report_pk(region),
                    sk_attr: SK,
                    sk_prefix: &prefix,
                },
                None,
                12,
            )
            .await?;
        Ok(items)
    }

    /// Whether the reports of `period` have all been written.
    pub async fn reports_taken(&self, period: &str) -> Result<bool, StoreError> {
        Ok(self
            .get_item::<RunItem>(keys::REPORT_RUN_PK.into(), period)
            .await?
            .is_some())
    }

    pub async fn mark_reports_taken(&self, period: &str, taken_at: &str) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&RunItem {
                pk: keys::REPORT_RUN_PK.into(),
                sk: period.into(),
                entity_type: "report_run".into(),
                taken_at: taken_at.into(),
            })?))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
