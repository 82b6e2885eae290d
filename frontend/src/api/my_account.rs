//! "My account" calls: change the password, download my data, close the account.

use super::{ApiError, Authorized, send};
use gloo_net::http::Method;
use zhiyuan_shared::my_account::{ChangePasswordRequest, ChangePasswordResponse, CloseRequest};

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
    pub async fn close_account(&self, req: &CloseRequest) -> Result<(), ApiError> {
        send(Method::POST, "/api/me/close", Some(self.0), Some(req)).await
    }
}
