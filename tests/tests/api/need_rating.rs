//! Rating needs (评单): the poster of a done need rates it once; an organizer of the
//! organisation that served it replies once; the organisation's average and the region's
//! satisfaction rate follow exactly; racing ratings have one winner.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_tests::{TestApp, User, spawn_app};

async fn org_ratings(app: &TestApp, org: &str) -> Value {
    let (status, r) = app.get(&format!("/api/orgs/{org}/ratings")).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r
}

/// (ratings, satisfied, satisfaction %) of a region this year, as its admins see them.
async fn satisfaction(app: &TestApp, region: &str) -> (u64, u64, f64) {
    let admin = app.province_admin().await;
    let r = app
        .get_as(&format!("/api/stats?region={region}"), &admin)
        .await;
    let t = &r["total"];
    (
        t["ratings"].as_u64().expect("ratings"),
        t["ratings_satisfied"].as_u64().expect("satisfied"),
        t["satisfaction_percent"].as_f64().expect("percent"),
    )
}

async fn notices_of(app: &TestApp, u: &User, kind: &str) -> Vec<Value> {
    let n = app.get_as("/api/me/notices", &u.token).await;
    n["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_poster_rates_a_done_need_once_and_the_org_and_region_figures_follow() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let (organizer, org) = app.approved_org("150602").await;
    let nid = app
        .claimed_need(&resident, &organizer, &org, "150602")
        .await;

    // Before it is done: refused, nothing counted.
    let (status, body) = app.rate_need(&resident, &nid, 5, "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("need_not_done")),
        "{body}"
    );
    let (status, done) = app
        .post(
            &format!("/api/needs/{nid}/complete"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");

    // Only the poster; bad input is named and changes nothing.
    let stranger = app.register().await;
    let (status, body) = app.rate_need(&stranger, &nid, 5, "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_poster")),
        "{body}"
    );
    let (status, body) = app.rate_need(&organizer, &nid, 5, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for (bad, field) in [
        (json!({"stars": 0}), "stars"),
        (json!({"stars": 6}), "stars"),
        (json!({"comment": "没有星"}), "stars"),
        (json!({"stars": 5, "comment": "好".repeat(301)}), "comment"),
    ] {
        let (status, body) = app
            .post(&format!("/api/needs/{nid}/rating"), &bad, &resident.token)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    assert_eq!(org_ratings(&app, &org).await["count"], 0);
    let (status, _) = app.get(&format!("/api/needs/{nid}/rating")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no rating yet");

    // Rated: shown with the rater masked; the organizer is told.
    let (status, rating) = app
        .rate_need(&resident, &nid, 5, "服务很周到，谢谢！")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rating}");
    assert_eq!(rating["stars"], 5);
    assert_eq!(rating["org_id"], org.as_str());
    assert_eq!(rating["rater"], "测**户", "masked, never the name");
    let shown = app.get(&format!("/api/needs/{nid}/rating")).await.1;
    assert_eq!(shown, rating);
    assert!(
        !shown.to_string().contains(&resident.phone) && !shown.to_string().contains("测试用户"),
        "{shown}"
    );
    let told = notices_of(&app, &organizer, "need_rated").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["link"], format!("/needs/{nid}"));

    // Once: the same rating again (a retry) answers it; another is refused.
    let (status, again) = app
        .rate_need(&resident, &nid, 5, "服务很周到，谢谢！")
        .await;
    assert_eq!((status, &again), (StatusCode::OK, &rating));
    let (status, body) = app.rate_need(&resident, &nid, 1, "改主意了").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_rated")),
        "{body}"
    );
    assert_eq!(notices_of(&app, &organizer, "need_rated").await.len(), 1);

    // A second need rated 2: the average and the region's satisfaction are exact.
    let second = app.done_need(&resident, &organizer, &org, "150602").await;
    let (status, body) = app.rate_need(&resident, &second, 2, "").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body.get("comment"), None, "no comment given");
    let page = org_ratings(&app, &org).await;
    assert_eq!(page["count"], 2);
    assert_eq!(page["average"], 3.5);
    assert_eq!(page["by_stars"], json!([0, 1, 0, 0, 1]));
    assert_eq!(page["recent"].as_array().expect("recent").len(), 2);
    assert_eq!(satisfaction(&app, "150602").await, (2, 1, 50.0));
    assert_eq!(satisfaction(&app, "150603").await, (0, 0, 0.0));
    assert_eq!(
        satisfaction(&app, "150600").await,
        (2, 1, 50.0),
        "the city sums"
    );
}

