//! Rating needs (评单): a need's rating, an organisation's ratings, rating and replying.

use super::{ApiError, Authorized, enc, get_json, send};
use gloo_net::http::Method;
use zhiyuan_shared::need_rating::{NeedRating, OrgRatings, RatingInput, ReplyInput};

/// A need's rating; 404 while it has none.
pub async fn need_rating(id: &str) -> Result<NeedRating, ApiError> {
    get_json(&format!("/api/needs/{}/rating", enc(id))).await
}

/// An organisation's average, count and recent ratings.
pub async fn org_ratings(id: &str) -> Result<OrgRatings, ApiError> {
    get_json(&format!("/api/orgs/{}/ratings", enc(id))).await
}

impl Authorized<'_> {
    pub async fn rate_need(&self, id: &str, input: &RatingInput) -> Result<NeedRating, ApiError> {
        let url = format!("/api/needs/{}/rating", enc(id));
        send(Method::POST, &url, Some(self.0), Some(input)).await
    }

    pub async fn reply_to_rating(
        &self,
        id: &str,
        input: &ReplyInput,
    ) -> Result<NeedRating, ApiError> {
        let url = format!("/api/needs/{}/rating/reply", enc(id));
        send(Method::POST, &url, Some(self.0), Some(input)).await
    }
}
