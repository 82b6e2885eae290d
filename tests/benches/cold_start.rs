//! `make bench` (through scripts/cold-start.sh, which builds the binaries first): the cold
//! start of each Lambda function, process start → first answer, for each release profile
//! built, with its zip size.
//!
//! Each run starts the real binary as Lambda would: a fresh process with only the
//! environment template.yaml gives that function (secrets named by ARN, read from Secrets
//! Manager; the bucket, the SMS settings) plus what Lambda itself sets (region,
//! credentials, `AWS_LAMBDA_RUNTIME_API`). A Runtime API stand-in hands it one event and
//! answers `GetSecretValue`; DynamoDB is a DynamoDB Local this bench starts, reached through
//! `AWS_ENDPOINT_URL_DYNAMODB`, so the SDK clients are built exactly as in production. The
//! first event touches the table: `GET /api/regions` (public-api), `POST /api/auth/codes`
//! (admin-api: a code stored and texted to the outbox), the SMS job `{"job": "sms"}`
//! (scheduled, as its every-minute schedule sends it).
//!
//! "first secret asked" is process start → its first `GetSecretValue` (the runtime, the AWS
//! configuration and the TLS roots loaded); "init" is process start → the function's first `invocation/next` (configuration,
//! secrets, SDK clients, router); "first answer" is process start → its answer posted back.
//! "warm answer" is the same request sent again to the process once it has answered: the
//! first answer minus init minus that is what the first request pays for being first.
//! "CPU" is the CPU time the process used up to its answer (all threads): its own work,
//! which on a shared machine the wall clock mixes with waiting for a core.
//! One warm-up run per binary first, so the page cache holds it. Zips as `scripts/sizes.sh`
//! makes them (the stripped binary as `bootstrap`, `zip -9`).
//!
//! `COLD_START_PROFILES` (default `release,lambda-3`) names the cargo profiles whose
//! binaries are measured; `COLD_START_RUNS` (default 9) the runs per binary;
//! `COLD_START_FUNCTIONS` (default all three) which functions.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use zhiyuan_tests::{
    PII_SECRET, RuntimeApi, SESSION_SECRET, dynamodb_endpoint, fresh_store, http_event, target_dir,
};

const FUNCTIONS: [&str; 3] = ["public-api", "admin-api", "scheduled"];
const SESSION_ARN: &str = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:session";
const PII_ARN: &str = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:pii";
/// Goals of issue 17, locally.
const GOAL_MS: f64 = 30.0;
const GOAL_ZIP: u64 = 6 * 1024 * 1024;

/// The environment template.yaml gives `function` (Globals, then its own variables), with
/// the parameters at their defaults, and what Lambda adds.
fn environment(
    function: &str,
    table: &str,
    runtime: &RuntimeApi,
    outbox: &Path,
) -> Vec<(String, String)> {
    let mut env: Vec<(&str, String)> = vec![
        // Lambda's own.
        ("AWS_LAMBDA_RUNTIME_API", runtime.addr()),
        ("AWS_LAMBDA_FUNCTION_NAME", format!("zhiyuan-{function}")),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".into()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            format!("/aws/lambda/zhiyuan-{function}"),
        ),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "bench".into()),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".into()),
        ("_HANDLER", "bootstrap".into()),
        ("LAMBDA_TASK_ROOT", "/var/task".into()),
        ("AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023".into()),
        ("AWS_REGION", "cn-north-1".into()),
        ("AWS_DEFAULT_REGION", "cn-north-1".into()),
        // The role's temporary credentials; DynamoDB Local keeps a table per key id and
        // region, so these are the ones the bench created the table with.
        ("AWS_ACCESS_KEY_ID", "local".into()),
        ("AWS_SECRET_ACCESS_KEY", "local".into()),
        ("AWS_SESSION_TOKEN", "bench".into()),
        // Where the services are, locally.
        ("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_endpoint()),
        ("AWS_ENDPOINT_URL_SECRETS_MANAGER", runtime.url()),
        // template.yaml, Globals.
        ("ZHIYUAN_TABLE", table.into()),
        ("RUST_LOG", "info".into()),
        ("ZHIYUAN_PII_SECRET_ARN", PII_ARN.into()),
        ("ZHIYUAN_DEPLOYMENT", "zhiyuan".into()),
        ("ZHIYUAN_TRUSTED_TRANSFER_KEYS", String::new()),
        ("ZHIYUAN_HOURS_STEP_MINUTES", "30".into()),
        ("ZHIYUAN_FILES_BUCKET", "zhiyuan-files-bench".into()),
        ("ZHIYUAN_SMS_SENDER", "outbox".into()),
        ("ZHIYUAN_SMS_OUTBOX", outbox.to_string_lossy().into()),
        ("ZHIYUAN_SMS_TENCENT_SDK_APP_ID", String::new()),
        ("ZHIYUAN_SMS_TENCENT_SIGN_NAME", String::new()),
        ("ZHIYUAN_SMS_TENCENT_REGION", "ap-guangzhou".into()),
        ("ZHIYUAN_SMS_TENCENT_TEMPLATES", String::new()),
    ];
    // template.yaml, each function's own.
    match function {
        "public-api" => {
            env.push(("ZHIYUAN_SESSION_SECRET_ARN", SESSION_ARN.into()));
            env.push(("ZHIYUAN_SMS_SENDER", "outbox".into()));
        }
        "admin-api" => {
            env.push(("ZHIYUAN_SESSION_SECRET_ARN", SESSION_ARN.into()));
            env.push(("ZHIYUAN_SMS_TENCENT_SECRET_ARN", String::new()));
        }
        _ => env.push(("ZHIYUAN_SMS_TENCENT_SECRET_ARN", String::new())),
    }
    env.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The first event each function gets, and whether its answer is the success expected.
