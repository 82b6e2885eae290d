//! Guardian consent, kept on the volunteer's profile inside the user item.
//!
//! | pattern | operation |
//! |---|---|
//! | `record_guardian_consent` | UpdateItem `USER#id / USER`: `SET volunteer.guardian` if `attribute_exists(volunteer)` |

use super::accounts::GuardianItem;
use super::keys;
use super::{Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;

impl Store {
    /// Records (or replaces) the guardian who consented on the volunteer's profile.
    pub async fn record_guardian_consent(
        &self,
        user_id: &str,
        guardian: &GuardianItem,
    ) -> Result<(), StoreError> {
        let g = serde_dynamo::to_attribute_value::<_, AttributeValue>(guardian)
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        self.update_one(
            keys::user_pk(user_id),
            keys::USER_SK,
            "SET #v.#g = :g",
            Some("attribute_exists(#v)"),
            &[("#v", "volunteer"), ("#g", "guardian")],
            vec![(":g", g)],
        )
        .await
    }
}
