use reqwest::StatusCode;
use zhiyuan_tests::spawn_app;

#[tokio::test]
async fn regions_list_ordos_and_its_nine_banners_with_populations() {
    let app = spawn_app().await;
    let regions = zhiyuan_functions::seed::regions().expect("region data");
    app.store.put_regions(&regions).await.expect("seed regions");

    let (status, body) = app.get("/api/regions").await;
    assert_eq!(status, StatusCode::OK);
    let list = body.as_array().expect("array");
    assert_eq!(list.len(), 22);
    assert_eq!(list[0]["code"], "150000", "the province comes first");
    let banners: Vec<_> = list
        .iter()
        .filter(|r| r["parent_code"] == "150600")
        .collect();
    assert_eq!(banners.len(), 9);
    let dongsheng = list.iter().find(|r| r["code"] == "150602").expect("东胜区");
    assert_eq!(dongsheng["name"], "东胜区");
    assert!(dongsheng["population"].as_u64().unwrap_or(0) > 500_000);
    assert!(dongsheng["lat"].is_number() && dongsheng["lng"].is_number());
}
