//! Lambda function: the public read routes (health, regions, stations, OpenAPI).

use zhiyuan_functions::app;
use zhiyuan_functions::config::Config;
use zhiyuan_functions::routes::{Serves, Surface};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    app::init_tracing();
    let state = app::state_from_config(Config::from_env()?).await;
    lambda_http::run(app::api(state, Serves::Only(Surface::Public))).await
}
