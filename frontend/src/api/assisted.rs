//! Assisted registration (代注册): the helper's code request and the registration.

use super::{ApiError, Authorized, send};
use gloo_net::http::Method;
use zhiyuan_shared::assisted::{
    AssistedCodeRequest, AssistedRegistration, AssistedRegistrationRequest,
};

impl Authorized<'_> {
    /// Sends the resident's phone an `assisted_register` code (202).
    pub async fn assisted_code(&self, req: &AssistedCodeRequest) -> Result<(), ApiError> {
        send(
            Method::POST,
            "/api/assisted-registrations/codes",
            Some(self.0),
            Some(req),
        )
        .await
    }
    pub async fn register_resident(
        &self,
        req: &AssistedRegistrationRequest,
    ) -> Result<AssistedRegistration, ApiError> {
        send(
            Method::POST,
            "/api/assisted-registrations",
            Some(self.0),
            Some(req),
        )
        .await
    }
}
