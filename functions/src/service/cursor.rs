//! Opaque paging cursors: base64url of a small JSON document the server made. A cursor
//! that does not decode to the expected kind is a 400 on the `cursor` field.

use crate::error::ApiError;
use crate::store::ResumeKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zhiyuan_shared::api::Limit;

pub fn encode<T: Serialize>(value: &T) -> Result<String, ApiError> {
    let json = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

pub fn decode<T: for<'de> Deserialize<'de>>(raw: &str) -> Result<T, ApiError> {
    let bad = || ApiError::invalid("cursor", "is not a cursor this list returned");
    if raw.len() > 2048 {
        return Err(bad());
    }
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| bad())?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

/// A listing's cursor: which list and scope made it, and where to resume.
#[derive(Serialize, Deserialize)]
struct ListCursor {
    kind: String,
    scope: String,
    key: ResumeKey,
}

pub(crate) fn parse_limit(raw: Option<&str>) -> Result<Limit, ApiError> {
    match raw {
        None => Ok(Limit::default()),
        Some(l) => l
            .parse::<i64>()
            .ok()
            .and_then(|n| Limit::new(n).ok())
            .ok_or_else(|| ApiError::invalid("limit", "must be a whole number from 1 to 100")),
    }
}

/// The resume key of a cursor this list made for this scope; any other is a 400.
pub(crate) fn resume_from(
    raw: Option<&str>,
    kind: &str,
    scope: &str,
) -> Result<Option<ResumeKey>, ApiError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let c: ListCursor = decode(raw)?;
    if c.kind != kind || c.scope != scope {
        return Err(ApiError::invalid(
            "cursor",
            "is not a cursor this list returned",
        ));
    }
    Ok(Some(c.key))
}

/// The scope a cursor of this list was made for, unchecked (None if it is not one): for a
/// list that keeps part of its first request (the time it started from) in the scope.
pub(crate) fn scope_of(raw: &str, kind: &str) -> Option<String> {
    decode::<ListCursor>(raw)
        .ok()
        .filter(|c| c.kind == kind)
        .map(|c| c.scope)
}

pub(crate) fn next_cursor(
    next: Option<ResumeKey>,
    kind: &str,
    scope: String,
) -> Result<Option<String>, ApiError> {
    next.map(|key| {
        encode(&ListCursor {
            kind: kind.into(),
            scope,
            key,
        })
    })
    .transpose()
}
