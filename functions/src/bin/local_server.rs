//! The local server: the whole API and the built SPA on one port (default 127.0.0.1:8080).

use zhiyuan_functions::app;
use zhiyuan_functions::config::{Config, SessionSecret};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app::init_tracing();
    let addr = std::env::var("ZHIYUAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let state = app::state_from_config(
        Config::load(SessionSecret::Required)
            .await
            .map_err(std::io::Error::other)?,
    )
    .await;
    // The cloud runs the periodic jobs on an EventBridge schedule; locally they run here.
    tokio::spawn(app::scheduled_timer(state.clone()));
    tokio::spawn(app::sms_timer(state.clone()));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("Zhiyuan is up at http://{addr}");
    axum::serve(
        listener,
        app::local(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
