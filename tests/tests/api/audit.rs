//! The personal-data trail: each reveal, "my data" download and transfer-file download
//! leaves an entry; the person reads their own, the region admins over them read their
//! region's, newest first and paged.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use zhiyuan_tests::{TestApp, User, spawn_app};

async fn reveal(app: &TestApp, who: &User) {
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/reveal",
            &Value::Null,
            Some(&app.rechecked(&who.token).await),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn export(app: &TestApp, who: &User) {
    let token = app.rechecked(&who.token).await;
    let (status, body) = app.get_with("/api/me/export", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

fn accesses(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["access"].as_str().expect("access"))
        .collect()
}

#[tokio::test]
async fn a_volunteer_sees_each_time_their_whole_numbers_were_shown_newest_first() {
    let app = spawn_app().await;
    let me = app.volunteer().await;
    let other = app.volunteer().await;
    let (_, empty) = app
        .get_with("/api/me/personal-data-views", Some(&me.token))
        .await;
    assert_eq!(empty["items"], serde_json::json!([]));

    reveal(&app, &me).await;
    export(&app, &me).await;
    reveal(&app, &other).await;

    let mine = app.get_as("/api/me/personal-data-views", &me.token).await;
    assert_eq!(accesses(&mine), ["export", "reveal"], "{mine}");
    let first = &mine["items"][0];
    assert_eq!(first["subject_id"], me.id.as_str());
    assert_eq!(first["actor_id"], me.id.as_str());
    assert_eq!(first["by_self"], true);
    assert_eq!(first["region_code"], "150602");
    assert!(first["at"].as_str().is_some_and(|t| t.ends_with("+08:00")));
    // Nothing of another person's.
    let theirs = app
        .get_as("/api/me/personal-data-views", &other.token)
        .await;
    assert_eq!(accesses(&theirs), ["reveal"]);
}

#[tokio::test]
async fn region_admins_page_through_the_trail_of_their_regions_people() {
    let app = spawn_app().await;
    let a = app.volunteer().await;
    let b = app.volunteer().await;
    reveal(&app, &a).await;
    reveal(&app, &b).await;
    export(&app, &b).await;
    let banner = app.region_admin("150602").await;
    let city = app.region_admin("150600").await;

    let (status, page) = app
        .get_with(
            "/api/audit/personal-data?region=150602&limit=2",
            Some(&banner.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let (status, rest) = app
        .get_with(
            &format!("/api/audit/personal-data?region=150602&limit=2&cursor={cursor}"),
            Some(&banner.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rest}");
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
    assert!(rest["next_cursor"].is_null());
    let mut seen: Vec<String> = page["items"]
        .as_array()
        .into_iter()
        .chain(rest["items"].as_array())
        .flatten()
        .map(|i| format!("{}:{}", i["subject_id"].as_str().unwrap_or(""), i["access"]))
        .collect();
    seen.sort();
    let mut expected = vec![
        format!("{}:\"reveal\"", a.id),
        format!("{}:\"reveal\"", b.id),
        format!("{}:\"export\"", b.id),
    ];
    expected.sort();
    assert_eq!(seen, expected);

    // The city admin reads the same through the city; newest first within the banner.
    let all = app
        .get_as("/api/audit/personal-data?region=150600", &city.token)
        .await;
    assert_eq!(accesses(&all), ["export", "reveal", "reveal"], "{all}");

    // Another banner's admin is refused; bad input is a 400 naming its field.
    let other = app.region_admin("150603").await;
    let (status, _) = app
        .get_with("/api/audit/personal-data?region=150602", Some(&other.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (query, field) in [
        ("", "region"),
        ("?region=15060", "region"),
        ("?region=150602&limit=0", "limit"),
        ("?region=150602&cursor=nonsense", "cursor"),
    ] {
        let (status, body) = app
            .get_with(
                &format!("/api/audit/personal-data{query}"),
                Some(&banner.token),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    // A cursor of the banner's list does not page the city's.
    let (status, _) = app
        .get_with(
            &format!("/api/audit/personal-data?region=150600&cursor={cursor}"),
            Some(&city.token),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
