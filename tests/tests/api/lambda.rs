//! The real Lambda binaries, started against a small Lambda Runtime API stand-in, answer
//! API Gateway HTTP API (v2) events: what deploys is what the local server runs.

use serde_json::{Value, json};
use zhiyuan_tests::{
    PII_SECRET, RuntimeApi, SESSION_SECRET, dynamodb_endpoint, fresh_store, http_event as event,
    spawn_tied_to_this_process, station_body, workspace_root,
};

struct Function {
    runtime: RuntimeApi,
}

/// Where a function started against `table` writes its text messages.
fn outbox(table: &str) -> std::path::PathBuf {
    zhiyuan_tests::target_dir()
        .join("test-outbox")
        .join(format!("lambda-{table}.jsonl"))
}

/// The newest 6-digit code the outbox of `table` holds.
fn last_code(table: &str) -> String {
    let text = std::fs::read_to_string(outbox(table)).unwrap_or_default();
    text.lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find_map(|m| {
            let digits: String = m["text"]
                .as_str()?
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            (digits.len() == 6).then_some(digits)
        })
        .expect("a code in the outbox")
}

impl Function {
    /// Starts the named Lambda binary against a fresh Runtime API stand-in.
    async fn start(bin: &str, table: &str) -> Function {
        let runtime = RuntimeApi::start().await;
        // `make test` builds the binaries first (cargo build --workspace --bins).
        let exe = zhiyuan_tests::target_dir().join("debug").join(bin);
        assert!(
            exe.exists(),
            "{} is not built: run `cargo build --workspace --exclude zhiyuan-frontend --bins`",
            exe.display()
        );
        let env = [
            ("AWS_LAMBDA_RUNTIME_API", runtime.addr()),
            ("AWS_LAMBDA_FUNCTION_NAME", bin.to_string()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".into()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
            ("AWS_LAMBDA_LOG_STREAM_NAME", "test".into()),
            ("AWS_LAMBDA_LOG_GROUP_NAME", "test".into()),
            ("DYNAMODB_ENDPOINT", dynamodb_endpoint()),
            ("ZHIYUAN_TABLE", table.to_string()),
            ("ZHIYUAN_SESSION_SECRET", SESSION_SECRET.to_string()),
            ("ZHIYUAN_PII_SECRET", PII_SECRET.to_string()),
            (
                "ZHIYUAN_SMS_OUTBOX",
                outbox(table).to_string_lossy().to_string(),
            ),
        ];
        // Through `env`, so the child gets exactly these variables on top of ours.
        let mut args: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        args.push(exe.to_string_lossy().to_string());
        let log = workspace_root()
            .join("target")
            .join("test-artifacts")
            .join(format!("lambda-{bin}.log"));
        let _ = std::fs::create_dir_all(log.parent().expect("parent"));
        spawn_tied_to_this_process("env", &args, &log);
        Function { runtime }
    }

    async fn invoke(&mut self, event: Value) -> Value {
        self.runtime.invoke(event).await
    }
}

fn body_json(resp: &Value) -> Value {
    serde_json::from_str(resp["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

#[tokio::test]
async fn the_public_lambda_answers_health_nearby_and_404_events() {
    let store = fresh_store().await;
    store
        .put_regions(&zhiyuan_functions::seed::regions().expect("regions"))
        .await
        .expect("regions");
    let stations = zhiyuan_functions::seed::demo_stations(
        &zhiyuan_functions::seed::regions().expect("regions"),
        "150600",
        60,
        5,
    );
    zhiyuan_functions::seed::put_stations(&store, &stations)
        .await
        .expect("stations");
    let mut f = Function::start("public-api", store.table_name()).await;

    let health = f.invoke(event("GET", "/api/health", "", None, None)).await;
    assert_eq!(health["statusCode"], 200, "{health}");
    assert_eq!(body_json(&health), json!({"status": "ok"}));
    // The security headers, as the local server sends them (no bucket configured here).
    for (name, value) in zhiyuan_functions::security_headers::headers(None) {
        assert_eq!(health["headers"][name.as_str()], json!(value), "{name}");
    }

    let near = f
        .invoke(event(
            "GET",
            "/api/stations",
            "lat=39.8165&lng=109.963&radius_km=20&limit=5",
            None,
            None,
        ))
        .await;
    assert_eq!(near["statusCode"], 200, "{near}");
    let items = body_json(&near)["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!items.is_empty());
    assert!(
        items
            .windows(2)
            .all(|w| w[0]["distance_m"].as_u64() <= w[1]["distance_m"].as_u64())
    );

    // Compressed as the browser accepts, in the base64 body API Gateway decodes.
    let mut asked = event(
        "GET",
        "/api/stations",
        "lat=39.8165&lng=109.963&radius_km=20&limit=5",
        None,
        None,
    );
    asked["headers"]["accept-encoding"] = json!("gzip");
    let gz = f.invoke(asked).await;
    assert_eq!(gz["statusCode"], 200, "{gz}");
    assert_eq!(gz["headers"]["content-encoding"], "gzip", "{gz}");
    assert_eq!(gz["isBase64Encoded"], true, "{gz}");
    let bytes = aws_smithy_types::base64::decode(gz["body"].as_str().expect("body")).expect("b64");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
        .expect("gzip");
    assert_eq!(
        serde_json::from_str::<Value>(&text).expect("json"),
        body_json(&near)
    );

    let missing = f
        .invoke(event(
            "GET",
            "/api/stations/01JZZZZZZZZZZZZZZZZZZZZZZZ",
            "",
            None,
            None,
        ))
        .await;
    assert_eq!(missing["statusCode"], 404);
    assert_eq!(body_json(&missing)["error"]["code"], "not_found");

    let bad = f
        .invoke(event("GET", "/api/stations", "lat=91&lng=109", None, None))
        .await;
    assert_eq!(bad["statusCode"], 400);
    assert_eq!(body_json(&bad)["error"]["field"], "lat");

    // Writes are not this function's: the read-only function does not route them.
    let write = f
        .invoke(event(
            "POST",
            "/api/stations",
            "",
            Some(&json!({})),
            Some("any-token"),
        ))
        .await;
    assert_eq!(write["statusCode"], 405);
}

#[tokio::test]
async fn the_write_lambda_registers_an_account_whose_region_admin_role_creates_a_station() {
    let store = fresh_store().await;
    store
        .put_regions(&zhiyuan_functions::seed::regions().expect("regions"))
        .await
        .expect("regions");
    let mut f = Function::start("admin-api", store.table_name()).await;
    let sent = f
        .invoke(event(
            "POST",
            "/api/auth/codes",
            "",
            Some(&json!({"phone": "13700000001", "purpose": "register"})),
            None,
        ))
        .await;
    assert_eq!(sent["statusCode"], 202, "{sent}");
    let code = last_code(store.table_name());
    let registered = f
        .invoke(event(
            "POST",
            "/api/auth/register",
            "",
            Some(&json!({"phone": "13700000001", "code": code, "password": "lambda-pass-1", "display_name": "管理员"})),
            None,
        ))
        .await;
    assert_eq!(registered["statusCode"], 201, "{registered}");
    let account = body_json(&registered);
    let user_id = account["user_id"].as_str().unwrap_or_default();
    let token = account["token"].as_str().unwrap_or_default();
    let body = station_body("兰姆达站", "150602", 39.8, 109.9, "library");
    let refused = f
        .invoke(event("POST", "/api/stations", "", Some(&body), Some(token)))
        .await;
    assert_eq!(refused["statusCode"], 403, "not an admin yet");
    store
        .grant_role(
            user_id,
            &zhiyuan_shared::account::RoleGrant {
                role: zhiyuan_shared::account::Role::RegionAdmin,
                scope: "150600".into(),
            },
        )
        .await
        .expect("grant");
    // An admin acts only in a session signed in with the second factor.
    let one_factor = f
        .invoke(event("POST", "/api/stations", "", Some(&body), Some(token)))
        .await;
    assert_eq!(one_factor["statusCode"], 401, "{one_factor}");
    let password = json!({"phone": "13700000001", "password": "lambda-pass-1"});
    let step_one = f
        .invoke(event("POST", "/api/auth/login", "", Some(&password), None))
        .await;
    assert_eq!(step_one["statusCode"], 401, "{step_one}");
    assert_eq!(
        body_json(&step_one)["error"]["code"],
        "second_factor_required"
    );
    let both = json!({"phone": "13700000001", "password": "lambda-pass-1", "code": last_code(store.table_name())});
    let signed_in = f
        .invoke(event("POST", "/api/auth/login", "", Some(&both), None))
        .await;
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let admin = body_json(&signed_in);
    let token = admin["token"].as_str().unwrap_or_default();
    let created = f
        .invoke(event("POST", "/api/stations", "", Some(&body), Some(token)))
        .await;
    assert_eq!(created["statusCode"], 201, "{created}");
    let id = body_json(&created)["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(store.get_station(&id).await.expect("read").is_some());
    let unauthorised = f
        .invoke(event("POST", "/api/stations", "", Some(&body), None))
        .await;
    assert_eq!(unauthorised["statusCode"], 401);
}
