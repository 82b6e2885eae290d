//! Operator commands. `init-local`: create the table if absent and seed the demo data once
//! (local stack only: it refuses to run without a DynamoDB Local endpoint).

use std::process::ExitCode;
use zhiyuan_functions::config::Config;
use zhiyuan_functions::seed::{self, SeedOutcome};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::from_env();
    match std::env::args().nth(1).as_deref() {
        Some("init-local") => {
            if config.dynamodb_endpoint.is_none() {
                eprintln!(
                    "init-local seeds demo data and only runs against DynamoDB Local (set DYNAMODB_ENDPOINT)"
                );
                return ExitCode::FAILURE;
            }
            let state = zhiyuan_functions::app::state_from_config(config).await;
            match seed::init_local(&state.store).await {
                Ok(SeedOutcome::Seeded { stations }) => {
                    println!("seeded regions and {stations} demo stations")
                }
                Ok(SeedOutcome::AlreadySeeded) => {
                    println!("demo data already present; kept as it is")
                }
                Err(e) => {
                    eprintln!("init-local failed: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: zhiyuan-admin init-local");
            ExitCode::from(2)
        }
    }
}
