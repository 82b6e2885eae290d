use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::calendar;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::calendar::CalendarFeed;
use zhiyuan_shared::time::Timestamp;

/// The origin the caller reached us at (`https://host`), for addresses inside answers: a
/// calendar app needs whole URLs. Plain http only for a local machine.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let local =
        host.starts_with("localhost") || host.starts_with("127.0.0.1") || host.starts_with("[::1]");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("http") | None if local => "http",
        _ => "https",
    };
    format!("{scheme}://{host}")
}

/// A new private calendar feed address (订阅我的日历); the previous one stops working.
#[utoipa::path(post, path = "/api/me/calendar", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = CalendarFeed), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn new_feed(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Json<CalendarFeed>, ApiError> {
    let out = calendar::new_feed(
        &state.store,
        &caller,
        &origin(&headers),
        clock::now_rfc3339(),
    )
    .await?;
    Ok(Json(out))
}

/// The feed: the owner's confirmed shifts as iCalendar (RFC 5545), times in Asia/Shanghai,
/// withdrawn and cancelled ones with `STATUS:CANCELLED`. No sign-in: the token in the
/// address is the credential. `{feed}` is `<token>.ics`.
#[utoipa::path(get, path = "/api/calendar/{feed}", tag = "accounts",
    params(("feed" = String, Path, description = "`<token>.ics`")),
    responses((status = 200, content_type = "text/calendar", body = String),
        (status = 404, body = ErrorBody, description = "unknown or revoked feed")))]
// The path holds the credential: keep it out of the trace.
#[tracing::instrument(skip_all)]
pub async fn feed(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let body = calendar::feed(
        &state.store,
        &segment,
        &origin(&headers),
        Timestamp::from_unix(clock::now_unix()),
    )
    .await?;
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    // Private: the address is personal; five minutes spares the store a calendar's polling.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"zhiyuan.ics\""),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::origin;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn feed_links_use_https_except_on_this_machine() {
        assert_eq!(
            origin(&headers(&[("host", "zy.example.cn")])),
            "https://zy.example.cn"
        );
        assert_eq!(
            origin(&headers(&[("host", "127.0.0.1:3000")])),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            origin(&headers(&[
                ("host", "abc.execute-api.cn-north-1.amazonaws.com.cn"),
                ("x-forwarded-host", "zy.example.cn")
            ])),
            "https://zy.example.cn"
        );
    }

    #[test]
    fn a_host_with_odd_characters_is_not_echoed_into_the_feed() {
        assert_eq!(
            origin(&headers(&[("host", "evil.example/<script>")])),
            "http://localhost"
        );
    }
}
