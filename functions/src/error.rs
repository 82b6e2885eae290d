//! The one error type of the HTTP boundary, and its mapping to API.md's error body.
//!
//! Which variant to use: `Invalid` for a request field that fails validation (400, names
//! the field); `NotFound` for an absent resource (404); `Unauthorized` for a missing or
//! wrong token (401); `Forbidden` for a valid caller without the right role or region
//! (403); `Conflict` for a state clash (409); `Busy` when the store throttles us (429/503);
//! `Internal` for anything else — the client sees a generic message, the log the detail.

use crate::store::accounts::{RegisterRefused, VolunteerRefused};
use crate::store::activities::CancelActivityRefused;
use crate::store::activity_edits::{EditRefused, SignupChanged};
use crate::store::appeals::AppealRefused;
use crate::store::backfills::BackfillRefused;
use crate::store::calendar::FeedRefused;
use crate::store::needs::NeedRefused;
use crate::store::orgs::{ApproveMemberRefused, CreateOrgRefused, JoinRefused};
use crate::store::records::RecordRefused;
use crate::store::series::SeriesRefused;
use crate::store::signups::{CancelSignupRefused, SignupRefused};
use crate::store::{StoreError, TxError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::api::{ErrorBody, ErrorDetail};
use zhiyuan_shared::station::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    #[error("{0}")]
    NotFound(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    UnauthorizedWith(&'static str),
    /// 401 with its own code: a sign-in that needs another step (`second_factor_required`).
    #[error("{message}")]
    UnauthorizedBecause {
        code: &'static str,
        message: &'static str,
    },
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Well-formed but against a rule about the caller (e.g. below an activity's minimum age).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the service is busy, retry shortly")]
    Busy,
    #[error("too many attempts; retry in {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: &str, reason: impl ToString) -> Self {
        Self::Invalid {
            field: field.to_string(),
            reason: reason.to_string(),
        }
    }

    pub fn unauthorized_because(code: &'static str, message: &'static str) -> Self {
        Self::UnauthorizedBecause { code, message }
    }

    pub fn forbidden(code: &'static str, message: impl ToString) -> Self {
        Self::Forbidden {
            code,
            message: message.to_string(),
        }
    }

    pub fn conflict(code: &'static str, message: impl ToString) -> Self {
        Self::Conflict {
            code,
            message: message.to_string(),
        }
    }

    /// The code the client reads, e.g. `places_below_signups`.
    pub fn code(&self) -> &'static str {
        self.parts().1
    }

    /// A refusal of what was asked (400, 409, 422), as against a fault or a denial.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self.parts().0,
            StatusCode::BAD_REQUEST | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        )
    }

    fn parts(&self) -> (StatusCode, &'static str, Option<String>) {
        match self {
            Self::Invalid { field, .. } => (
                StatusCode::BAD_REQUEST,
                "invalid_field",
                Some(field.clone()),
            ),
            Self::MalformedBody(_) => (StatusCode::BAD_REQUEST, "malformed_body", None),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            Self::Unauthorized | Self::UnauthorizedWith(_) => {
                (StatusCode::UNAUTHORIZED, "unauthorized", None)
            }
            Self::UnauthorizedBecause { code, .. } => (StatusCode::UNAUTHORIZED, code, None),
            Self::Forbidden { code, .. } => (StatusCode::FORBIDDEN, code, None),
            Self::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_requests", None)
            }
            Self::Conflict { code, .. } => (StatusCode::CONFLICT, code, None),
            Self::Unprocessable { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code, None),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", None),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::Invalid {
            field: e.field.to_string(),
            reason: e.reason,
        }
    }
}

/// A key operation that cannot be done here (no session secret, a value too long to
/// seal): the server's fault, never the request's.
impl From<crate::crypto::CryptoError> for ApiError {
    fn from(e: crate::crypto::CryptoError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Throttled | StoreError::TransactionConflict => Self::Busy,
            // The store did not answer usably (its own 5xx, a dropped connection): the
            // request may be retried, so the client hears 503, not 500.
            StoreError::Unavailable(detail) => {
                tracing::warn!(error = %detail, "store unavailable");
                Self::Busy
            }
            StoreError::BadResumeKey => {
                Self::invalid("cursor", "is not a cursor this list returned")
            }
            StoreError::ConditionFailed => Self::Conflict {
                code: "conflict",
                message: "the item changed; reload and retry".into(),
            },
            other => Self::Internal(other.to_string()),
        }
    }
}

