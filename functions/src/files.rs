//! Where attachment bytes live: an S3 bucket in the cloud (`ZHIYUAN_FILES_BUCKET`), a
//! directory locally (`ZHIYUAN_FILES_DIR`, default `.data/uploads`). No SDK type leaves
//! this module.
//!
//! Both keep the same shape. The browser sends the bytes straight to a presigned `PUT`
//! under `incoming/`; nothing there is ever served. When the browser reports the upload
//! done, the service reads the object's size and first bytes through [`Files::probe`],
//! and only a file that is what it claimed to be is moved to `files/`, from where it is
//! offered by short-lived presigned `GET` links that force a download with the stored
//! (allow-listed) content type. What never completes is swept from `incoming/` (an S3
//! lifecycle rule in the cloud).
//!
//! Locally the presigned URLs point at this server (`PUT /api/uploads/{ticket}`, `GET
//! /api/files/{ticket}`); the ticket is an HMAC-signed, expiring description of the one
//! object and type it allows, so the local server checks what S3 would check.

use crate::crypto::{CryptoError, Keys};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use zhiyuan_shared::archive::{SNIFF_BYTES, UploadTarget};
use zhiyuan_shared::time::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("file storage failed: {0}")]
    Storage(String),
    #[error("the link is invalid or has expired")]
    BadTicket,
    #[error("the upload is larger than announced")]
    TooLarge,
    #[error("the link could not be signed: {0}")]
    Sign(#[from] CryptoError),
}

/// Where uploads are kept.
#[derive(Clone, Debug)]
pub enum Files {
    Local {
        dir: PathBuf,
    },
    S3 {
        client: aws_sdk_s3::Client,
        bucket: String,
    },
}

/// What has arrived for an object: its size and first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub size: u64,
    pub head: Vec<u8>,
}

pub fn incoming_key(activity_id: &str, file_id: &str) -> String {
    format!("incoming/{activity_id}/{file_id}")
}

pub fn stored_key(activity_id: &str, file_id: &str) -> String {
    format!("files/{activity_id}/{file_id}")
}

/// What a local link allows: one operation on one object, until `exp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// `put` or `get`.
    pub op: String,
    pub key: String,
    /// The content type sent with the bytes (put) or served (get).
    pub ct: String,
    /// Exact size (put).
    #[serde(default)]
    pub size: u64,
    /// The download's file name (get).
    #[serde(default)]
    pub name: String,
    pub exp: i64,
}

impl Ticket {
    pub fn seal(&self, keys: &Keys) -> Result<String, CryptoError> {
        let body = B64.encode(serde_json::to_vec(self).map_err(|_| CryptoError::Claims)?);
        let sig = B64.encode(keys.sign_file_ticket(body.as_bytes())?);
        Ok(format!("{body}.{sig}"))
    }

    /// The ticket, if `raw` was sealed by these keys, is for `op` and has not expired.
    pub fn open(keys: &Keys, raw: &str, op: &str, now: i64) -> Result<Ticket, FileError> {
        let (body, sig) = raw.split_once('.').ok_or(FileError::BadTicket)?;
        let sig = B64.decode(sig).map_err(|_| FileError::BadTicket)?;
        if !keys.verify_file_ticket(body.as_bytes(), &sig) {
            return Err(FileError::BadTicket);
        }
        let bytes = B64.decode(body).map_err(|_| FileError::BadTicket)?;
        let t: Ticket = serde_json::from_slice(&bytes).map_err(|_| FileError::BadTicket)?;
        if t.op != op || t.exp < now || !safe_key(&t.key) {
            return Err(FileError::BadTicket);
        }
        Ok(t)
    }
}

