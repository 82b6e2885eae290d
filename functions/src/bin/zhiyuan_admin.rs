//! Operator commands. `init-local`: create the table if absent and seed the demo data once
//! (local stack only: it refuses to run without a DynamoDB Local endpoint).
//! `grant-region-admin PHONE CODE`: makes an existing account a region admin, which is how
//! a new deployment gets its first (city) admin.

use std::process::ExitCode;
use zhiyuan_functions::config::Config;
use zhiyuan_functions::seed::{self, SeedOutcome};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    match std::env::args().nth(1).as_deref() {
        Some("init-local") => {
            if config.dynamodb_endpoint.is_none() {
                eprintln!(
                    "init-local seeds demo data and only runs against DynamoDB Local (set DYNAMODB_ENDPOINT)"
                );
                return ExitCode::FAILURE;
            }
            let state = zhiyuan_functions::app::state_from_config(config).await;
            match seed::init_local(&state.store, &state.config.keys).await {
                Ok(SeedOutcome::Seeded { stations, accounts }) => {
                    println!(
                        "seeded regions, {stations} demo stations and {accounts} demo accounts"
                    )
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
        Some("grant-region-admin") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let [phone, region] = args.as_slice() else {
                eprintln!("usage: zhiyuan-admin grant-region-admin PHONE REGION_CODE");
                return ExitCode::from(2);
            };
            let state = zhiyuan_functions::app::state_from_config(config).await;
            match zhiyuan_functions::service::admin::grant_region_admin(
                &state.store,
                &state.config.keys,
                phone,
                region,
            )
            .await
            {
                Ok(()) => {
                    println!("granted region admin of {region}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("grant-region-admin failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: zhiyuan-admin init-local | grant-region-admin PHONE REGION_CODE");
            ExitCode::from(2)
        }
    }
}
