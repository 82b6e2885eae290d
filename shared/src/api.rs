//! The HTTP contract's envelope: the error body and the paged list.

use serde::{Deserialize, Serialize};

/// `{"error": {"code", "message", "field"}}` — every 4xx/5xx answer has this body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable snake_case code the client translates (e.g. `invalid_field`, `not_found`).
    pub code: String,
    /// English explanation for developers and logs; the UI shows its own translation.
    pub message: String,
    /// The request field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A page of a list: `{"items": [...], "next_cursor": "…" | null}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A page size: 1 to 100, default 20, as API.md fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u16);

impl Limit {
    pub const DEFAULT: u16 = 20;
    pub const MAX: u16 = 100;

    pub fn new(n: i64) -> Result<Self, LimitError> {
        if (1..=i64::from(Self::MAX)).contains(&n) {
            Ok(Self(n as u16))
        } else {
            Err(LimitError)
        }
    }
    pub fn get(self) -> usize {
        usize::from(self.0)
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self(Self::DEFAULT)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("limit must be a whole number from 1 to 100")]
pub struct LimitError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_outside_one_to_a_hundred_is_rejected() {
        assert!(Limit::new(0).is_err());
        assert!(Limit::new(101).is_err());
        assert!(Limit::new(-5).is_err());
        assert_eq!(Limit::new(100).map(Limit::get), Ok(100));
        assert_eq!(Limit::default().get(), 20);
    }

    #[test]
    fn the_error_body_omits_an_absent_field() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: "not_found".into(),
                message: "no such station".into(),
                field: None,
            },
        };
        let json = serde_json::to_string(&body).expect("serialises");
        assert_eq!(
            json,
            r#"{"error":{"code":"not_found","message":"no such station"}}"#
        );
    }
}
