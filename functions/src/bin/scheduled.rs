//! Lambda function run by an EventBridge schedule: the periodic jobs (reminders for shifts
//! starting within a day, closing records left open past their shift; see
//! `service::scheduled::run`), and, on its own every-minute schedule (event
//! `{"job": "sms"}`), the notice SMS dispatcher. The local server runs the same jobs on
//! timers.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use zhiyuan_functions::config::SessionSecret;
use zhiyuan_functions::service::scheduled;
use zhiyuan_functions::{app, clock};
use zhiyuan_shared::time::Timestamp;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    app::init_tracing();
    let state = app::cold_start(SessionSecret::Optional).await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move {
            let now = Timestamp::from_unix(clock::now_unix());
            if event.payload["job"] == "sms" {
                let run = scheduled::sms(&state.store, &state.config, now)
                    .await
                    .map_err(|e| lambda_runtime::Error::from(e.to_string()))?;
                return Ok(serde_json::json!({
                    "sms_sent": run.sent, "sms_held": run.held,
                    "sms_retried": run.retried, "sms_failed": run.failed
                }));
            }
            let done = scheduled::run(&state.store, &state.config, &state.files, now)
                .await
                .map_err(|e| lambda_runtime::Error::from(e.to_string()))?;
            Ok::<_, lambda_runtime::Error>(serde_json::json!({
                "reminders": done.reminders, "closed": done.closed, "sms_sent": done.sms_sent
            }))
        }
    }))
    .await
}
