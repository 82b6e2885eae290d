//! The private calendar feed (订阅我的日历).

use super::{ApiError, Authorized, send};
use gloo_net::http::Method;
use zhiyuan_shared::calendar::CalendarFeed;

impl Authorized<'_> {
    /// A new feed address; the previous one stops working.
    pub async fn new_calendar_feed(&self) -> Result<CalendarFeed, ApiError> {
        send(Method::POST, "/api/me/calendar", Some(self.0), None::<&()>).await
    }
}
