//! Verification codes and the password they can reset.
//!
//! | pattern | operation |
//! |---|---|
//! | `put_code` | PutItem `CODE#phone_index / purpose` (replaces the last code), `expires_at` for TTL |
//! | `try_code` | UpdateItem `ADD tries 1` if the code exists, is unexpired and `tries < max`; returns its hash |
//! | `use_code` | DeleteItem if `hash = :h AND expires_at > :now` |
//! | `reset_password` | UpdateItem `SET password_hash ADD token_gen 1` on `USER#id`; returns the new generation |
//!
//! A code is stored only as a keyed hash. A try is counted by the conditional update
//! *before* the hash is compared, so concurrent guesses cannot share one count; and a code
//! is used up by a conditional delete, so two concurrent right answers succeed once.

use super::keys;
use super::{ItemKeys, Store, StoreError, classify, keyed_item, n, s};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use serde::{Deserialize, Serialize};

/// A code as stored.
#[derive(Serialize, Deserialize)]
pub struct CodeItem {
    pub phone_index: String,
    /// `register`, `reset` or `login`.
    pub purpose: String,
    /// Keyed hash of phone, purpose and code (never the code).
    pub hash: String,
    /// Wrong or right, each check counts.
    pub tries: u32,
    /// Unix seconds; valid before it, and the TTL removes the item after it.
    pub expires_at: i64,
}

impl CodeItem {
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::code_pk(&self.phone_index),
            self.purpose.clone(),
            "code",
        )
    }
}

impl Store {
    /// Stores a new code for its phone and purpose, replacing any earlier one.
    pub async fn put_code(&self, code: &CodeItem) -> Result<(), StoreError> {
        self.put_one(keyed_item(code, code.keys())?, None).await
    }

    /// Counts a try of the live code of (phone, purpose) and returns its hash; `None` when
    /// there is none: never sent, used, expired, or out of tries.
    pub async fn try_code(
        &self,
        phone_index: &str,
        purpose: &str,
        now: i64,
        max_tries: u32,
    ) -> Result<Option<String>, StoreError> {
        self.calls.write();
        let res = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::code_pk(phone_index)))
            .key(keys::SK, s(purpose))
            .update_expression("ADD tries :one")
            .condition_expression("attribute_exists(#h) AND expires_at > :now AND tries < :max")
            .expression_attribute_names("#h", "hash")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":max", n(max_tries))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(classify);
        match res {
            Ok(out) => Ok(out
                .attributes
                .and_then(|a| a.get("hash").cloned())
                .and_then(|h| match h {
                    AttributeValue::S(h) => Some(h),
                    _ => None,
                })),
            Err(StoreError::ConditionFailed) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Uses up the code whose hash is `hash`; `false` when it is gone already (another
    /// request used it, it expired, or a newer code replaced it).
    pub async fn use_code(
        &self,
        phone_index: &str,
        purpose: &str,
        hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.calls.write();
        let res = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::code_pk(phone_index)))
            .key(keys::SK, s(purpose))
            .condition_expression("#h = :h AND expires_at > :now")
            .expression_attribute_names("#h", "hash")
            .expression_attribute_values(":h", s(hash))
            .expression_attribute_values(":now", n(now))
            .send()
            .await
            .map_err(classify);
        match res {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Sets a new password and ends every session of the user (their tokens carry the old
    /// generation); returns the new generation, for the token of the device that reset.
    ///
    /// `take_over` (an assisted account's owner setting the password for the first time)
    /// marks the assisted account taken over in the same write.
    pub async fn reset_password(
        &self,
        user_id: &str,
        password_hash: &str,
        take_over: Option<&str>,
    ) -> Result<u32, StoreError> {
        self.calls.write();
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::user_pk(user_id)))
            .key(keys::SK, s(keys::USER_SK));
        update = match take_over {
            Some(at) => update
                .update_expression(
                    "SET password_hash = :p, assisted.taken_over_at = \
                     if_not_exists(assisted.taken_over_at, :t) ADD token_gen :one",
                )
                .condition_expression("attribute_exists(PK) AND attribute_exists(assisted)")
                .expression_attribute_values(":t", s(at)),
            None => update
                .update_expression("SET password_hash = :p ADD token_gen :one")
                .condition_expression("attribute_exists(PK)"),
        };
        let out = update
            .expression_attribute_values(":p", s(password_hash))
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(classify)?;
        out.attributes
            .and_then(|a| a.get("token_gen").cloned())
            .and_then(|g| g.as_n().ok().and_then(|g| g.parse().ok()))
            .ok_or_else(|| StoreError::Decode("user without token_gen".into()))
    }
}
