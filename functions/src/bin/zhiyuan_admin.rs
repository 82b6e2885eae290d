//! Operator commands. `init-local`: create the table if absent and seed the demo data once
//! (local stack only: it refuses to run without a DynamoDB Local endpoint).
//! `grant-region-admin PHONE CODE`: makes an existing account a region admin, which is how
//! a new deployment gets its first (city) admin.
//! `rotate-pii-keys [PAGE]`: re-seals every phone and ID number still under an older
//! personal-data key version with the current one (see `service::pii_rotation` and the
//! README's key rotation runbook); resumable and safe to run again.
//! `migrate [--page N] [--resume KEY]`: brings a table written by earlier versions up to
//! the current layout (see `store::migrate`); prints the resume key after each page and
//! the counts per kind; safe to run again (a second run reports 0 changes).

use std::process::ExitCode;
use zhiyuan_functions::config::{Config, SessionSecret};
use zhiyuan_functions::seed::{self, SeedOutcome};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::load(SessionSecret::Optional).await {
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
        Some("rotate-pii-keys") => {
            let page = match std::env::args().nth(2).map(|p| p.parse::<i32>()) {
                None => 100,
                Some(Ok(p)) if (1..=1000).contains(&p) => p,
                Some(_) => {
                    eprintln!("usage: zhiyuan-admin rotate-pii-keys [PAGE (1-1000, default 100)]");
                    return ExitCode::from(2);
                }
            };
            let state = zhiyuan_functions::app::state_from_config(config).await;
            let keys = &state.config.keys;
            println!(
                "re-sealing personal data under key version {}",
                keys.pii_version()
            );
            match zhiyuan_functions::service::pii_rotation::run(&state.store, keys, page).await {
                Ok(r) => {
                    println!(
                        "users {}, values re-sealed {}, retried after a concurrent change {}, unreadable {}",
                        r.users, r.resealed, r.retried, r.unreadable
                    );
                    if r.unreadable > 0 {
                        eprintln!(
                            "some values open under no key held: keep their version in the key set"
                        );
                        return ExitCode::FAILURE;
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("rotate-pii-keys stopped (run it again to resume): {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("migrate") => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let Some((page, resume)) = migrate_args(&args) else {
                eprintln!(
                    "usage: zhiyuan-admin migrate [--page N (1-1000, default 100)] [--resume KEY]"
                );
                return ExitCode::from(2);
            };
            let state = zhiyuan_functions::app::state_from_config(config).await;
            let now =
                zhiyuan_shared::time::Timestamp::from_unix(zhiyuan_functions::clock::now_unix());
            let run = state.store.migrate(resume, page, now, |r, next| {
                if let Some(k) = next {
                    let key = serde_json::to_string(k).unwrap_or_default();
                    println!(
                        "scanned {}, {} changes so far; resume with --resume '{key}'",
                        r.scanned,
                        r.changes()
                    );
                }
                std::ops::ControlFlow::Continue(())
            });
            match run.await {
                Ok(r) => {
                    println!(
                        "scanned {}: listing copies {}, sign-ups moved to their shift {}, place counters {}, waitlist counts {}, schedules {}, need index keys {}; changes {}",
                        r.scanned,
                        r.listings,
                        r.signups_moved,
                        r.counters,
                        r.waitlists,
                        r.schedules,
                        r.need_indexes,
                        r.changes()
                    );
                    println!(
                        "retried after a concurrent change {}, left for the next run {}, unreadable {}",
                        r.retried, r.unfinished, r.unreadable
                    );
                    if r.unfinished > 0 {
                        return ExitCode::FAILURE;
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("migrate stopped (resume from the last key printed): {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!(
                "usage: zhiyuan-admin init-local | grant-region-admin PHONE REGION_CODE | rotate-pii-keys [PAGE] | migrate [--page N] [--resume KEY]"
            );
            ExitCode::from(2)
        }
    }
}

/// `--page N` and `--resume KEY` (a key as `migrate` printed it), in any order.
fn migrate_args(args: &[String]) -> Option<(i32, Option<zhiyuan_functions::store::ResumeKey>)> {
    let (mut page, mut resume) = (100, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next()?;
        match flag.as_str() {
            "--page" => page = value.parse().ok().filter(|p| (1..=1000).contains(p))?,
            "--resume" => resume = Some(serde_json::from_str(value).ok()?),
            _ => return None,
        }
    }
    Some((page, resume))
}
