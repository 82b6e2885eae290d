//! Lambda function: the public read routes (health, regions, stations, OpenAPI).

use zhiyuan_functions::app;
use zhiyuan_functions::config::SessionSecret;
use zhiyuan_functions::routes::{Serves, Surface};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    app::init_tracing();
    let state = app::cold_start(SessionSecret::Required).await?;
    lambda_http::run(app::api(state, Serves::Only(Surface::Public))).await
}
