//! Uploads to an activity's archive.

use super::app::{TestApp, User};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A small file that starts the way files of this extension start (its magic bytes),
/// padded to `len` bytes.
pub fn sample_file(ext: &str, len: usize) -> Vec<u8> {
    let head: &[u8] = match ext {
        "pdf" => b"%PDF-1.7\n",
        "png" => b"\x89PNG\r\n\x1a\n",
        "jpg" | "jpeg" => &[0xFF, 0xD8, 0xFF, 0xE0],
        "docx" | "xlsx" | "pptx" => b"PK\x03\x04",
        _ => b"",
    };
    let mut bytes = head.to_vec();
    bytes.resize(len.max(head.len()), b' ');
    bytes
}

impl TestApp {
    /// Step 1 of an upload to an activity's archive: the answer (a ticket on 201).
    pub async fn request_upload(
        &self,
        user: &User,
        activity: &str,
        kind: &str,
        name: &str,
        content_type: &str,
        size: usize,
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/activities/{activity}/attachments"),
            &json!({"kind": kind, "name": name, "content_type": content_type, "size": size}),
            &user.token,
        )
        .await
    }

    /// Step 2: sends `bytes` to the ticket's upload link as a browser would (its headers,
    /// no session).
    pub async fn send_upload(&self, ticket: &Value, bytes: Vec<u8>) -> StatusCode {
        let url = ticket["upload"]["url"].as_str().expect("upload url");
        let mut req = self.http.put(format!("{}{url}", self.base)).body(bytes);
        for h in ticket["upload"]["headers"].as_array().expect("headers") {
            req = req.header(
                h[0].as_str().expect("header name"),
                h[1].as_str().expect("header value"),
            );
        }
        req.send().await.expect("upload sent").status()
    }

    /// Step 3: reports the upload done.
    pub async fn complete_upload(
        &self,
        user: &User,
        activity: &str,
        ticket: &Value,
    ) -> (StatusCode, Value) {
        let file = ticket["attachment"]["id"].as_str().expect("attachment id");
        self.post(
            &format!("/api/activities/{activity}/attachments/{file}/complete"),
            &Value::Null,
            &user.token,
        )
        .await
    }

    /// All three steps for a well-formed file; returns the stored attachment.
    pub async fn attach(&self, organizer: &User, activity: &str, kind: &str, name: &str) -> Value {
        let ext = name.rsplit('.').next().unwrap_or_default();
        let bytes = sample_file(ext, 2048);
        let (status, ticket) = self
            .request_upload(organizer, activity, kind, name, "", bytes.len())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{ticket}");
        assert_eq!(
            self.send_upload(&ticket, bytes).await,
            StatusCode::NO_CONTENT
        );
        let (status, stored) = self.complete_upload(organizer, activity, &ticket).await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        stored
    }
}
