use reqwest::StatusCode;
use std::collections::BTreeSet;
use zhiyuan_functions::routes::ROUTES;
use zhiyuan_tests::spawn_app;

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_the_router_serves() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let served: BTreeSet<_> = ROUTES
        .iter()
        .map(|r| (r.method.to_uppercase(), r.path.to_string()))
        .collect();
    assert_eq!(
        documented, served,
        "routes and the OpenAPI document disagree"
    );
}

#[tokio::test]
async fn every_documented_route_is_actually_routed() {
    let app = spawn_app().await;
    for r in ROUTES {
        let path = r.path.replace("{id}", "00000000000000000000000000");
        let method =
            reqwest::Method::from_bytes(r.method.to_uppercase().as_bytes()).expect("method");
        let (status, body) = app
            .send_json(method, &path, &serde_json::json!({}), None)
            .await;
        let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
            || (status == StatusCode::NOT_FOUND && body["error"]["message"] == "no such API route");
        assert!(
            !unrouted,
            "{} {} is documented but not routed ({status})",
            r.method, r.path
        );
    }
}

/// The operations of the document with their method and path.
fn operations(doc: &serde_json::Value) -> Vec<(String, String, &serde_json::Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

/// The answer's schema is the error body, or an error body with more beside it (an
/// edit's 409 also lists the overlaps it found): an `error` of the `ErrorDetail` schema.
fn error_body(doc: &serde_json::Value, op: &serde_json::Value, status: &str) -> bool {
    let schema = &op["responses"][status]["content"]["application/json"]["schema"]["$ref"];
    if schema == "#/components/schemas/ErrorBody" {
        return true;
    }
    let Some(name) = schema
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    else {
        return false;
    };
    let error = &doc["components"]["schemas"][name]["properties"]["error"];
    error["$ref"] == "#/components/schemas/ErrorDetail"
        || error["allOf"][0]["$ref"] == "#/components/schemas/ErrorDetail"
}

#[tokio::test]
async fn every_operation_documents_the_statuses_its_kind_can_return_with_the_error_body() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json").await;
    let mut missing = Vec::new();
    for (method, path, op) in operations(&doc) {
        let has_query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if (has_query || op.get("requestBody").is_some()) && !error_body(&doc, op, "400") {
            missing.push(format!("{method} {path}: 400 (it reads a query or a body)"));
        }
        if op["security"].to_string().contains("\"bearer\"") && !error_body(&doc, op, "401") {
            missing.push(format!("{method} {path}: 401 (it takes a token)"));
        }
        for (status, _) in op["responses"].as_object().expect("responses") {
            if status.as_str() >= "400" && !error_body(&doc, op, status) {
                missing.push(format!(
                    "{method} {path}: {status} without the ErrorBody schema"
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "undocumented statuses:\n{}",
        missing.join("\n")
    );
}

/// Where a request field's value is bounded: a closed set, a pattern, a format or a length
/// for strings; a minimum or maximum for numbers. Free text has a length, ids a length.
fn unbounded_fields(
    schemas: &serde_json::Value,
    schema: &serde_json::Value,
    at: &str,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let schema = match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            if !seen.insert(name.to_string()) {
                return;
            }
            &schemas[name]
        }
        None => schema,
    };
    if let Some(variants) = schema["oneOf"].as_array() {
        for v in variants.iter().filter(|v| v["type"] != "null") {
            unbounded_fields(schemas, v, at, seen, out);
        }
        return;
    }
    let kind = match &schema["type"] {
        serde_json::Value::Array(types) => types
            .iter()
            .find(|t| *t != "null")
            .cloned()
            .unwrap_or_default(),
        other => other.clone(),
    };
    let has = |keys: &[&str]| keys.iter().any(|k| schema.get(*k).is_some());
    match kind.as_str() {
        Some("object") => {
            for (name, field) in schema["properties"].as_object().into_iter().flatten() {
                unbounded_fields(schemas, field, &format!("{at}.{name}"), seen, out);
            }
        }
        Some("array") => {
            if !has(&["maxItems"]) {
                out.push(format!("{at}: an array without maxItems"));
            }
            // Items of free text (skills) are bounded by the server's own check; a closed
            // set or an object is walked.
            if let Some(r) = schema["items"]["$ref"].as_str() {
                let items = &schemas[r.trim_start_matches("#/components/schemas/")];
                // A set of slugs names each member once at most: its bound is at least the
                // set's size (a list of notice kinds, which grows, keeps room to grow).
                if let Some(members) = items["enum"].as_array()
                    && schema["maxItems"]
                        .as_u64()
                        .is_none_or(|max| max < members.len() as u64)
                {
                    out.push(format!(
                        "{at}: maxItems is below the {} members of {r}",
                        members.len()
                    ));
                }
                unbounded_fields(schemas, &schema["items"], &format!("{at}[]"), seen, out);
            }
        }
        Some("string") if !has(&["enum", "pattern", "format", "maxLength"]) => {
            out.push(format!(
                "{at}: a string without enum, pattern, format or maxLength"
            ));
        }
        Some("integer" | "number") if !has(&["minimum", "maximum", "exclusiveMinimum"]) => {
            out.push(format!("{at}: a number without minimum or maximum"));
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_request_field_is_bounded_by_an_enum_a_pattern_a_format_or_a_length() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    let mut out = Vec::new();
    for (method, path, op) in operations(&doc) {
        let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema") else {
            continue;
        };
        // A transfer file is what another deployment signed: its signature, not the
        // document, vouches for its fields.
        if schema["$ref"] == "#/components/schemas/TransferFile" {
            continue;
        }
        let mut seen = BTreeSet::new();
        unbounded_fields(
            schemas,
            schema,
            &format!("{method} {path}"),
            &mut seen,
            &mut out,
        );
    }
    assert!(
        out.is_empty(),
        "unbounded request fields:\n{}",
        out.join("\n")
    );
}

#[tokio::test]
async fn list_parameters_carry_their_bounds_and_closed_sets() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json").await;
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            let s = &p["schema"];
            let ok = match p["name"].as_str().unwrap_or("") {
                "limit" => s["minimum"] == 1 && s["maximum"] == 100,
                "region" => s["pattern"] == "^[1-9][0-9]{5}$",
                "status" | "group" | "type" | "field" => {
                    s.to_string().contains("#/components/schemas/")
                }
                "lat" => s["minimum"] == -90 && s["maximum"] == 90,
                "lng" => s["minimum"] == -180 && s["maximum"] == 180,
                _ => true,
            };
            if !ok {
                wrong.push(format!("{method} {path}: {} is {s}", p["name"]));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "parameters without their bounds:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn a_forged_cursor_is_a_400_on_the_cursor_never_a_server_error() {
    // Cursors are the server's own base64 JSON; one rebuilt by hand with the right list
    // and scope but another key must not reach DynamoDB as a start key it refuses.
    use zhiyuan_functions::service::cursor::encode;
    let app = spawn_app().await;
    let user = app.register().await;
    for key in [
        serde_json::json!({"PK": "x"}),
        serde_json::json!({"PK": format!("USER#{}", user.id), "SK": "NOTICE#", "GSI9PK": "y"}),
        serde_json::json!({"PK": "USER#someone-else", "SK": "NOTICE#01"}),
    ] {
        let cursor = encode(&serde_json::json!({"kind": "notices", "scope": user.id, "key": key}))
            .expect("encodes");
        let (status, body) = app
            .get_with(
                &format!("/api/me/notices?cursor={cursor}"),
                Some(&user.token),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {body}");
        assert_eq!(body["error"]["field"], "cursor", "{body}");
    }
}
