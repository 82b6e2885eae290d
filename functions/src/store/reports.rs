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

use super::keys::{self};
use super::{ItemKeys, QuerySpec, SortKey, Store, StoreError, keyed_item};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::stats::MonthlyReport;

const ENTITY: &str = "monthly_report";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportItem {
    pub region_code: RegionCode,
    pub period: String,
    pub taken_at: String,
    /// The region's and its sub-regions' figures, stored as one JSON string: read whole,
    /// never queried by field.
    #[serde(with = "json_text")]
    pub figures: MonthlyReport,
}

/// A value stored as its JSON text in one string attribute.
mod json_text {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(S::Error::custom)?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

impl ReportItem {
    /// One partition per region, one item per month.
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::report_pk(self.region_code.as_str()),
            &self.period,
            ENTITY,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RunItem {
    taken_at: String,
}

impl Store {
    /// Writes a month's report once; a second writer (two runs at once) changes nothing.
    pub async fn put_monthly_report(&self, item: &ReportItem) -> Result<(), StoreError> {
        let out = self
            .put_one(
                keyed_item(item, item.keys())?,
                Some("attribute_not_exists(PK)"),
            )
            .await;
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
            .query_spec(
                QuerySpec::table(keys::report_pk(region), SortKey::Prefix(&prefix)),
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
        let run = RunItem {
            taken_at: taken_at.into(),
        };
        let k = ItemKeys::new(keys::REPORT_RUN_PK.into(), period, "report_run");
        self.put_one(keyed_item(&run, k)?, None).await
    }
}
