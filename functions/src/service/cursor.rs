//! Opaque paging cursors: base64url of a small JSON document the server made. A cursor
//! that does not decode to the expected kind is a 400 on the `cursor` field.

use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

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
