//! "My account" (我的账号): change the password, download my data, close my account —
//! the request and response shapes of `/api/me/password`, `/api/me/export` and
//! `/api/me/close`, and the rules their fields follow.

use crate::account::{Password, RoleGrant, VolunteerProfile};
use crate::activity::MyShift;
use crate::appeal::IdentityAppeal;
use crate::archive::AttachmentKind;
use crate::need::Need;
use crate::notice::{Notice, NoticeKind};
use crate::notice_settings::NoticeSettings;
use crate::org::MyMembership;
use crate::record::ServiceRecord;
use crate::station::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The name a closed account is shown under wherever its name would appear (an
/// organizer's record list, a check-in list, an organisation's members).
pub const CLOSED_NAME: &str = "已注销志愿者";

// A missing field deserialises as empty, so validation names it (400 with `field`).
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ChangePasswordRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 128)
    )]
    pub current_password: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 8, max_length = 128, required = true)
    )]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest(…)")
    }
}

impl ChangePasswordRequest {
    /// The new password, if it is strong enough and differs from the current one. Whether
    /// the current one is right is the server's check (it needs the stored hash).
    pub fn validate(&self) -> Result<Password, FieldError> {
        if self.current_password.is_empty() {
            return Err(FieldError::new("current_password", "is required"));
        }
        let new = Password::parse(&self.new_password)
            .map_err(|e| FieldError::new("new_password", e.reason))?;
        if self.new_password == self.current_password {
            return Err(FieldError::new(
                "new_password",
                "must differ from the current password",
            ));
        }
        Ok(new)
    }
}

/// After a password change: a fresh token for this device (every other session ended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordResponse {
    pub token: String,
}

/// `POST /api/me/close`: one re-check, the password or an SMS code.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CloseRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: Option<String>,
}

impl std::fmt::Debug for CloseRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CloseRequest(…)")
    }
}

/// `POST /api/me/recheck`: the password or an SMS code (purpose `login`, sent to the
/// account's own phone by `POST /api/me/recheck/code`), entered again before an action
/// that shows or hands out whole personal data.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecheckRequest {
    /// the account's password (or give `code`)
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: Option<String>,
    /// an SMS code from `POST /api/me/recheck/code`
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: Option<String>,
}

impl std::fmt::Debug for RecheckRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecheckRequest(…)")
    }
}

impl RecheckRequest {
    /// The re-check asked for, by the same rule as closing an account.
    pub fn recheck(&self) -> Result<Recheck, FieldError> {
        CloseRequest {
            password: self.password.clone(),
            code: self.code.clone(),
        }
        .recheck()
    }
}

/// After a re-check: the session's token, now carrying the re-check time. The actions
/// that need a re-check accept it for [`RECHECK_SECONDS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecheckResponse {
    pub token: String,
    /// Seconds the re-check stays valid.
    pub valid_seconds: i64,
}

/// How long a re-check opens reveal, the data export and the transfer export.
pub const RECHECK_SECONDS: i64 = 5 * 60;

/// The refusal code of an action that needs a fresh re-check (403).
pub const RECHECK_REQUIRED: &str = "recheck_required";

/// How the person proves, once more, that they hold the account.
#[derive(Clone, PartialEq, Eq)]
pub enum Recheck {
    Password(String),
    /// A 6-digit SMS code sent to the account's own phone (`POST /api/auth/codes`, purpose `login`).
    Code(String),
}

impl std::fmt::Debug for Recheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Password(_) => "Recheck::Password(…)",
            Self::Code(_) => "Recheck::Code(…)",
        })
    }
}

impl CloseRequest {
    /// The re-check asked for: a non-empty password, else a non-empty code.
    pub fn recheck(&self) -> Result<Recheck, FieldError> {
        let given = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
        match (given(&self.password), given(&self.code)) {
            (Some(p), _) => Ok(Recheck::Password(p)),
            (None, Some(c)) => Ok(Recheck::Code(c)),
            (None, None) => Err(FieldError::new("password", "is required")),
        }
    }
}

