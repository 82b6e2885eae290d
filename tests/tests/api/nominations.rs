//! Exemplary selection: region admins nominate inside their region; anyone reads.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_tests::spawn_app;

fn body(region: &str) -> Value {
    json!({
        "kind": "volunteer",
        "name": "李志愿",
        "honour": "最美志愿者",
        "region_code": region,
        "year": zhiyuan_functions::service::stats::year_of(zhiyuan_functions::clock::now_unix()),
        "story": "十年如一日为社区空巢老人送餐、理发、陪伴聊天，累计服务一千六百小时。",
    })
}

#[tokio::test]
async fn a_banner_admin_nominates_and_the_public_reads_the_story_in_the_banner_and_the_city() {
    let app = spawn_app().await;
    let admin = app.region_admin("150602").await;
    let (status, n) = app
        .post("/api/nominations", &body("150602"), &admin.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{n}");
    assert_eq!(n["nominated_by"], "东胜区文明办");
    assert_eq!(n["region_name"], "东胜区");
    for region in ["150602", "150600"] {
        let (status, list) = app.get(&format!("/api/nominations?region={region}")).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["items"][0]["id"], n["id"], "{region}");
        assert!(
            list["items"][0]["story"]
                .as_str()
                .expect("story")
                .contains("空巢老人")
        );
    }
    let (_, elsewhere) = app.get("/api/nominations?region=150603").await;
    assert_eq!(elsewhere["items"], json!([]));
    let (status, one) = app
        .get(&format!(
            "/api/nominations/{}",
            n["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!((status, &one["name"]), (StatusCode::OK, &json!("李志愿")));
}

#[tokio::test]
async fn nominations_outside_the_admin_s_region_or_with_bad_fields_are_refused_and_nothing_is_published()
 {
    let app = spawn_app().await;
    let admin = app.region_admin("150602").await;
    let volunteer = app.volunteer().await;
    let (status, _) = app
        .post("/api/nominations", &body("150603"), &admin.token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post("/api/nominations", &body("150602"), &volunteer.token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (field, value) in [
        ("kind", json!("pet")),
        ("name", json!("")),
        ("honour", json!("")),
        ("region_code", json!("15")),
        ("year", json!(2999)),
        ("story", json!("好")),
    ] {
        let mut b = body("150602");
        b[field] = value;
        let (status, err) = app.post("/api/nominations", &b, &admin.token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {err}");
        assert_eq!(err["error"]["field"], field);
    }
    let (_, list) = app.get("/api/nominations?region=150600").await;
    assert_eq!(list["items"], json!([]));
    let (status, err) = app.get("/api/nominations?year=1900").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("year"))
    );
    let (status, _) = app.get("/api/nominations/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