fn first_event(function: &str, run: usize) -> Value {
    match function {
        "public-api" => http_event("GET", "/api/regions", "", None, None),
        "admin-api" => {
            // A phone of its own per run, so no run meets another's rate limit.
            let phone = format!("137{:08}", 10_000 + run);
            let body = json!({"phone": phone, "purpose": "register"});
            let mut e = http_event("POST", "/api/auth/codes", "", Some(&body), None);
            e["requestContext"]["http"]["sourceIp"] = json!(format!(
                "10.{}.{}.{}",
                (run >> 16) & 255,
                (run >> 8) & 255,
                run & 255
            ));
            e
        }
        _ => json!({"job": "sms"}),
    }
}

fn succeeded(function: &str, answer: &Value) -> bool {
    match function {
        "public-api" => answer["statusCode"] == 200,
        "admin-api" => answer["statusCode"] == 202,
        _ => answer.get("sms_sent").is_some(),
    }
}

/// The child, killed when the run is over (or the bench fails).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Run {
    /// Process start → its first `GetSecretValue` (runtime, AWS configuration, TLS roots).
    secrets: Duration,
    init: Duration,
    answer: Duration,
    /// CPU time the process used up to its answer, all threads.
    cpu: Duration,
    /// The same request answered again by the now warm process.
    warm: Duration,
}

/// The CPU time `pid` has run so far, summed over its threads (`/proc/…/schedstat`, first
/// field, in ns): on a shared machine this shows the process's own work, which the wall
/// clock mixes with waiting for a core.
fn cpu_time(pid: u32) -> Duration {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| d.flatten().collect::<Vec<_>>())
        .unwrap_or_default();
    let ns: u64 = tasks
        .iter()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(ns)
}

async fn cold_start(exe: &Path, function: &str, table: &str, run: usize, log: &Path) -> Run {
    let secrets = HashMap::from([
        (SESSION_ARN.to_string(), SESSION_SECRET.to_string()),
        (PII_ARN.to_string(), PII_SECRET.to_string()),
    ]);
    let mut runtime = RuntimeApi::with_secrets(secrets).await;
    let outbox = log.with_extension("sms.jsonl");
    let env = environment(function, table, &runtime, &outbox);
    let answered = runtime.queue(first_event(function, run)).await;
    let log_file = std::fs::File::create(log).expect("log");
    let started = Instant::now();
    let child = Command::new(exe)
        .env_clear()
        .envs(env)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log"))
        .stderr(log_file)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    let pid = child.id();
    let _running = Running(child);
    let answer = tokio::time::timeout(Duration::from_secs(30), answered)
        .await
        .unwrap_or_else(|_| panic!("{function} did not answer; see {}", log.display()))
        .expect("answer");
    let done = Instant::now();
    let cpu = cpu_time(pid);
    assert!(
        succeeded(function, &answer),
        "{function} answered {answer}; see {}",
        log.display()
    );
    // The same request again, now warm: what the first one cost beyond it is the cold part.
    let again = Instant::now();
    let second = runtime.invoke(first_event(function, run + 1_000_000)).await;
    let warm = again.elapsed();
    assert!(
        succeeded(function, &second),
        "{function} answered {second} warm"
    );
    let init = runtime.first_next_at().expect("asked for an event") - started;
    let secrets = runtime.first_secret_at().expect("read its secrets") - started;
    Run {
        secrets,
        init,
        answer: done - started,
        cpu,
        warm,
    }
}

