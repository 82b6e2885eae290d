//! Lambda function run by an EventBridge schedule: writes reminders for shifts starting
//! within a day (see `service::reminders`). The local server runs the same job on a timer.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use zhiyuan_functions::config::Config;
use zhiyuan_functions::service::reminders;
use zhiyuan_functions::{app, clock};
use zhiyuan_shared::time::Timestamp;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    app::init_tracing();
    let state = app::state_from_config(Config::from_env()?).await;
    lambda_runtime::run(service_fn(|_: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move {
            let now = Timestamp::from_unix(clock::now_unix());
            let written = reminders::run(&state.store, state.config.sender, now)
                .await
                .map_err(|e| lambda_runtime::Error::from(e.to_string()))?;
            tracing::info!(written, "reminders written");
            Ok::<_, lambda_runtime::Error>(serde_json::json!({ "written": written }))
        }
    }))
    .await
}