#[tokio::test]
async fn of_two_racing_ratings_exactly_one_lands() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let (organizer, org) = app.approved_org("150602").await;
    for _ in 0..3 {
        let nid = app.done_need(&resident, &organizer, &org, "150602").await;
        let (a, b) = tokio::join!(
            app.rate_need(&resident, &nid, 5, "很好"),
            app.rate_need(&resident, &nid, 3, "一般"),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "{a:?} {b:?}"
        );
        let winner = if a.0 == StatusCode::CREATED { a.1 } else { b.1 };
        let stands = app.get(&format!("/api/needs/{nid}/rating")).await.1;
        assert_eq!(stands, winner);
    }
    let page = org_ratings(&app, &org).await;
    assert_eq!(page["count"], 3, "{page}");
    let stars: u64 = page["recent"]
        .as_array()
        .expect("recent")
        .iter()
        .map(|r| r["stars"].as_u64().expect("stars"))
        .sum();
    assert_eq!(
        page["average"].as_f64(),
        Some((stars as f64 * 10.0 / 3.0).round() / 10.0)
    );
    let (count, satisfied, _) = satisfaction(&app, "150602").await;
    let fives = page["recent"]
        .as_array()
        .expect("recent")
        .iter()
        .filter(|r| r["stars"] == 5)
        .count() as u64;
    assert_eq!((count, satisfied), (3, fives));
}

#[tokio::test]
async fn an_organizer_of_the_serving_organisation_replies_once() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let (organizer, org) = app.approved_org("150602").await;
    let (other_organizer, _) = app.approved_org("150602").await;
    let nid = app.done_need(&resident, &organizer, &org, "150602").await;
    let reply = |text: &str| json!({ "text": text });
    let path = format!("/api/needs/{nid}/rating/reply");

    let (status, body) = app.post(&path, &reply("谢谢评价"), &organizer.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no rating yet: {body}");
    let (status, _) = app.rate_need(&resident, &nid, 4, "准时到达").await;
    assert_eq!(status, StatusCode::CREATED);

    for who in [&other_organizer, &resident] {
        let (status, body) = app.post(&path, &reply("谢谢"), &who.token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    let (status, body) = app.post(&path, &reply("  "), &organizer.token).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("text"))
    );
    let (status, replied) = app
        .post(
            &path,
            &reply("感谢您的肯定，我们下周再来！"),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{replied}");
    assert_eq!(replied["reply"], "感谢您的肯定，我们下周再来！");
    assert_eq!(replied["stars"], 4);
    let (status, same) = app
        .post(
            &path,
            &reply("感谢您的肯定，我们下周再来！"),
            &organizer.token,
        )
        .await;
    assert_eq!((status, &same), (StatusCode::OK, &replied), "a retry");
    let (status, body) = app.post(&path, &reply("再说一句"), &organizer.token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_replied")),
        "{body}"
    );
    let page = org_ratings(&app, &org).await;
    assert_eq!(page["recent"][0]["reply"], "感谢您的肯定，我们下周再来！");
    assert_eq!(page["average"], 4.0);
}

/// A rating is told to every organizer of the serving organisation (not only its
/// founder), never to a plain member; the reply is told to the rater, once.
#[tokio::test]
async fn every_organizer_hears_of_a_rating_and_the_rater_of_the_reply() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let (founder, org) = app.approved_org("150602").await;
    let (co_organizer, member) = (app.volunteer().await, app.volunteer().await);
    for u in [&co_organizer, &member] {
        app.join_org(&founder, &org, u).await;
    }
    zhiyuan_tests::make_co_organizer(&app.store, &org, &co_organizer.id).await;
    let nid = app.done_need(&resident, &founder, &org, "150602").await;
    let (status, _) = app.rate_need(&resident, &nid, 5, "很好").await;
    assert_eq!(status, StatusCode::CREATED);
    for organizer in [&founder, &co_organizer] {
        let told = notices_of(&app, organizer, "need_rated").await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0]["link"], format!("/needs/{nid}"));
    }
    assert!(notices_of(&app, &member, "need_rated").await.is_empty());
    assert!(
        notices_of(&app, &resident, "rating_replied")
            .await
            .is_empty()
    );

    let path = format!("/api/needs/{nid}/rating/reply");
    let reply = json!({ "text": "谢谢您的评价" });
    let (status, body) = app.post(&path, &reply, &co_organizer.token).await;
    assert_eq!(status, StatusCode::OK, "a co-organizer replies: {body}");
    let (status, _) = app.post(&path, &reply, &co_organizer.token).await;
    assert_eq!(status, StatusCode::OK, "a retry");
    let told = notices_of(&app, &resident, "rating_replied").await;
    assert_eq!(told.len(), 1, "told once: {told:?}");
    assert_eq!(told[0]["link"], format!("/needs/{nid}"));
    assert!(
        notices_of(&app, &founder, "rating_replied")
            .await
            .is_empty()
    );
}
