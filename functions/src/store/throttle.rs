//! Fixed-window attempt counters (login throttling).
//!
//! | pattern | operation |
//! |---|---|
//! | `attempts` | GetItem `THROTTLE#kind#key / window` |
//! | `count_attempt` | UpdateItem `ADD n 1`, `expires_at` for TTL |

use super::keys;
use super::{Store, StoreError, n, s};
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
        self.update_one(
            keys::throttle_pk(kind, key),
            &window.to_string(),
            "ADD n :one SET expires_at = :exp, entity_type = :e",
            None,
            &[],
            vec![
                (":one", n(1)),
                (":exp", n(expires_at)),
                (":e", s("throttle")),
            ],
        )
        .await
    }
}