impl<R> From<TxError<R>> for ApiError
where
    ApiError: From<R>,
{
    fn from(e: TxError<R>) -> Self {
        match e {
            TxError::Refused(r) => r.into(),
            TxError::Store(e) => e.into(),
        }
    }
}

/// What each refusal of a store transaction means to the client: a 409 with this code and
/// message. The refusals a service retries on (something changed since it was read) reach
/// a client only when the retries run out, as a plain conflict.
macro_rules! refusals {
    ($($ty:ident { $($variant:ident => ($code:literal, $message:literal)),+ $(,)? })+) => {
        $(impl From<$ty> for ApiError {
            fn from(r: $ty) -> Self {
                match r {
                    $($ty::$variant => Self::conflict($code, $message),)+
                }
            }
        })+
    };
}

refusals! {
    RegisterRefused {
        PhoneTaken => ("phone_taken", "an account with this phone number already exists; sign in instead"),
    }
    VolunteerRefused {
        IdNumberTaken => ("id_number_taken", "this ID number is already registered to a volunteer"),
        AlreadyVolunteer => ("already_volunteer", "this account is already a volunteer"),
    }
    CreateOrgRefused {
        NameTaken => ("org_name_taken", "an organisation of this name is already registered in this region"),
    }
    JoinRefused {
        AlreadyMember => ("already_member", "you are a member already, or your request is waiting"),
        OrgNotApproved => ("org_not_approved", "the organisation is not approved"),
    }
    ApproveMemberRefused {
        NotPending => ("wrong_state", "this member is approved already"),
    }
    SignupRefused {
        AlreadySignedUp => ("already_signed_up", "you are already signed up for this shift"),
        ShiftChanged => ("conflict", "the item changed; reload and retry"),
        UserChanged => ("conflict", "the item changed; reload and retry"),
    }
    CancelSignupRefused {
        Changed => ("conflict", "the item changed; reload and retry"),
    }
    CancelActivityRefused {
        NotPublished => ("activity_cancelled", "the activity has been cancelled"),
    }
    RecordRefused {
        RecordChanged => ("conflict", "the item changed; reload and retry"),
        UserChanged => ("conflict", "the item changed; reload and retry"),
        BackfillDecided => ("already_decided", "this application has been decided already"),
    }
    NeedRefused {
        Changed => ("conflict", "the item changed; reload and retry"),
    }
    FeedRefused {
        Changed => ("conflict", "the item changed; reload and retry"),
    }
    BackfillRefused {
        AlreadyDecided => ("already_decided", "this application has been decided already"),
    }
    AppealRefused {
        AlreadyPending => ("appeal_pending", "you have a pending appeal for this ID number already"),
        AlreadyDecided => ("already_decided", "this appeal has been decided already"),
        HolderChanged => ("holder_changed", "the ID number is no longer held by the account this appeal names"),
        Changed => ("conflict", "the item changed; reload and retry"),
    }
    EditRefused {
        ActivityChanged => ("activity_changed", "the activity was changed meanwhile; reload and retry"),
        ShiftChanged => ("conflict", "the item changed; reload and retry"),
    }
    SignupChanged {
        Changed => ("conflict", "the item changed; reload and retry"),
    }
    SeriesRefused {
        Changed => ("conflict", "the item changed; reload and retry"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = self.parts();
        let message = match &self {
            // Internal detail goes to the log, never to the client.
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                "something went wrong on our side; please retry".to_string()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_string(),
                message,
                field,
            },
        };
        let mut resp = (status, axum::Json(body)).into_response();
        match &self {
            Self::Busy => {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            Self::TooManyRequests { retry_after } => {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            _ => {}
        }
        resp
    }
}
