//! Fixed-window attempt counters (login throttling).
//!
//! | pattern | operation |
//! |---|---|
//! | `attempts` | GetItem `THROTTLE#kind#key / window` |
//! | `count_attempt` | UpdateItem `ADD n 1`, `expires_at` for TTL |

use super::keys::{self, PK, SK};
use super::{Store, StoreError, classify, s};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::Deserialize;

#[derive(Deserialize)]
struct Counter {
    #[serde(default)]
    n: u32,
}

impl Store {
    pub async fn attempts(&self, kind: &str, key: &str, window: i64) -> Result<u32, StoreError> {
        let c: Option<Counter> = self
            .get_item(keys::throttle_pk(kind, key), &window.to_string())
            .await?;
        Ok(c.map(|c| c.n).unwrap_or(0))
    }

    pub async fn count_attempt(
        &self,
        kind: &str,
        key: &str,
        window: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .update_item()
            .table_name(&self.table)
            .key(PK, s(keys::throttle_pk(kind, key)))
            .key(SK, s(window.to_string()))
            .update_expression("ADD n :one SET expires_at = :exp, entity_type = :e")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":exp", AttributeValue::N(expires_at.to_string()))
            .expression_attribute_values(":e", s("throttle"))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
