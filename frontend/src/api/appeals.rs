//! Identity appeals (身份证被占用): filing one, following it, and a region admin's queue.

use super::{ApiError, Authorized, enc, send};
use gloo_net::http::Method;
use zhiyuan_shared::appeal::{
    AppealDecision, AppealPhotoRequest, AppealPhotoTicket, AppealRequest, IdentityAppeal,
    IdentityAppeals,
};

impl Authorized<'_> {
    pub async fn appeal_photo(
        &self,
        req: &AppealPhotoRequest,
    ) -> Result<AppealPhotoTicket, ApiError> {
        send(
            Method::POST,
            "/api/identity-appeals/photo",
            Some(self.0),
            Some(req),
        )
        .await
    }
    pub async fn file_appeal(&self, req: &AppealRequest) -> Result<IdentityAppeal, ApiError> {
        send(
            Method::POST,
            "/api/identity-appeals",
            Some(self.0),
            Some(req),
        )
        .await
    }
    pub async fn my_appeals(&self) -> Result<IdentityAppeals, ApiError> {
        send(
            Method::GET,
            "/api/me/identity-appeals",
            Some(self.0),
            None::<&()>,
        )
        .await
    }
    pub async fn pending_appeals(&self, region: &str) -> Result<IdentityAppeals, ApiError> {
        let url = format!("/api/identity-appeals?region={}", enc(region));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn decide_appeal(
        &self,
        id: &str,
        decision: &AppealDecision,
    ) -> Result<IdentityAppeal, ApiError> {
        let url = format!("/api/identity-appeals/{}/decide", enc(id));
        send(Method::POST, &url, Some(self.0), Some(decision)).await
    }
}
