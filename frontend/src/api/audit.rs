//! The personal-data trail: my own, and a region's for its admins.

use super::{ApiError, Authorized, enc, send};
use gloo_net::http::Method;
use zhiyuan_shared::api::Page;
use zhiyuan_shared::audit::PersonalDataView;

impl Authorized<'_> {
    /// `region` None: the caller's own trail; else the region's (admins). `cursor` empty
    /// for the first page.
    pub async fn personal_data_views(
        &self,
        region: Option<&str>,
        cursor: &str,
    ) -> Result<Page<PersonalDataView>, ApiError> {
        let mut url = match region {
            Some(r) => format!("/api/audit/personal-data?region={}", enc(r)),
            None => "/api/me/personal-data-views?".to_string(),
        };
        if !cursor.is_empty() {
            url.push_str(&format!("&cursor={}", enc(cursor)));
        }
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
}
