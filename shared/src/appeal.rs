//! ID number already taken (身份证被占用): the real owner of an ID number that another
//! account holds appeals with a photo of the ID card; the region admin over the ID
//! number's region decides, and on approval the volunteer identity moves to the appellant.

use crate::account::parse_real_name;
use crate::archive::{UploadRequest, UploadTarget};
use crate::identity::{Date, IdNumber};
use crate::slug_enum;
use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

/// Longest reason (the appellant's, or the admin's), in characters.
pub const MAX_REASON_CHARS: usize = 500;

slug_enum! {
    /// Pending until a region admin decides, once (or until the appellant closes their
    /// account: withdrawn).
    AppealStatus {
        Pending = "pending",
        Approved = "approved",
        Refused = "refused",
        Withdrawn = "withdrawn",
    }
}

/// `POST /api/identity-appeals/photo`: the ID card photo the browser is about to upload.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AppealPhotoRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 255)
    )]
    pub name: String,
    /// Empty means "from the name".
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub content_type: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, required = true))]
    pub size: u64,
}

/// A checked photo request: the archive's rules, images only.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealPhoto {
    pub name: String,
    pub mime: &'static str,
    pub size: u64,
}

impl AppealPhotoRequest {
    /// The archive's name, type and size rules, and only images: an ID card is a photo.
    pub fn validate(&self) -> Result<AppealPhoto, FieldError> {
        let spec = UploadRequest {
            kind: "photo".into(),
            name: self.name.clone(),
            content_type: self.content_type.clone(),
            size: self.size,
        }
        .validate()?;
        if !spec.file_type.mime.starts_with("image/") {
            return Err(FieldError::new(
                "name",
                "the ID card must be a photo (jpg, png, webp or heic)",
            ));
        }
        Ok(AppealPhoto {
            name: spec.name,
            mime: spec.file_type.mime,
            size: spec.size,
        })
    }
}

/// Where the browser sends the photo's bytes; `photo_id` names it in the appeal.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealPhotoTicket {
    pub photo_id: String,
    pub upload: UploadTarget,
}

/// `POST /api/identity-appeals`.
#[derive(Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AppealRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, required = true)
    )]
    pub real_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{17}[0-9Xx]$", required = true)
    )]
    pub id_number: String,
    /// From `POST /api/identity-appeals/photo`, after the bytes were sent.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 64)
    )]
    pub photo_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, required = true)
    )]
    pub reason: String,
    /// The appellant agrees to the personal-information notice (PIPL), as on the
    /// real-name form: on approval they become the volunteer.
    pub consent: bool,
}

impl std::fmt::Debug for AppealRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppealRequest(…)")
    }
}

/// A checked appeal.
#[derive(Debug)]
pub struct AppealDraft {
    pub real_name: String,
    pub id_number: IdNumber,
    pub photo_id: String,
    pub reason: String,
}

fn reason(field: &'static str, raw: &str) -> Result<String, FieldError> {
    text::clean(raw, MAX_REASON_CHARS, true).map_err(|e| FieldError::new(field, e))
}

impl AppealRequest {
    /// The first fault, named by its field.
    pub fn validate(&self, today: Date) -> Result<AppealDraft, FieldError> {
        let real_name = parse_real_name(&self.real_name)?;
        let id_number =
            IdNumber::parse(&self.id_number, today).map_err(|e| FieldError::new("id_number", e))?;
        let photo_id = self.photo_id.trim();
        if photo_id.is_empty() {
            return Err(FieldError::new(
                "photo_id",
                "a photo of the ID card is required",
            ));
        }
        let reason = reason("reason", &self.reason)?;
        if !self.consent {
            return Err(FieldError::new(
                "consent",
                "you must agree to the personal-information notice",
            ));
        }
        Ok(AppealDraft {
            real_name,
            id_number,
            photo_id: photo_id.to_string(),
            reason,
        })
    }
}

