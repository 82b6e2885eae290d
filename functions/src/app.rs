//! Builds the application. `main` functions only wire: tests start the same app
//! in-process on port 0.

use crate::config::Config;
use crate::password_pool::{self, PasswordPool};
use crate::routes::{self, Serves};
use crate::security_headers::{self, SecurityHeaders};
use crate::service::scheduled;
use crate::store::Store;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tower_http::trace::TraceLayer;

pub use crate::state::AppState;

/// The API routes one deployed function (or the local server) carries, with the security
/// headers on every response and the app's Argon2 pool in scope of every request.
pub fn api(state: AppState, serves: Serves) -> Router {
    let headers = SecurityHeaders::for_config(&state.config);
    let pool = state.config.password_pool.clone();
    routes::api(serves)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::audit::security_events,
        ))
        .layer(axum::middleware::from_fn(routes::extract::renew_sessions))
        .layer(middleware::from_fn_with_state(pool, with_password_pool))
        .layer(middleware::from_fn_with_state(
            headers,
            security_headers::apply,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

async fn with_password_pool(
    State(pool): State<PasswordPool>,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    password_pool::scope(pool, next.run(req)).await
}

/// How long the local server lets a request run before answering 503 itself.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Answers 503 (`timeout`, with `Retry-After`) when a request runs longer than `limit`;
/// the handler's work is dropped with it. A closed connection drops it too, as usual.
pub async fn time_limit(
    State(limit): State<Duration>,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let body = zhiyuan_shared::api::ErrorBody {
                error: zhiyuan_shared::api::ErrorDetail {
                    code: "timeout".into(),
                    message: format!(
                        "the request took longer than {} s and was stopped; retry",
                        limit.as_secs_f32()
                    ),
                    field: None,
                },
            };
            let mut res = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            res
        }
    }
}

/// The span of a request: its method and path, with a calendar feed's token (a
/// credential in the path) left out.
fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let path = req.uri().path();
    let path = match path.strip_prefix(crate::service::calendar::FEED_PREFIX) {
        Some(_) => format!("{}…", crate::service::calendar::FEED_PREFIX),
        None => path.to_string(),
    };
    tracing::debug_span!("request", method = %req.method(), path = %path)
}

/// The local server: the whole API plus the built SPA, whose unknown paths fall back to
/// `index.html` so client-side routes load on refresh.
/// Every response carries the security headers (the SPA's files here, the API's in `api`),
/// and no request runs longer than `REQUEST_TIMEOUT`.
pub fn local(state: AppState) -> Router {
    let headers = SecurityHeaders::for_config(&state.config);
    let spa = crate::static_files::spa(&state.config.dist_dir).layer(
        middleware::from_fn_with_state(headers, security_headers::apply),
    );
    api(state, Serves::All)
        .fallback_service(spa)
        .layer(middleware::from_fn_with_state(REQUEST_TIMEOUT, time_limit))
}

/// Connects to the configured store.
pub async fn state_from_config(config: Config) -> AppState {
    let client = crate::store::connect(config.dynamodb_endpoint.as_deref()).await;
    let files = crate::files::Files::from_config(&config).await;
    AppState {
        store: Store::new(client, config.table.clone()),
        config: Arc::new(config),
        files,
        clock: crate::clock::Clock::system(),
    }
}

/// Logs as JSON-free plain lines; personal data is never passed to a log macro.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,aws_config=warn,aws_smithy_runtime=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .without_time()
        .try_init();
}

/// The notice SMS dispatcher, locally: every few seconds, so a text follows its notice
/// about as soon as the cloud's every-minute schedule would send it.
pub async fn sms_timer(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
        if let Err(e) = scheduled::sms(&state.store, &state.config, now).await {
            tracing::warn!(error = %e, "sms dispatcher failed");
        }
    }
}

/// Runs the periodic jobs every minute, for the local server.
pub async fn scheduled_timer(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
        if let Err(e) = scheduled::run(&state.store, &state.config, &state.files, now).await {
            tracing::warn!(error = %e, "scheduled jobs failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_request_past_the_time_limit_is_answered_503_with_a_reason() {
        let app = Router::new()
            .route(
                "/slow",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .route("/quick", axum::routing::get(|| async { "on time" }))
            .layer(middleware::from_fn_with_state(
                Duration::from_millis(50),
                time_limit,
            ));
        let get = |path: &str| {
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .expect("request")
        };
        let slow = app.clone().oneshot(get("/slow")).await.expect("answer");
        assert_eq!(slow.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(slow.headers()[header::RETRY_AFTER], "1");
        let body = axum::body::to_bytes(slow.into_body(), 10_000)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["error"]["code"], "timeout");
        let quick = app.oneshot(get("/quick")).await.expect("answer");
        assert_eq!(quick.status(), StatusCode::OK);
    }
}
