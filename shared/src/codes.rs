//! Phone verification codes: what a code is for, the code itself as typed, and the
//! requests of `/api/auth/codes` and `/api/auth/reset`.

use crate::account::Password;
use crate::identity::Phone;
use crate::slug_enum;
use crate::station::FieldError;
use serde::{Deserialize, Serialize};

/// How many digits a code has.
pub const CODE_DIGITS: usize = 6;
/// How long a code stays valid, in seconds.
pub const CODE_TTL_SECONDS: i64 = 5 * 60;
/// How long the client waits before it may ask for another code for the same phone.
pub const RESEND_SECONDS: i64 = 60;

slug_enum! {
    /// What a verification code proves the phone's owner wants to do.
    CodePurpose {
        /// Create an account for this phone.
        Register = "register",
        /// Set a new password (忘记密码).
        Reset = "reset",
        /// Sign in, or re-confirm that the signed-in person holds the phone.
        Login = "login",
        /// A region admin's second sign-in step. Sent only after the right password
        /// (never through `POST /api/auth/codes`), so only someone who knows the password
        /// can make one be sent.
        SecondFactor = "second_factor",
        /// Register an older resident's phone on their behalf (代注册): asked for by a
        /// signed-in helper through `POST /api/assisted-registrations/codes`, never
        /// through `POST /api/auth/codes`.
        AssistedRegister = "assisted_register",
    }
}

impl CodePurpose {
    /// Whether anyone may ask `POST /api/auth/codes` for a code of this purpose.
    pub fn requestable(self) -> bool {
        !matches!(self, Self::SecondFactor | Self::AssistedRegister)
    }
}

/// A verification code as typed: exactly six ASCII digits (spaces around are ignored).
/// `Debug` never shows the digits.
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationCode(String);

impl VerificationCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::new("code", "enter the code sent to your phone"));
        }
        if t.len() != CODE_DIGITS || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new("code", "the code is 6 digits"));
        }
        Ok(Self(t.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VerificationCode(…)")
    }
}

/// `POST /api/auth/codes`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CodeRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^1[3-9][0-9]{9}$", required = true)
    )]
    pub phone: String,
    /// `register`, `reset` or `login`.
    #[cfg_attr(feature = "openapi", schema(value_type = CodePurpose, required = true))]
    pub purpose: String,
}

impl CodeRequest {
    pub fn validate(&self) -> Result<(Phone, CodePurpose), FieldError> {
        let phone = Phone::parse(&self.phone).map_err(|e| FieldError::new("phone", e))?;
        let purpose = CodePurpose::from_slug(self.purpose.trim())
            .filter(|p| p.requestable())
            .ok_or_else(|| FieldError::new("purpose", "must be register, reset or login"))?;
        Ok((phone, purpose))
    }
}

/// `POST /api/auth/reset`: a new password, proved by a `reset` code.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResetRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^1[3-9][0-9]{9}$", required = true)
    )]
    pub phone: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$", required = true))]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 8, max_length = 128, required = true)
    )]
    pub new_password: String,
}

/// A validated password reset.
#[derive(Debug)]
pub struct Reset {
    pub phone: Phone,
    pub code: VerificationCode,
    pub new_password: Password,
}

impl ResetRequest {
    pub fn validate(&self) -> Result<Reset, FieldError> {
        let phone = Phone::parse(&self.phone).map_err(|e| FieldError::new("phone", e))?;
        let new_password = Password::parse(&self.new_password).map_err(|e| FieldError {
            field: "new_password",
            ..e
        })?;
        let code = VerificationCode::parse(&self.code)?;
        Ok(Reset {
            phone,
            code,
            new_password,
        })
    }
}

// Debug never prints the password, the code or the whole phone.
impl std::fmt::Debug for ResetRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetRequest(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_and_nothing_else() {
        assert_eq!(
            VerificationCode::parse(" 012345 ").expect("code").expose(),
            "012345"
        );
        for bad in ["", "12345", "1234567", "12345a", "１２３４５６"] {
            assert_eq!(
                VerificationCode::parse(bad).expect_err("refused").field,
                "code",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_code_request_names_the_field_it_refuses() {
        let req = |phone: &str, purpose: &str| CodeRequest {
            phone: phone.into(),
            purpose: purpose.into(),
        };
        assert_eq!(
            req("13812345678", "reset").validate().expect("ok").1,
            CodePurpose::Reset
        );
        assert_eq!(
            req("123", "reset").validate().expect_err("refused").field,
            "phone"
        );
        assert_eq!(
            req("13812345678", "close")
                .validate()
                .expect_err("refused")
                .field,
            "purpose"
        );
    }

    #[test]
    fn a_weak_new_password_is_named_as_the_new_password() {
        let r = ResetRequest {
            phone: "13812345678".into(),
            code: "123456".into(),
            new_password: "12345678".into(),
        };
        assert_eq!(r.validate().expect_err("refused").field, "new_password");
    }
}
