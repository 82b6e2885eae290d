//! "My account" calls: change the password, download my data, close the account.

use super::{ApiError, Authorized, send};
use gloo_net::http::Method;
use zhiyuan_shared::my_account::{
    ChangePasswordRequest, ChangePasswordResponse, CloseRequest, RecheckRequest, RecheckResponse,
};

impl Authorized<'_> {
    pub async fn change_password(
        &self,
        req: &ChangePasswordRequest,
    ) -> Result<ChangePasswordResponse, ApiError> {
        send(Method::POST, "/api/me/password", Some(self.0), Some(req)).await
    }
    /// 我的数据, kept as the server wrote it so the file holds every field it sent.
    pub async fn my_data(&self) -> Result<serde_json::Value, ApiError> {
        send(Method::GET, "/api/me/export", Some(self.0), None::<&()>).await
    }
    /// Enters the password or a code again; the answer's token opens reveal and the
    /// exports for 5 minutes.
    pub async fn recheck(&self, req: &RecheckRequest) -> Result<RecheckResponse, ApiError> {
        send(Method::POST, "/api/me/recheck", Some(self.0), Some(req)).await
    }
    /// Sends a code to the account's own phone (for a re-check or closing by code).
    pub async fn recheck_code(&self) -> Result<(), ApiError> {
        send(
            Method::POST,
            "/api/me/recheck/code",
            Some(self.0),
            None::<&()>,
        )
        .await
    }
    pub async fn close_account(&self, req: &CloseRequest) -> Result<(), ApiError> {
        send(Method::POST, "/api/me/close", Some(self.0), Some(req)).await
    }
}
