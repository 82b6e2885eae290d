//! Guardian consent for volunteers aged 14 to 17.

use super::{ApiError, Authorized, send};
use gloo_net::http::Method;
use zhiyuan_shared::guardian::{GuardianConsent, GuardianConsentRequest};

impl Authorized<'_> {
    pub async fn guardian_consent(
        &self,
        req: &GuardianConsentRequest,
    ) -> Result<GuardianConsent, ApiError> {
        send(
            Method::POST,
            "/api/me/guardian-consent",
            Some(self.0),
            Some(req),
        )
        .await
    }
}