fn zip_size(exe: &Path) -> u64 {
    let dir = std::env::temp_dir().join(format!("zhiyuan-zip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::copy(exe, dir.join("bootstrap")).expect("copy");
    let ok = Command::new("zip")
        .args(["-q", "-9", "f.zip", "bootstrap"])
        .current_dir(&dir)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "zip failed (is `zip` installed?)");
    let size = std::fs::metadata(dir.join("f.zip"))
        .map(|m| m.len())
        .unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    size
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

#[tokio::main]
async fn main() {
    let profiles: Vec<String> = std::env::var("COLD_START_PROFILES")
        .unwrap_or_else(|_| "release,lambda-3".into())
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let runs: usize = std::env::var("COLD_START_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9)
        .max(1);
    let logs: PathBuf = target_dir().join("test-artifacts").join("cold-start");
    std::fs::create_dir_all(&logs).expect("log dir");
    let store = fresh_store().await;
    store
        .put_regions(&zhiyuan_functions::seed::regions().expect("regions"))
        .await
        .expect("regions");

    println!();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    println!(
        "Lambda cold start: process start → first answer, against a Runtime API stand-in (secrets from a Secrets Manager stand-in, DynamoDB Local); {runs} runs after one warm-up; load average at the start {load}."
    );
    println!();
    println!(
        "| function | profile | opt-level | binary bytes | zip bytes | first secret asked median ms | init median ms | first answer median ms | first answer min ms | first answer max ms | CPU median ms | warm answer median ms | goal ≤ {GOAL_MS} ms, zip ≤ 6 MB |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let only = std::env::var("COLD_START_FUNCTIONS").unwrap_or_default();
    let mut seq = 0;
    for function in FUNCTIONS
        .into_iter()
        .filter(|f| only.is_empty() || only.split(',').any(|o| o.trim() == *f))
    {
        for profile in &profiles {
            let exe = target_dir().join(profile).join(function);
            assert!(
                exe.exists(),
                "{} is not built: run scripts/cold-start.sh (it builds the profiles first)",
                exe.display()
            );
            let log = logs.join(format!("{function}-{}.log", profile.replace('/', "_")));
            seq += 1;
            cold_start(&exe, function, store.table_name(), seq, &log).await;
            let mut secrets = Vec::new();
            let mut init = Vec::new();
            let mut answer = Vec::new();
            let mut cpu = Vec::new();
            let mut warm = Vec::new();
            for _ in 0..runs {
                seq += 1;
                let r = cold_start(&exe, function, store.table_name(), seq, &log).await;
                secrets.push(ms(r.secrets));
                init.push(ms(r.init));
                answer.push(ms(r.answer));
                cpu.push(ms(r.cpu));
                warm.push(ms(r.warm));
            }
            let max = answer.iter().copied().fold(0.0, f64::max);
            let min = answer.iter().copied().fold(f64::INFINITY, f64::min);
            let med = median(answer);
            let zip = zip_size(&exe);
            let raw = std::fs::metadata(&exe).map(|m| m.len()).unwrap_or(0);
            let verdict = if med <= GOAL_MS && zip <= GOAL_ZIP {
                "met"
            } else {
                "missed"
            };
            println!(
                "| {function} | {profile} | {} | {raw} | {zip} | {:.1} | {:.1} | {med:.1} | {min:.1} | {max:.1} | {:.1} | {:.1} | {verdict} |",
                opt_level(profile),
                median(secrets),
                median(init),
                median(cpu),
                median(warm),
            );
        }
    }
}

/// The opt-level of the profiles this workspace defines (Cargo.toml).
fn opt_level(profile: &str) -> &'static str {
    match profile {
        "release" => "z",
        "lambda-3" => "3",
        _ => "?",
    }
}