/// `POST /api/identity-appeals/{id}/decide`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AppealDecision {
    pub approve: bool,
    /// Required when refusing (the appellant is told why); optional when approving.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: String,
}

impl AppealDecision {
    /// The reason to record: required to refuse.
    pub fn validate(&self) -> Result<Option<String>, FieldError> {
        if self.reason.trim().is_empty() {
            if self.approve {
                return Ok(None);
            }
            return Err(FieldError::new(
                "reason",
                "say why the appeal is refused; the appellant is told",
            ));
        }
        reason("reason", &self.reason).map(Some)
    }
}

/// Who decided, when and why.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealVerdict {
    pub approved: bool,
    pub by: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What moved with the identity on approval.
    pub records_moved: u32,
    pub hours_moved: f64,
}

/// One appeal as the appellant or the deciding admin sees it. Numbers are masked.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityAppeal {
    pub id: String,
    pub status: AppealStatus,
    pub real_name: String,
    pub id_number_masked: String,
    /// The ID number's region (its address code), or where the identity was registered
    /// when that code is outside this deployment's regions: whose admins decide.
    pub region_code: String,
    pub reason: String,
    pub filed_at: String,
    /// A short-lived link to the ID card photo; admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Admins only: both accounts' phones, masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appellant_phone_masked: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_phone_masked: Option<String>,
    /// Admins only: the volunteer number and hours that would move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_volunteer_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<AppealVerdict>,
}

/// A list of appeals (a region's pending ones, or the caller's own).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityAppeals {
    pub items: Vec<IdentityAppeal>,
}

/// `GET /api/identity-appeals`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AppealQuery {
    /// region code the caller administers, e.g. 150600 (required)
    #[cfg_attr(feature = "openapi", param(required, value_type = String, pattern = "^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 6, 1).expect("date")
    }

    fn ok() -> AppealRequest {
        AppealRequest {
            real_name: "王小明".into(),
            id_number: "150602199001011238".into(),
            photo_id: "01J0000000000000000000000A".into(),
            reason: "这是我的身份证".into(),
            consent: true,
        }
    }

    fn field(r: AppealRequest) -> Option<&'static str> {
        r.validate(today()).err().map(|e| e.field)
    }

    #[test]
    fn a_complete_appeal_is_accepted() {
        assert!(ok().validate(today()).is_ok());
    }

    #[test]
    fn each_bad_part_of_an_appeal_is_named() {
        assert_eq!(
            field(AppealRequest {
                real_name: "x".into(),
                ..ok()
            }),
            Some("real_name")
        );
        assert_eq!(
            field(AppealRequest {
                id_number: "150602199001011239".into(),
                ..ok()
            }),
            Some("id_number")
        );
        assert_eq!(
            field(AppealRequest {
                photo_id: " ".into(),
                ..ok()
            }),
            Some("photo_id")
        );
        assert_eq!(
            field(AppealRequest {
                reason: "".into(),
                ..ok()
            }),
            Some("reason")
        );
        assert_eq!(
            field(AppealRequest {
                consent: false,
                ..ok()
            }),
            Some("consent")
        );
    }

    #[test]
    fn refusing_needs_a_reason_and_approving_does_not() {
        let d = |approve, reason: &str| {
            AppealDecision {
                approve,
                reason: reason.into(),
            }
            .validate()
        };
        assert_eq!(d(true, ""), Ok(None));
        assert_eq!(d(false, " ").map_err(|e| e.field), Err("reason"));
        assert_eq!(d(false, "照片不清晰"), Ok(Some("照片不清晰".into())));
    }

    #[test]
    fn only_images_are_accepted_as_the_id_card_photo() {
        let p = |name: &str| {
            AppealPhotoRequest {
                name: name.into(),
                content_type: String::new(),
                size: 1000,
            }
            .validate()
            .map(|p| p.mime)
            .map_err(|e| e.field)
        };
        assert_eq!(p("card.jpg"), Ok("image/jpeg"));
        assert_eq!(p("card.pdf"), Err("name"));
    }
}
