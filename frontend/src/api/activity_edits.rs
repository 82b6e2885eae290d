//! Editing an activity: its answer is the activity, or (409 `overlaps_found`) the
//! volunteers whose shifts the new times would make overlap, or (409
//! `occurrences_refused`, "edit all future") the later occurrences that cannot take it.

use super::{ApiError, Authorized, enc, error_of};
use gloo_net::http::{Method, RequestBuilder};
use zhiyuan_shared::activity::{
    Activity, ActivityEditInput, EditConflict, EditOverlap, RefusedOccurrence,
};

/// What an edit came to.
pub enum EditAnswer {
    Saved(Box<Activity>),
    /// Nothing was saved: these volunteers' shifts would overlap; send again confirmed.
    Overlaps(Vec<EditOverlap>),
    /// Nothing was saved: these later occurrences cannot take the edit.
    Refused(Vec<RefusedOccurrence>),
}

impl Authorized<'_> {
    /// Edits an activity; with `future` (an occurrence of a regular activity) also every
    /// later occurrence (`scope=future`).
    pub async fn edit_activities(
        &self,
        id: &str,
        input: &ActivityEditInput,
        future: bool,
    ) -> Result<EditAnswer, ApiError> {
        let scope = if future { "?scope=future" } else { "" };
        let url = format!("/api/activities/{}{scope}", enc(id));
        let resp = RequestBuilder::new(&url)
            .method(Method::PUT)
            .header("Authorization", &format!("Bearer {}", self.0))
            .json(input)
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        if resp.ok() {
            return resp
                .json::<Activity>()
                .await
                .map(|a| EditAnswer::Saved(Box::new(a)))
                .map_err(|_| ApiError::Network);
        }
        if resp.status() == 409 {
            let text = resp.text().await.map_err(|_| ApiError::Network)?;
            return match serde_json::from_str::<EditConflict>(&text) {
                Ok(EditConflict {
                    overlaps: Some(o), ..
                }) => Ok(EditAnswer::Overlaps(o)),
                Ok(EditConflict {
                    refused: Some(r), ..
                }) => Ok(EditAnswer::Refused(r)),
                Ok(c) => Err(ApiError::Api {
                    status: 409,
                    code: c.error.code,
                    message: c.error.message,
                    field: c.error.field,
                }),
                Err(_) => Err(ApiError::Network),
            };
        }
        Err(error_of(resp, "internal").await)
    }

    /// Cancels this occurrence of a regular activity and every later one.
    pub async fn cancel_series(&self, id: &str, reason: &str) -> Result<Activity, ApiError> {
        let url = format!("/api/activities/{}/series/cancel", enc(id));
        let body = zhiyuan_shared::activity::CancelActivityRequest {
            reason: reason.to_string(),
        };
        super::send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
}
