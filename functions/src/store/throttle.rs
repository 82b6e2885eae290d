//! Fixed-window counters (login and verification-code throttling) and per-key cool-downs
//! (at most one code a minute per phone).
//!
//! | pattern | operation |
//! |---|---|
//! | `attempts` | GetItem `THROTTLE#kind#key / window` |
//! | `count_attempt` | UpdateItem `ADD n 1`, `expires_at` for TTL |
//! | `reserve_attempt` | UpdateItem `ADD n 1` if `attribute_not_exists(n) OR n < :max`, `expires_at` for TTL |
//! | `release_attempt` | UpdateItem `ADD n -1` if `n > 0` |
//! | `hold_cooldown` | PutItem `THROTTLE#kind#key / COOLDOWN` if absent or its `until <= now` |
//!
//! A limit is enforced by *reserving* a slot before the guarded work runs: the reservation
//! is one conditional write, so however many requests arrive at once, at most `max`
//! reservations succeed in a window. The caller then releases the slot (the attempt did
//! not count, e.g. a successful sign-in) or keeps it (a failure).

use super::keys;
use super::{Store, StoreError, n, s};
use serde::Deserialize;

#[derive(Deserialize)]
struct Counter {
    #[serde(default)]
    n: i64,
}

#[derive(Deserialize)]
struct Cooldown {
    until: i64,
}

const COOLDOWN_SK: &str = "COOLDOWN";

impl Store {
    pub async fn attempts(&self, kind: &str, key: &str, window: i64) -> Result<u32, StoreError> {
        let c: Option<Counter> = self
            .get_item(keys::throttle_pk(kind, key), &window.to_string())
            .await?;
        Ok(c.map(|c| c.n.max(0) as u32).unwrap_or(0))
    }

    /// Counts one attempt (no limit on the write; the caller reads [`Store::attempts`]).
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

    /// Takes one of the `max` slots of `key` in `window`; `false` when all are taken.
    pub async fn reserve_attempt(
        &self,
        kind: &str,
        key: &str,
        window: i64,
        max: u32,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let res = self
            .update_one(
                keys::throttle_pk(kind, key),
                &window.to_string(),
                "ADD n :one SET expires_at = :exp, entity_type = :e",
                Some("attribute_not_exists(n) OR n < :max"),
                &[],
                vec![
                    (":one", n(1)),
                    (":max", n(max)),
                    (":exp", n(expires_at)),
                    (":e", s("throttle")),
                ],
            )
            .await;
        match res {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Gives back a slot taken by [`Store::reserve_attempt`].
    pub async fn release_attempt(
        &self,
        kind: &str,
        key: &str,
        window: i64,
    ) -> Result<(), StoreError> {
        let res = self
            .update_one(
                keys::throttle_pk(kind, key),
                &window.to_string(),
                "ADD n :minus",
                // Never below zero, and never re-create an item the TTL removed.
                Some("n > :zero"),
                &[],
                vec![(":minus", n(-1)), (":zero", n(0))],
            )
            .await;
        match res {
            Ok(()) | Err(StoreError::ConditionFailed) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Starts a cool-down of `key` until `now + seconds` unless one is running; returns
    /// `None` when it started, or the second the running one ends.
    pub async fn hold_cooldown(
        &self,
        kind: &str,
        key: &str,
        now: i64,
        seconds: i64,
    ) -> Result<Option<i64>, StoreError> {
        let pk = keys::throttle_pk(kind, key);
        let res = self
            .update_one(
                pk.clone(),
                COOLDOWN_SK,
                "SET #u = :until, expires_at = :until, entity_type = :e",
                Some("attribute_not_exists(#u) OR #u <= :now"),
                &[("#u", "until")],
                vec![
                    (":until", n(now + seconds)),
                    (":now", n(now)),
                    (":e", s("cooldown")),
                ],
            )
            .await;
        match res {
            Ok(()) => Ok(None),
            Err(StoreError::ConditionFailed) => {
                let c: Option<Cooldown> = self.get_item(pk, COOLDOWN_SK).await?;
                // Ended between the write and the read: one more second is a fair answer.
                Ok(Some(c.map(|c| c.until).unwrap_or(now + 1).max(now + 1)))
            }
            Err(e) => Err(e),
        }
    }
}
