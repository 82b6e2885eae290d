//! Fixed-window counters (login and verification-code throttling) and per-key cool-downs
//! (at most one code a minute per phone).
//!
//! | pattern | operation |
//! |---|---|
//! | `attempts` | GetItem `THROTTLE#kind#key / window` |
//! | `count_attempt` | UpdateItem `ADD n 1`, `expires_at` for TTL |
//! | `reserve_attempt` | UpdateItem `ADD n 1` if `attribute_not_exists(n) OR n < :max`, `expires_at` for TTL |
//! | `reserve_slot` | as `reserve_attempt`, also `ADD held {holder}` |
//! | `release_slot` | UpdateItem `ADD n -1 DELETE held {holder}` if `contains(held, holder)` |
//! | `hold_cooldown` | PutItem `THROTTLE#kind#key / COOLDOWN` if absent or its `until <= now` |
//!
//! A limit is enforced by *reserving* a slot before the guarded work runs: the reservation
//! is one conditional write, so however many requests arrive at once, at most `max`
//! reservations succeed in a window. The caller then releases the slot (the attempt did
//! not count, e.g. a successful sign-in) or keeps it (a failure). Counters nobody gives
//! back (sends per day) use `reserve_attempt`; released ones `reserve_slot`.

use super::keys;
use super::{Store, StoreError, n, s};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::Deserialize;

/// A reserved slot of a limit, to give back with [`Store::release_slot`].
#[derive(Debug, Clone)]
pub struct Slot {
    kind: String,
    key: String,
    window: i64,
    holder: String,
}

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

    /// Takes one of the `max` slots of `key` in `window` for a caller that may give it
    /// back ([`Store::release_slot`]); `None` when all are taken. The slot carries a random
    /// holder id, kept in the counter's `held` set, so giving it back is idempotent: an
    /// SDK retry of a release whose answer was lost cannot free a second slot.
    pub async fn reserve_slot(
        &self,
        kind: &str,
        key: &str,
        window: i64,
        max: u32,
        expires_at: i64,
    ) -> Result<Option<Slot>, StoreError> {
        let holder = format!("{:016x}", rand::random::<u64>());
        let res = self
            .update_one(
                keys::throttle_pk(kind, key),
                &window.to_string(),
                "ADD n :one, held :h SET expires_at = :exp, entity_type = :e",
                Some("attribute_not_exists(n) OR n < :max"),
                &[],
                vec![
                    (":one", n(1)),
                    (":h", AttributeValue::Ss(vec![holder.clone()])),
                    (":max", n(max)),
                    (":exp", n(expires_at)),
                    (":e", s("throttle")),
                ],
            )
            .await;
        match res {
            Ok(()) => Ok(Some(Slot {
                kind: kind.to_string(),
                key: key.to_string(),
                window,
                holder,
            })),
            Err(StoreError::ConditionFailed) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Gives back a slot taken by [`Store::reserve_slot`], once however often it is sent.
    pub async fn release_slot(&self, slot: &Slot) -> Result<(), StoreError> {
        let res = self
            .update_one(
                keys::throttle_pk(&slot.kind, &slot.key),
                &slot.window.to_string(),
                "ADD n :minus DELETE held :h",
                Some("contains(held, :id) AND n > :zero"),
                &[],
                vec![
                    (":minus", n(-1)),
                    (":h", AttributeValue::Ss(vec![slot.holder.clone()])),
                    (":id", s(slot.holder.clone())),
                    (":zero", n(0)),
                ],
            )
            .await;
        match res {
            // Already given back (a retried release), or the window's item expired.
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
