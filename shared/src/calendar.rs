//! The private calendar feed (订阅我的日历).

use serde::{Deserialize, Serialize};

/// `POST /api/me/calendar`: the new feed; the previous one stopped working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    /// The whole address (`https://…/api/calendar/<token>.ics`), for a calendar app to
    /// subscribe to. The token in it is the only credential: keep it private.
    pub url: String,
    /// The same address without the origin.
    pub path: String,
}

/// The `webcal://` form of a feed address, which phones open in their calendar app.
pub fn webcal(url: &str) -> String {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    format!("webcal://{rest}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_feed_address_opens_as_webcal() {
        assert_eq!(
            super::webcal("https://zy.example.cn/api/calendar/abc.ics"),
            "webcal://zy.example.cn/api/calendar/abc.ics"
        );
        assert_eq!(
            super::webcal("http://localhost:3000/api/calendar/abc.ics"),
            "webcal://localhost:3000/api/calendar/abc.ics"
        );
    }
}
