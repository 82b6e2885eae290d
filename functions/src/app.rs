//! Builds the application. `main` functions only wire: tests start the same app
//! in-process on port 0.

use crate::config::{Config, ConfigError, SessionSecret};
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
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
        // JSON compressed as it is sent (brotli or gzip, as the browser accepts): a page of
        // 100 stations is 27 kB as text and a fifth of that compressed, on a phone's slow
        // network. (No BREACH-style guessing of secrets from sizes: a signed-in answer
        // needs the bearer header, which another site's page cannot make a browser send.) Here rather than at the CDN, so the local stack, API Gateway and
        // CloudFront all send the same bytes (lambda_http passes an encoded body as
        // base64). Level 4: most of the gain for well under a millisecond of CPU.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
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

/// The requests a server is still working on, answered or not. A request past the time
/// limit is answered 503 while its work runs on to the end (as a Lambda's does after API
/// Gateway stops waiting), so a write is never cut off between being sent to the store and
/// its answer; tests wait for this to reach zero before reading what the store holds.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<AtomicUsize>);

/// One request's work, counted in [`InFlight`] until it is dropped.
struct Working(Arc<AtomicUsize>);

impl Drop for Working {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl InFlight {
    fn start(&self) -> Working {
        self.0.fetch_add(1, Ordering::SeqCst);
        Working(self.0.clone())
    }

    /// How many requests are being worked on now.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    /// Waits until no request is being worked on: every write a request sent has had
    /// its answer.
    pub async fn settled(&self) {
        while self.count() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The time limit of the local server's requests, and the work they leave running.
#[derive(Debug, Clone)]
pub struct TimeLimit {
    pub limit: Duration,
    pub in_flight: InFlight,
}

/// Answers 503 (`timeout`, with `Retry-After`) when a request runs longer than `limit`.
/// The handler's work goes on in its own task until it ends, so the store never sees a
/// write sent and then abandoned (its outcome the client can learn by retrying with the
/// same token); a closed connection leaves it running too.
pub async fn time_limit(
    State(TimeLimit { limit, in_flight }): State<TimeLimit>,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    let working = in_flight.start();
    let work = tokio::spawn(async move {
        let _working = working;
        next.run(req).await
    });
    match tokio::time::timeout(limit, work).await {
        Ok(Ok(res)) => res,
        // The handler panicked: as if it had run here.
        Ok(Err(e)) => std::panic::resume_unwind(e.into_panic()),
        Err(_) => {
            let body = zhiyuan_shared::api::ErrorBody {
                error: zhiyuan_shared::api::ErrorDetail {
                    code: "timeout".into(),
                    message: format!(
                        "no answer within {} s; retry (with the same client_token, if any)",
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
    local_counted(state, InFlight::default())
}

/// [`local`], counting the requests it is working on in `in_flight`.
pub fn local_counted(state: AppState, in_flight: InFlight) -> Router {
    let headers = SecurityHeaders::for_config(&state.config);
    let spa = crate::static_files::spa(&state.config.dist_dir).layer(
        middleware::from_fn_with_state(headers, security_headers::apply),
    );
    api(state, Serves::All)
        .fallback_service(spa)
        .layer(middleware::from_fn_with_state(
            TimeLimit {
                limit: REQUEST_TIMEOUT,
                in_flight,
            },
            time_limit,
        ))
}

/// How long a cold start waits for the table's first answer.
const WARM_UP_LIMIT: Duration = Duration::from_secs(1);

/// A Lambda function's state at cold start. The table's connection is opened (one read,
/// [`Store::warm_up`]) while the secrets are fetched, so neither the connection nor the
/// SDK's first-call set-up waits in the first request's path: both are round trips,
/// and a cold start's first answer is what a person waits for.
pub async fn cold_start(session: SessionSecret) -> Result<AppState, ConfigError> {
    let opening = async {
        let client = crate::store::connect(Config::dynamodb_endpoint_from_env().as_deref()).await;
        let store = Store::new(client, Config::table_from_env());
        // Bounded: a table out of reach must not hold the start past Lambda's init limit
        // with the SDK's retries; the first request then reports it.
        let _ = tokio::time::timeout(WARM_UP_LIMIT, store.warm_up()).await;
        store
    };
    let (store, config) = tokio::join!(opening, Config::load(session));
    let config = config?;
    let files = crate::files::Files::from_config(&config).await;
    Ok(AppState {
        store,
        config: Arc::new(config),
        files,
        clock: crate::clock::Clock::system(),
    })
}

/// The state of the local server and the operator's commands, from their configuration.
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
                TimeLimit {
                    limit: Duration::from_millis(50),
                    in_flight: InFlight::default(),
                },
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

    /// A write still under way when the time limit answers 503 is not cut off between
    /// being sent and being answered: it runs to its end, and the server counts it as in
    /// flight until then, so what the store holds can be read once it has settled.
    #[tokio::test]
    async fn a_request_past_the_time_limit_still_runs_its_work_to_the_end() {
        let written = Arc::new(AtomicUsize::new(0));
        let in_flight = InFlight::default();
        let app = Router::new()
            .route(
                "/write",
                axum::routing::post({
                    let written = written.clone();
                    move || async move {
                        // The store is slow to answer the write.
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        written.fetch_add(1, Ordering::SeqCst);
                        "written"
                    }
                }),
            )
            .layer(middleware::from_fn_with_state(
                TimeLimit {
                    limit: Duration::from_millis(50),
                    in_flight: in_flight.clone(),
                },
                time_limit,
            ));
        let req = axum::http::Request::post("/write")
            .body(axum::body::Body::empty())
            .expect("request");
        let answer = app.oneshot(req).await.expect("answer");
        assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(in_flight.count(), 1, "the write is still under way");
        tokio::time::timeout(Duration::from_secs(5), in_flight.settled())
            .await
            .expect("the work ends");
        assert_eq!(
            written.load(Ordering::SeqCst),
            1,
            "the write ran to its end"
        );
    }
}
