//! Organisations: registration, the admin queue, approval, join requests and rosters.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_tests::{org_body, spawn_app};

#[tokio::test]
async fn an_organisation_is_registered_approved_joined_and_its_roster_shows_names_only() {
    let app = spawn_app().await;
    let founder = app.volunteer().await;
    let (status, org) = app
        .send_json(
            Method::POST,
            "/api/orgs",
            &org_body("林荫社区志愿队", "150602"),
            Some(&founder.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    assert_eq!(org["status"], "pending");
    let id = org["id"].as_str().expect("id").to_string();

    let (_, public) = app.get("/api/orgs?region=150602").await;
    assert_eq!(
        public["items"],
        json!([]),
        "pending organisations are not public"
    );
    assert_eq!(
        app.get(&format!("/api/orgs/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(&format!("/api/orgs/{id}"), &founder.token).await["status"],
        "pending",
        "its founder sees it"
    );

    let admin = app.region_admin("150602").await;
    let queue = app
        .get_as("/api/orgs?region=150602&status=pending", &admin.token)
        .await;
    assert_eq!(queue["items"][0]["id"], id.as_str());
    let city = app.region_admin("150600").await;
    let city_queue = app
        .get_as("/api/orgs?region=150600&status=pending", &city.token)
        .await;
    assert_eq!(
        city_queue["items"][0]["id"],
        id.as_str(),
        "a city admin sees its banners"
    );
    let neighbour = app.region_admin("150603").await;
    let (status, _) = app
        .get_with(
            "/api/orgs?region=150602&status=pending",
            Some(&neighbour.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let theirs = app
        .get_as("/api/orgs?region=150603&status=pending", &neighbour.token)
        .await;
    assert_eq!(
        theirs["items"],
        json!([]),
        "another banner's queue does not show it"
    );

    let (status, approved) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/approve"),
            &Value::Null,
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let (status, again) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/approve"),
            &Value::Null,
            Some(&city.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["error"]["code"], "wrong_state");
    let (_, public) = app.get("/api/orgs?region=150600").await;
    assert_eq!(public["items"][0]["id"], id.as_str());

    let joiner = app.volunteer().await;
    let (status, m) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/members"),
            &Value::Null,
            Some(&joiner.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["status"], "pending");
    let (status, dup) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/members"),
            &Value::Null,
            Some(&joiner.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(dup["error"]["code"], "already_member");

    let requests = app
        .get_as(
            &format!("/api/orgs/{id}/members?status=pending"),
            &founder.token,
        )
        .await;
    assert_eq!(requests["items"][0]["user_id"], joiner.id.as_str());
    let (status, member) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/members/{}/approve", joiner.id),
            &Value::Null,
            Some(&founder.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    let (status, twice) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/members/{}/approve", joiner.id),
            &Value::Null,
            Some(&founder.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(twice["error"]["code"], "wrong_state");

    let roster = app
        .get_as(&format!("/api/orgs/{id}/members"), &founder.token)
        .await;
    let items = roster["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|m| m["real_name"] == "王小明"));
    let text = roster.to_string();
    assert!(
        !text.contains(&joiner.phone) && !text.contains(&founder.phone),
        "no phones"
    );
    assert!(!text.contains("phone"), "no phone field at all");
    assert_eq!(
        app.get(&format!("/api/orgs/{id}")).await.1["member_count"],
        2
    );
    let mine = app.get_as("/api/me/orgs", &joiner.token).await;
    assert_eq!(mine[0]["status"], "approved");
}

#[tokio::test]
async fn a_rejected_organisation_keeps_the_reason_and_cannot_be_joined() {
    let app = spawn_app().await;
    let founder = app.volunteer().await;
    let (_, org) = app
        .send_json(
            Method::POST,
            "/api/orgs",
            &org_body("被拒队", "150602"),
            Some(&founder.token),
        )
        .await;
    let id = org["id"].as_str().expect("id");
    let admin = app.region_admin("150602").await;
    let (status, err) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/reject"),
            &json!({"reason": " "}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"]["field"], "reason");
    let (status, rejected) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/reject"),
            &json!({"reason": "材料不全"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rejected["rejection_reason"], "材料不全");
    assert_eq!(
        app.get_as(&format!("/api/orgs/{id}"), &founder.token).await["status"],
        "rejected"
    );
    let joiner = app.volunteer().await;
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{id}/members"),
            &Value::Null,
            Some(&joiner.token),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not visible to others");
}

#[tokio::test]
async fn bad_organisations_name_the_field_and_a_region_has_one_organisation_per_name() {
    let app = spawn_app().await;
    let founder = app.volunteer().await;
    let good = org_body("天骄志愿队", "150602");
    for (key, value, field) in [
        ("name", json!(""), "name"),
        ("org_type", json!("club"), "org_type"),
        ("region_code", json!("990000"), "region_code"),
        ("service_fields", json!([]), "service_fields"),
    ] {
        let mut body = good.clone();
        body[key] = value;
        let (status, err) = app
            .send_json(Method::POST, "/api/orgs", &body, Some(&founder.token))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {err}");
        assert_eq!(err["error"]["field"], field);
    }
    assert_eq!(
        app.get_as("/api/me/orgs", &founder.token).await,
        json!([]),
        "nothing written"
    );
    let (status, _) = app
        .send_json(Method::POST, "/api/orgs", &good, Some(&founder.token))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut same = good.clone();
    same["name"] = json!("  天骄志愿队 ");
    let (status, err) = app
        .send_json(Method::POST, "/api/orgs", &same, Some(&founder.token))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "org_name_taken");
    let mut elsewhere = good.clone();
    elsewhere["region_code"] = json!("150603");
    let (status, _) = app
        .send_json(Method::POST, "/api/orgs", &elsewhere, Some(&founder.token))
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the same name in another banner is fine"
    );
}

#[tokio::test]
async fn the_admin_queue_pages_every_pending_organisation_once() {
    let app = spawn_app().await;
    let founder = app.volunteer().await;
    for i in 0..23 {
        let region = if i % 2 == 0 { "150602" } else { "150627" };
        let (status, _) = app
            .send_json(
                Method::POST,
                "/api/orgs",
                &org_body(&format!("队{i}"), region),
                Some(&founder.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let city = app.region_admin("150600").await;
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/api/orgs?region=150600&status=pending&limit=5".to_string(),
            Some(c) => format!("/api/orgs?region=150600&status=pending&limit=5&cursor={c}"),
        };
        let page = app.get_as(&path, &city.token).await;
        for o in page["items"].as_array().expect("items") {
            assert!(
                seen.insert(o["id"].as_str().expect("id").to_string()),
                "twice"
            );
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 23);
    let banner = app.region_admin("150627").await;
    let theirs = app
        .get_as(
            "/api/orgs?region=150627&status=pending&limit=100",
            &banner.token,
        )
        .await;
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(11));
}

#[tokio::test]
async fn only_real_name_volunteers_register_or_join_organisations() {
    let app = spawn_app().await;
    let plain = app.register().await;
    let (status, err) = app
        .send_json(
            Method::POST,
            "/api/orgs",
            &org_body("无名队", "150602"),
            Some(&plain.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(err["error"]["code"], "volunteer_required");
    let (_, org) = app.approved_org("150602").await;
    let (status, err) = app
        .send_json(
            Method::POST,
            &format!("/api/orgs/{org}/members"),
            &Value::Null,
            Some(&plain.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(err["error"]["code"], "volunteer_required");
}

/// Creates an organisation in `region` by `founder`, approved unless `approve` is false;
/// returns its id.
async fn org_named(
    app: &zhiyuan_tests::TestApp,
    founder: &zhiyuan_tests::User,
    name: &str,
    region: &str,
    approve: bool,
) -> String {
    let (status, org) = app
        .send_json(
            Method::POST,
            "/api/orgs",
            &org_body(name, region),
            Some(&founder.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    let id = org["id"].as_str().expect("id").to_string();
    if approve {
        let admin = app.province_admin().await;
        let (status, body) = app
            .post(&format!("/api/orgs/{id}/approve"), &Value::Null, &admin)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    id
}

fn ids_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect()
}

/// The dispatch picker's search: `?covers=` lists the approved organisations that may
/// serve a banner — the banner's own, then its city's, then the province's, never a
/// neighbouring banner's or a pending one — by part of the name, paged by cursor well
/// past the first hundred; bad input names the field.
#[tokio::test]
async fn organisations_covering_a_place_are_searched_by_name_nearest_first_past_a_hundred() {
    let app = spawn_app().await;
    let founder = app.volunteer().await;
    for i in 0..100 {
        org_named(
            &app,
            &founder,
            &format!("东胜社区服务队{i:03}"),
            "150602",
            true,
        )
        .await;
    }
    let banner = org_named(&app, &founder, "乌兰牧骑东胜分队", "150602", true).await;
    let city = org_named(&app, &founder, "乌兰牧骑鄂尔多斯队", "150600", true).await;
    let province = org_named(&app, &founder, "乌兰牧骑内蒙古总队", "150000", true).await;
    org_named(&app, &founder, "乌兰牧骑康巴什队", "150603", true).await;
    org_named(&app, &founder, "乌兰牧骑待审队", "150602", false).await;

    let (status, found) = app.get("/api/orgs?covers=150602&q=乌兰牧骑").await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        ids_of(&found),
        [banner.clone(), city.clone(), province.clone()],
        "{found}"
    );
    assert_eq!(found["next_cursor"], Value::Null);

    // One at a time: each page a cursor to the next, across the three regions.
    let mut walked = Vec::new();
    let mut url = "/api/orgs?covers=150602&q=乌兰牧骑&limit=1".to_string();
    for _ in 0..5 {
        let (status, page) = app.get(&url).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        walked.extend(ids_of(&page));
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/orgs?covers=150602&q=乌兰牧骑&limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(walked, [banner.clone(), city.clone(), province.clone()]);

    // No name: everyone who may serve 东胜区, 103 of them, over two pages of 100.
    let (_, first) = app.get("/api/orgs?covers=150602&limit=100").await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_string();
    let (_, second) = app
        .get(&format!(
            "/api/orgs?covers=150602&limit=100&cursor={cursor}"
        ))
        .await;
    let mut all = ids_of(&first);
    all.extend(ids_of(&second));
    assert_eq!(all.len(), 103);
    assert_eq!(all[100..], [banner.clone(), city.clone(), province.clone()]);
    assert_eq!(second["next_cursor"], Value::Null);
    // The city's own list finds its organisation by name too.
    let (_, named) = app.get("/api/orgs?region=150600&q=鄂尔多斯").await;
    assert_eq!(ids_of(&named), vec![city.clone()]);

    for (query, field) in [
        (format!("q={}", "长".repeat(31)), "q"),
        ("covers=1506".to_string(), "covers"),
        ("covers=150602&region=150602".to_string(), "covers"),
        ("covers=150602&status=pending".to_string(), "covers"),
        (format!("covers=150603&cursor={cursor}"), "cursor"),
    ] {
        let (status, body) = app.get(&format!("/api/orgs?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
}
