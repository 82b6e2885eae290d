//! Hours with evidence (补录): applying, following one's applications, and the
//! organisation's review queue.

use super::{ApiError, Authorized, enc, send};
use gloo_net::http::Method;
use zhiyuan_shared::activity::Activity;
use zhiyuan_shared::api::Page;
use zhiyuan_shared::backfill::{Backfill, BackfillRequest, Backfills, RefuseBackfill};
use zhiyuan_shared::query::{ActivitiesQuery, PageQuery, to_query_string};

/// The organisation's activities still running at or after `from` (RFC 3339), cancelled
/// ones included: where a 补录 application picks its activity.
pub async fn org_activities_since(org: &str, from: &str) -> Result<Page<Activity>, ApiError> {
    let url = format!(
        "/api/activities{}",
        to_query_string(&ActivitiesQuery {
            org_id: Some(org.to_string()),
            from: Some(from.to_string()),
            limit: Some("100".into()),
            ..ActivitiesQuery::default()
        })
    );
    super::get_json(&url).await
}

impl Authorized<'_> {
    pub async fn apply_backfill(
        &self,
        org: &str,
        req: &BackfillRequest,
    ) -> Result<Backfill, ApiError> {
        let url = format!("/api/orgs/{}/backfills", enc(org));
        send(Method::POST, &url, Some(self.0), Some(req)).await
    }
    pub async fn my_backfills(&self) -> Result<Backfills, ApiError> {
        let url = format!(
            "/api/me/backfills{}",
            to_query_string(&PageQuery::first(50))
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn org_backfills(&self, org: &str) -> Result<Backfills, ApiError> {
        let url = format!(
            "/api/orgs/{}/backfills{}",
            enc(org),
            to_query_string(&PageQuery::first(50))
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn approve_backfill(&self, id: &str) -> Result<Backfill, ApiError> {
        let url = format!("/api/backfills/{}/approve", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn refuse_backfill(&self, id: &str, reason: &str) -> Result<Backfill, ApiError> {
        let url = format!("/api/backfills/{}/refuse", enc(id));
        let body = RefuseBackfill {
            reason: reason.to_string(),
        };
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
}
