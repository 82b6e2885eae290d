//! Builds the application. `main` functions only wire: tests start the same app
//! in-process on port 0.

use crate::config::Config;
use crate::routes::{self, Serves};
use crate::service::scheduled;
use crate::store::Store;
use axum::Router;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

pub use crate::state::AppState;

/// The API routes one deployed function (or the local server) carries.
pub fn api(state: AppState, serves: Serves) -> Router {
    routes::api(serves)
        .layer(axum::middleware::from_fn(routes::extract::renew_sessions))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
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
pub fn local(state: AppState) -> Router {
    let spa = crate::static_files::spa(&state.config.dist_dir);
    api(state, Serves::All).fallback_service(spa)
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
