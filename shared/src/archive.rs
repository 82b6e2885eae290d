//! The activity archive (活动档案, SPEC §11): after an activity its organizers attach the
//! plan, the briefing, photos and the record list.
//!
//! Only images and PDF/Office documents are accepted, each type with its own size limit.
//! What a file claims to be is checked three times: the declared content type must be on
//! the list, the name's extension must belong to it, and the bytes that arrive must start
//! the way that type starts (magic bytes). Names are sanitised before they are stored.

use crate::slug_enum;
use crate::station::FieldError;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// What an attachment is, for grouping in the archive.
    AttachmentKind {
        Plan = "plan",
        Briefing = "briefing",
        Photo = "photo",
        Records = "records",
        Other = "other",
        /// A volunteer's evidence for hours served without the app (补录): a photo or the
        /// paper sign-in sheet.
        Evidence = "evidence",
    }
}

const MB: u64 = 1024 * 1024;

/// A content type the archive accepts.
#[derive(Debug, PartialEq, Eq)]
pub struct FileType {
    pub mime: &'static str,
    /// Lower-case extensions, without the dot; the first is the canonical one.
    pub extensions: &'static [&'static str],
    pub max_bytes: u64,
    magic: Magic,
}

#[derive(Debug, PartialEq, Eq)]
enum Magic {
    /// The file starts with these bytes.
    Prefix(&'static [u8]),
    /// RIFF container of this form (WebP).
    Riff(&'static [u8; 4]),
    /// ISO base media file with one of these major brands (HEIC from phones).
    Ftyp(&'static [&'static [u8; 4]]),
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Every accepted type. No SVG, HTML or anything else a browser would run.
pub const FILE_TYPES: &[FileType] = &[
    FileType {
        mime: "image/jpeg",
        extensions: &["jpg", "jpeg"],
        max_bytes: 10 * MB,
        magic: Magic::Prefix(&[0xFF, 0xD8, 0xFF]),
    },
    FileType {
        mime: "image/png",
        extensions: &["png"],
        max_bytes: 10 * MB,
        magic: Magic::Prefix(b"\x89PNG\r\n\x1a\n"),
    },
    FileType {
        mime: "image/webp",
        extensions: &["webp"],
        max_bytes: 10 * MB,
        magic: Magic::Riff(b"WEBP"),
    },
    FileType {
        mime: "image/heic",
        extensions: &["heic", "heif"],
        max_bytes: 10 * MB,
        magic: Magic::Ftyp(&[b"heic", b"heix", b"mif1", b"msf1"]),
    },
    FileType {
        mime: "application/pdf",
        extensions: &["pdf"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(b"%PDF-"),
    },
    FileType {
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        extensions: &["docx"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(ZIP),
    },
    FileType {
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extensions: &["xlsx"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(ZIP),
    },
    FileType {
        mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        extensions: &["pptx"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(ZIP),
    },
    FileType {
        mime: "application/msword",
        extensions: &["doc"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(OLE),
    },
    FileType {
        mime: "application/vnd.ms-excel",
        extensions: &["xls"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(OLE),
    },
    FileType {
        mime: "application/vnd.ms-powerpoint",
        extensions: &["ppt"],
        max_bytes: 20 * MB,
        magic: Magic::Prefix(OLE),
    },
];

/// How many bytes of a file [`FileType::matches`] needs to see.
pub const SNIFF_BYTES: usize = 16;

/// At most this many files per activity.
pub const MAX_ATTACHMENTS: usize = 60;

/// Upload and download links last this long (seconds).
pub const LINK_SECONDS: i64 = 15 * 60;

/// What the file input's `accept` attribute lists.
pub fn accept_attribute() -> String {
    FILE_TYPES
        .iter()
        .flat_map(|t| t.extensions.iter().map(|e| format!(".{e}")))
        .collect::<Vec<_>>()
        .join(",")
}

impl FileType {
    pub fn by_mime(mime: &str) -> Option<&'static FileType> {
        let m = mime.trim().to_ascii_lowercase();
        FILE_TYPES.iter().find(|t| t.mime == m)
    }

    /// The type an extension stands for, when the browser gave no content type.
    pub fn by_extension(ext: &str) -> Option<&'static FileType> {
        let e = ext.to_ascii_lowercase();
        FILE_TYPES
            .iter()
            .find(|t| t.extensions.contains(&e.as_str()))
    }

    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/")
    }

    /// Whether `head` (the file's first bytes) starts the way this type starts.
    pub fn matches(&self, head: &[u8]) -> bool {
        match self.magic {
            Magic::Prefix(p) => head.starts_with(p),
            Magic::Riff(form) => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == form,
            Magic::Ftyp(brands) => {
                head.len() >= 12
                    && &head[4..8] == b"ftyp"
                    && brands.iter().any(|b| &head[8..12] == *b)
            }
        }
    }
}

/// `POST /api/activities/{id}/attachments`: what the browser is about to upload.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UploadRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = AttachmentKind, required = true))]
    pub kind: String,
    /// The file's name on the organizer's computer.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, required = true, max_length = 255)
    )]
    pub name: String,
    /// The file's content type as the browser reports it; empty means "from the name".
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub content_type: String,
    /// Its size in bytes.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, required = true))]
    pub size: u64,
}

/// A checked [`UploadRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct UploadSpec {
    pub kind: AttachmentKind,
    pub name: String,
    pub file_type: &'static FileType,
    pub size: u64,
}

/// Longest stored name, in characters, extension included.
pub const MAX_NAME_CHARS: usize = 80;

/// A name safe to store and to offer back as a download name: the last path component,
/// without control characters, quotes, slashes or characters Windows forbids, no leading
/// dots, at most [`MAX_NAME_CHARS`] characters with the extension kept. Chinese names
/// stay as they are.
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*;%`$'".contains(c) {
                '_'
            } else if c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches(['.', ' ']).to_string();
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned;
    }
    match cleaned.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 8 => {
            let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
            format!("{}.{ext}", stem.chars().take(keep).collect::<String>())
        }
        _ => cleaned.chars().take(MAX_NAME_CHARS).collect(),
    }
}

fn extension(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty())
}

impl UploadRequest {
    /// Checks kind, name, type and size; the first fault is named.
    pub fn validate(&self) -> Result<UploadSpec, FieldError> {
        let kind = AttachmentKind::from_slug(self.kind.trim()).ok_or_else(|| {
            FieldError::new(
                "kind",
                "must be plan, briefing, photo, records, other or evidence",
            )
        })?;
        let name = sanitize_name(&self.name);
        let Some(ext) = extension(&name) else {
            return Err(FieldError::new(
                "name",
                "needs an extension such as .pdf or .jpg",
            ));
        };
        if name.len() == ext.len() + 1 {
            return Err(FieldError::new(
                "name",
                "must have a name before the extension",
            ));
        }
        let by_name = FileType::by_extension(ext).ok_or_else(|| {
            FieldError::new(
                "name",
                "only images (jpg, png, webp, heic) and PDF or Office documents are accepted",
            )
        })?;
        let file_type = if self.content_type.trim().is_empty() {
            by_name
        } else {
            let declared = FileType::by_mime(&self.content_type).ok_or_else(|| {
                FieldError::new(
                    "content_type",
                    "only images (jpg, png, webp, heic) and PDF or Office documents are accepted",
                )
            })?;
            if declared != by_name {
                return Err(FieldError::new(
                    "content_type",
                    format!("does not match the file's extension .{ext}"),
                ));
            }
            declared
        };
        if self.size == 0 {
            return Err(FieldError::new("size", "the file is empty"));
        }
        if self.size > file_type.max_bytes {
            return Err(FieldError::new(
                "size",
                format!(
                    "must be at most {} MB for this type",
                    file_type.max_bytes / MB
                ),
            ));
        }
        Ok(UploadSpec {
            kind,
            name,
            file_type,
            size: self.size,
        })
    }
}

slug_enum! {
    /// Pending until the upload has arrived and its bytes were checked.
    AttachmentStatus {
        Pending = "pending",
        Stored = "stored",
    }
}

/// One file of an activity's archive.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    pub activity_id: String,
    pub kind: AttachmentKind,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub status: AttachmentStatus,
    /// The uploader's display name.
    pub uploaded_by: String,
    pub uploaded_at: String,
    /// A link that downloads the file (never opens it in the page), valid for
    /// [`LINK_SECONDS`]; images may be shown with `<img>`. Absent while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

/// Where and how the browser sends the file's bytes: a presigned `PUT`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadTarget {
    pub method: String,
    pub url: String,
    /// Headers to send with the bytes, exactly as given (they are part of the signature).
    pub headers: Vec<(String, String)>,
    pub expires_at: String,
}

/// The answer to an upload request: the pending attachment and where to send it. After
/// the `PUT`, the browser calls `…/attachments/{id}/complete`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadTicket {
    pub attachment: Attachment,
    pub upload: UploadTarget,
}

/// `GET /api/activities/{id}/attachments`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentList {
    pub items: Vec<Attachment>,
    /// Whether the caller may add and remove files (the activity's organizers).
    pub can_upload: bool,
    pub max_files: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: &str, name: &str, ct: &str, size: u64) -> UploadRequest {
        UploadRequest {
            kind: kind.into(),
            name: name.into(),
            content_type: ct.into(),
            size,
        }
    }

    #[test]
    fn a_photo_and_a_plan_are_accepted_with_their_names_kept() {
        let p = req("photo", "合影.JPG", "image/jpeg", 2 * MB).validate();
        assert_eq!(p.as_ref().map(|s| s.name.as_str()), Ok("合影.JPG"));
        let d = req("plan", "方案.docx", "", 100).validate().expect("valid");
        assert_eq!(
            d.file_type.mime,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
    }

    #[test]
    fn scripts_pages_and_unknown_types_are_refused_by_name_and_by_type() {
        let field = |r: UploadRequest| r.validate().err().map(|e| e.field);
        assert_eq!(field(req("other", "x.html", "text/html", 10)), Some("name"));
        assert_eq!(
            field(req("photo", "x.svg", "image/svg+xml", 10)),
            Some("name")
        );
        assert_eq!(field(req("other", "run.exe", "", 10)), Some("name"));
        assert_eq!(
            field(req("other", "noext", "application/pdf", 10)),
            Some("name")
        );
        assert_eq!(
            field(req("other", "x.pdf", "text/html", 10)),
            Some("content_type")
        );
        assert_eq!(
            field(req("photo", "x.jpg", "image/png", 10)),
            Some("content_type")
        );
        assert_eq!(field(req("video", "x.jpg", "", 10)), Some("kind"));
    }

    #[test]
    fn sizes_are_limited_per_type_and_empty_files_refused() {
        let field = |r: UploadRequest| r.validate().err().map(|e| e.field);
        assert_eq!(field(req("photo", "a.png", "", 0)), Some("size"));
        assert_eq!(field(req("photo", "a.png", "", 10 * MB + 1)), Some("size"));
        assert_eq!(field(req("plan", "a.pdf", "", 20 * MB)), None);
    }

    #[test]
    fn names_lose_paths_control_characters_quotes_and_leading_dots() {
        assert_eq!(sanitize_name("C:\\Users\\王\\活动方案.pdf"), "活动方案.pdf");
        assert_eq!(sanitize_name("../../etc/passwd.pdf"), "passwd.pdf");
        assert_eq!(sanitize_name("..hidden.pdf"), "hidden.pdf");
        assert_eq!(sanitize_name("a\"b\r\n;c.pdf"), "a_b___c.pdf");
        let long = format!("{}.pdf", "长".repeat(200));
        let s = sanitize_name(&long);
        assert_eq!(s.chars().count(), MAX_NAME_CHARS);
        assert!(s.ends_with(".pdf"));
    }

    #[test]
    fn bytes_are_recognised_by_how_each_type_starts() {
        let t = |m: &str| FileType::by_mime(m).expect("known");
        assert!(t("image/png").matches(b"\x89PNG\r\n\x1a\n...."));
        assert!(!t("image/png").matches(b"<html><script>"));
        assert!(t("image/webp").matches(b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(!t("image/webp").matches(b"RIFF\0\0\0\0WAVEfmt "));
        assert!(t("image/heic").matches(b"\0\0\0\x18ftypheic\0\0"));
        assert!(t("application/pdf").matches(b"%PDF-1.7\n"));
        assert!(!t("application/pdf").matches(b"MZ\x90\0"));
        assert!(t("application/msword").matches(OLE));
    }
}