/// Keys are built by [`incoming_key`] / [`stored_key`] from ids; refuse anything else
/// before it touches a path.
fn safe_key(key: &str) -> bool {
    let mut parts = key.split('/');
    matches!(parts.next(), Some("incoming" | "files"))
        && parts.clone().count() == 2
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn storage<E: std::fmt::Display>(e: E) -> FileError {
    FileError::Storage(e.to_string())
}

impl Files {
    /// The configured S3 bucket, else the local directory.
    pub async fn from_config(config: &crate::config::Config) -> Files {
        match &config.files_bucket {
            Some(bucket) => Files::S3 {
                client: aws_sdk_s3::Client::new(crate::aws::shared_config().await),
                bucket: bucket.clone(),
            },
            None => Files::Local {
                dir: config.files_dir.clone(),
            },
        }
    }

    fn local_path(dir: &Path, key: &str) -> Result<PathBuf, FileError> {
        if !safe_key(key) {
            return Err(FileError::BadTicket);
        }
        Ok(dir.join(key))
    }

    /// Where the browser sends a file of exactly `size` bytes and type `content_type`.
    pub async fn upload_target(
        &self,
        keys: &Keys,
        key: &str,
        content_type: &str,
        size: u64,
        now: Timestamp,
        seconds: i64,
    ) -> Result<UploadTarget, FileError> {
        let expires_at = now.plus(seconds);
        match self {
            Files::Local { .. } => {
                let ticket = Ticket {
                    op: "put".into(),
                    key: key.into(),
                    ct: content_type.into(),
                    size,
                    name: String::new(),
                    exp: expires_at.unix(),
                };
                Ok(UploadTarget {
                    method: "PUT".into(),
                    url: format!("/api/uploads/{}", ticket.seal(keys)?),
                    headers: vec![("content-type".into(), content_type.into())],
                    expires_at: expires_at.rfc3339_cst(),
                })
            }
            Files::S3 { client, bucket } => {
                let presigned = client
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .content_type(content_type)
                    // Signed: S3 refuses a body of any other length.
                    .content_length(i64::try_from(size).map_err(storage)?)
                    .presigned(presign_config(seconds)?)
                    .await
                    .map_err(storage)?;
                Ok(UploadTarget {
                    method: "PUT".into(),
                    url: presigned.uri().to_string(),
                    // The browser sets Content-Length and Host itself and may not set them.
                    headers: presigned
                        .headers()
                        .filter(|(k, _)| {
                            !k.eq_ignore_ascii_case("content-length")
                                && !k.eq_ignore_ascii_case("host")
                        })
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                        .collect(),
                    expires_at: expires_at.rfc3339_cst(),
                })
            }
        }
    }

    /// A link that downloads the stored object under `name` with `content_type`.
    pub async fn download_url(
        &self,
        keys: &Keys,
        key: &str,
        content_type: &str,
        name: &str,
        now: Timestamp,
        seconds: i64,
    ) -> Result<String, FileError> {
        match self {
            Files::Local { .. } => {
                let ticket = Ticket {
                    op: "get".into(),
                    key: key.into(),
                    ct: content_type.into(),
                    size: 0,
                    name: name.into(),
                    exp: now.plus(seconds).unix(),
                };
                Ok(format!("/api/files/{}", ticket.seal(keys)?))
            }
            Files::S3 { client, bucket } => Ok(client
                .get_object()
                .bucket(bucket)
                .key(key)
                .response_content_type(content_type)
                .response_content_disposition(content_disposition(name))
                .presigned(presign_config(seconds)?)
                .await
                .map_err(storage)?
                .uri()
                .to_string()),
        }
    }

    /// The object's size and first [`SNIFF_BYTES`] bytes, or `None` when nothing arrived.
    pub async fn probe(&self, key: &str) -> Result<Option<Probe>, FileError> {
        match self {
            Files::Local { dir } => {
                use tokio::io::AsyncReadExt;
                let path = Self::local_path(dir, key)?;
                let mut f = match tokio::fs::File::open(&path).await {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(storage(e)),
                };
                let size = f.metadata().await.map_err(storage)?.len();
                let mut head = Vec::with_capacity(SNIFF_BYTES);
                (&mut f)
                    .take(SNIFF_BYTES as u64)
                    .read_to_end(&mut head)
                    .await
                    .map_err(storage)?;
                Ok(Some(Probe { size, head }))
            }
            Files::S3 { client, bucket } => {
                let out = client
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .range(format!("bytes=0-{}", SNIFF_BYTES - 1))
                    .send()
                    .await;
                let out = match out {
                    Ok(o) => o,
                    Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
                        return Ok(None);
                    }
                    Err(e) => return Err(storage(aws_sdk_s3::error::DisplayErrorContext(e))),
                };
                // "bytes 0-15/12345": the total after the slash.
                let size = out
                    .content_range()
                    .and_then(|r| r.rsplit('/').next())
                    .and_then(|n| n.parse().ok())
                    .or_else(|| out.content_length().and_then(|n| u64::try_from(n).ok()))
                    .unwrap_or_default();
                let head = out.body.collect().await.map_err(storage)?.to_vec();
                Ok(Some(Probe { size, head }))
            }
        }
    }

    /// Moves a checked upload from `incoming/` to `files/`.
    pub async fn promote(&self, from: &str, to: &str) -> Result<(), FileError> {
        match self {
            Files::Local { dir } => {
                let (src, dst) = (Self::local_path(dir, from)?, Self::local_path(dir, to)?);
                if let Some(parent) = dst.parent() {
                    tokio::fs::create_dir_all(parent).await.map_err(storage)?;
                }
                tokio::fs::rename(src, dst).await.map_err(storage)
            }
            Files::S3 { client, bucket } => {
                client
                    .copy_object()
                    .bucket(bucket)
                    .copy_source(format!("{bucket}/{from}"))
                    .key(to)
                    .send()
                    .await
                    .map_err(|e| storage(aws_sdk_s3::error::DisplayErrorContext(e)))?;
                self.delete(from).await
            }
        }
    }

    /// Removes an object; removing what is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        match self {
            Files::Local { dir } => match tokio::fs::remove_file(Self::local_path(dir, key)?).await
            {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(storage(e)),
            },
            Files::S3 { client, bucket } => client
                .delete_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| storage(aws_sdk_s3::error::DisplayErrorContext(e))),
        }
    }

    /// Local only: writes the bytes of a `PUT /api/uploads/{ticket}`, refusing more than
    /// the ticket's size while they stream in. A short body is written and left for the
    /// completion check to refuse, as S3 would.
    pub async fn accept_local_upload(
        &self,
        ticket: &Ticket,
        body: axum::body::Body,
    ) -> Result<(), FileError> {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let Files::Local { dir } = self else {
            return Err(FileError::BadTicket);
        };
        let path = Self::local_path(dir, &ticket.key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(storage)?;
        }
        let partial = path.with_extension("part");
        let mut out = tokio::fs::File::create(&partial).await.map_err(storage)?;
        let mut stream = body.into_data_stream();
        let mut written = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(storage)?;
            written += chunk.len() as u64;
            if written > ticket.size {
                drop(out);
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(FileError::TooLarge);
            }
            out.write_all(&chunk).await.map_err(storage)?;
        }
        out.flush().await.map_err(storage)?;
        drop(out);
        tokio::fs::rename(&partial, &path).await.map_err(storage)
    }

    /// Local only: the bytes behind a download ticket.
    pub async fn read_local(&self, ticket: &Ticket) -> Result<Option<Vec<u8>>, FileError> {
        let Files::Local { dir } = self else {
            return Err(FileError::BadTicket);
        };
        match tokio::fs::read(Self::local_path(dir, &ticket.key)?).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(storage(e)),
        }
    }
}