/// `GET /api/me/export` (我的数据): everything the platform holds on the caller, whole
/// numbers decrypted for them (PIPL Art. 45).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyData {
    pub exported_at: String,
    pub account: MyAccountData,
    pub volunteer: Option<MyVolunteerData>,
    pub totals: MyTotals,
    pub records: Vec<ServiceRecord>,
    pub signups: Vec<MyShift>,
    pub memberships: Vec<MyMembership>,
    pub notices: Vec<Notice>,
    pub needs: Vec<Need>,
    /// Archive files the person uploaded as an organizer (metadata; the files stay with
    /// the activity).
    pub uploads: Vec<MyUpload>,
    /// Which notices also come by SMS, and the quiet hours (the defaults when never set).
    pub notice_settings: NoticeSettings,
    /// Whether a calendar feed (订阅我的日历) is live, and since when. Never its address:
    /// the token is not stored, only its hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_feed: Option<MyCalendarFeed>,
    /// The identity appeals (身份证被占用) the person filed, with their status.
    #[serde(default)]
    pub identity_appeals: Vec<IdentityAppeal>,
    /// The text messages queued or sent to the person for their notices.
    #[serde(default)]
    pub sms: Vec<MySms>,
}

/// The person's calendar feed, as far as it is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCalendarFeed {
    pub created_at: String,
}

/// One notice text message: which notice, and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySms {
    pub notice_id: String,
    pub kind: NoticeKind,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub queued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyUpload {
    pub id: String,
    pub activity_id: String,
    pub kind: AttachmentKind,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub uploaded_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAccountData {
    pub user_id: String,
    pub display_name: String,
    /// The whole number.
    pub phone: String,
    pub created_at: String,
    pub roles: Vec<RoleGrant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyVolunteerData {
    pub profile: VolunteerProfile,
    /// The whole ID number.
    pub id_number: String,
    /// When the personal-information notice was accepted.
    pub consent_at: String,
    pub guardian: Option<MyGuardianData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyGuardianData {
    pub name: String,
    /// The whole number.
    pub phone: String,
    pub relation: String,
    pub consent_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTotals {
    pub served_minutes: u64,
    pub total_hours: f64,
    pub star_level: u8,
    pub trainings_done: u32,
    /// Calendar year → confirmed service that year.
    pub years: BTreeMap<String, MyYear>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyYear {
    pub minutes: u64,
    pub records: u32,
}

/// The file name `GET /api/me/export` offers: `zhiyuan-my-data-YYYYMMDD.json`.
pub fn export_file_name(date_yyyymmdd: &str) -> String {
    format!("zhiyuan-my-data-{date_yyyymmdd}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(current: &str, new: &str) -> ChangePasswordRequest {
        ChangePasswordRequest {
            current_password: current.into(),
            new_password: new.into(),
        }
    }

    #[test]
    fn a_weak_or_unchanged_new_password_is_named_as_new_password() {
        assert_eq!(
            change("old-secret-1", "short")
                .validate()
                .expect_err("refused")
                .field,
            "new_password"
        );
        assert_eq!(
            change("old-secret-1", "12345678901")
                .validate()
                .expect_err("refused")
                .field,
            "new_password"
        );
        let same = change("old-secret-1", "old-secret-1")
            .validate()
            .expect_err("refused");
        assert_eq!(same.field, "new_password");
        assert!(same.reason.contains("differ"));
        assert_eq!(
            change("", "new-secret-2")
                .validate()
                .expect_err("refused")
                .field,
            "current_password"
        );
        assert!(change("old-secret-1", "new-secret-2").validate().is_ok());
    }

    #[test]
    fn closing_rechecks_the_password_first_then_a_code_and_names_the_password_when_neither() {
        let req = |p: Option<&str>, c: Option<&str>| CloseRequest {
            password: p.map(Into::into),
            code: c.map(Into::into),
        };
        assert!(
            matches!(req(Some("pw-secret"), Some("123456")).recheck(), Ok(Recheck::Password(p)) if p == "pw-secret")
        );
        assert!(
            matches!(req(Some(""), Some("123456")).recheck(), Ok(Recheck::Code(c)) if c == "123456")
        );
        assert_eq!(
            req(None, Some("")).recheck().expect_err("refused").field,
            "password"
        );
    }

    #[test]
    fn the_export_file_is_named_by_its_date() {
        assert_eq!(
            export_file_name("20261129"),
            "zhiyuan-my-data-20261129.json"
        );
    }
}
