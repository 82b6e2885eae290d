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