fn presign_config(seconds: i64) -> Result<aws_sdk_s3::presigning::PresigningConfig, FileError> {
    let secs = u64::try_from(seconds).map_err(storage)?;
    aws_sdk_s3::presigning::PresigningConfig::expires_in(Duration::from_secs(secs)).map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_secrets(&"s".repeat(32), &"p".repeat(32)).expect("keys")
    }

    fn s3() -> Files {
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new("cn-north-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKIDEXAMPLE",
                "secret",
                None,
                None,
                "test",
            ))
            .build();
        Files::S3 {
            client: aws_sdk_s3::Client::from_conf(conf),
            bucket: "zhiyuan-files".into(),
        }
    }

    #[tokio::test]
    async fn an_s3_upload_link_signs_the_type_and_the_exact_length_and_expires() {
        let now = Timestamp::from_unix(1_780_000_000);
        let t = s3()
            .upload_target(&keys(), "incoming/A1/F1", "application/pdf", 1234, now, 900)
            .await
            .expect("presigned");
        assert_eq!(t.method, "PUT");
        assert!(t.url.contains("zhiyuan-files"), "{}", t.url);
        assert!(t.url.contains("X-Amz-Expires=900"), "{}", t.url);
        let signed = t
            .url
            .split('&')
            .find(|p| p.starts_with("X-Amz-SignedHeaders="))
            .unwrap_or_default()
            .to_string();
        assert!(signed.contains("content-length"), "{signed}");
        assert!(signed.contains("content-type"), "{signed}");
        assert!(
            t.headers
                .iter()
                .any(|(k, v)| k == "content-type" && v == "application/pdf")
        );
        assert!(!t.headers.iter().any(|(k, _)| k == "content-length"));
    }

    #[tokio::test]
    async fn an_s3_download_link_forces_a_download_with_the_stored_type() {
        let url = s3()
            .download_url(
                &keys(),
                "files/A1/F1",
                "image/png",
                "合影.png",
                Timestamp::from_unix(1_780_000_000),
                900,
            )
            .await
            .expect("presigned");
        assert!(
            url.contains("response-content-disposition=attachment"),
            "{url}"
        );
        assert!(url.contains("response-content-type=image%2Fpng"), "{url}");
    }

    #[test]
    fn local_tickets_are_refused_when_forged_expired_for_another_use_or_off_the_tree() {
        let k = keys();
        let t = Ticket {
            op: "put".into(),
            key: "incoming/A1/F1".into(),
            ct: "application/pdf".into(),
            size: 10,
            name: String::new(),
            exp: 100,
        };
        let sealed = t.seal(&k).expect("seals");
        assert_eq!(Ticket::open(&k, &sealed, "put", 50).ok(), Some(t.clone()));
        assert!(Ticket::open(&k, &sealed, "put", 101).is_err(), "expired");
        assert!(Ticket::open(&k, &sealed, "get", 50).is_err(), "other use");
        let other = Keys::from_secrets(&"x".repeat(32), &"p".repeat(32)).expect("keys");
        assert!(
            Ticket::open(&other, &sealed, "put", 50).is_err(),
            "other keys"
        );
        let bigger = Ticket {
            size: 10_000,
            ..t.clone()
        };
        let (_, sig) = sealed.split_once('.').unwrap_or_default();
        let forged = format!(
            "{}.{sig}",
            bigger
                .seal(&k)
                .expect("seals")
                .split_once('.')
                .unwrap_or_default()
                .0
        );
        assert!(
            Ticket::open(&k, &forged, "put", 50).is_err(),
            "changed body"
        );
        let escape = Ticket {
            key: "incoming/../../etc".into(),
            ..t
        };
        assert!(
            Ticket::open(&k, &escape.seal(&k).expect("seals"), "put", 50).is_err(),
            "path"
        );
    }

    #[test]
    fn download_names_are_quoted_safely_and_kept_in_utf8() {
        assert_eq!(
            content_disposition("合影 1.png"),
            "attachment; filename=\"__ 1.png\"; filename*=UTF-8''%E5%90%88%E5%BD%B1%201.png"
        );
    }
}
