//! Needs taken to done (posted, claimed, done), ready to be rated (评单).

use crate::{TestApp, User};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A need's body in `region` (at a place in 东胜区; the region decides its counters).
pub fn need_body_in(region: &str) -> Value {
    json!({
        "title": "独居老人每周助餐",
        "description": "王奶奶腿脚不便，需要每周送两次午餐",
        "service_target": "empty_nest_elderly",
        "address": "东胜区铁西街道建设社区",
        "lat": 39.817,
        "lng": 109.977,
        "region_code": region,
        "when": "每周二、周五中午",
    })
}

impl TestApp {
    /// A need `resident` posted in `region`, claimed by `org` and marked done by its
    /// organizer: its id.
    pub async fn done_need(
        &self,
        resident: &User,
        organizer: &User,
        org: &str,
        region: &str,
    ) -> String {
        let id = self.claimed_need(resident, organizer, org, region).await;
        let (status, done) = self
            .post(
                &format!("/api/needs/{id}/complete"),
                &Value::Null,
                &organizer.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        id
    }

    /// A need `resident` posted in `region` and `org` claimed (not done): its id.
    pub async fn claimed_need(
        &self,
        resident: &User,
        organizer: &User,
        org: &str,
        region: &str,
    ) -> String {
        let (status, need) = self
            .post("/api/needs", &need_body_in(region), &resident.token)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{need}");
        let id = need["id"].as_str().expect("need id").to_string();
        let (status, claimed) = self
            .post(
                &format!("/api/needs/{id}/claim"),
                &json!({ "org_id": org }),
                &organizer.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{claimed}");
        id
    }

    /// `rater` rates need `id`: the status and the answer.
    pub async fn rate_need(
        &self,
        rater: &User,
        id: &str,
        stars: u8,
        comment: &str,
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/needs/{id}/rating"),
            &json!({ "stars": stars, "comment": comment }),
            &rater.token,
        )
        .await
    }
}
