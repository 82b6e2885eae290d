use reqwest::StatusCode;
use zhiyuan_tests::spawn_app;

#[tokio::test]
async fn health_answers_ok_once_the_store_answers() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_not_the_spa() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let app = spawn_app().await;
    let (status, body) = app
        .send_json(
            reqwest::Method::DELETE,
            "/api/regions",
            &serde_json::json!({}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}
