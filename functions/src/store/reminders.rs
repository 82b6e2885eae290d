//! The reminder queue: shifts not yet reminded, on GSI4 by local start date (sparse: a
//! shift leaves it once its reminders are written).
//!
//! | pattern | operation |
//! |---|---|
//! | `reminders_due` | Query GSI4 `REMIND#date`, `GSI4SK BETWEEN now AND now+24h` |
//! | `reminder_sent` | UpdateItem shift `REMOVE GSI4PK, GSI4SK` |

use super::activities::{ShiftItem, shift_keys};
use super::keys::{self};
use super::{Index, QuerySpec, SortKey, Store, StoreError};

impl Store {
    /// Shifts of one local day whose reminder is due (start within `[from, to]`).
    pub async fn reminders_due(
        &self,
        cst_date: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<ShiftItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec::index(
                    Index::Gsi4,
                    keys::reminder_pk(cst_date),
                    SortKey::Between(keys::list_from(from), keys::list_from(to)),
                ),
                None,
                100,
            )
            .await?;
        Ok(items)
    }

    /// Takes a shift off the reminder queue once its reminders are written.
    pub async fn reminder_sent(&self, shift: &ShiftItem) -> Result<(), StoreError> {
        let k = shift_keys(&shift.activity_id, shift.n);
        self.update_one(
            k.pk().to_string(),
            k.sk(),
            "REMOVE GSI4PK, GSI4SK",
            Some("attribute_exists(PK)"),
            &[],
            vec![],
        )
        .await
    }
}
