//! An organizer edits a published activity from its page at phone width: the new times
//! overlap a signed-up volunteer's other shift, the form names them and saves only when
//! the organizer confirms; the volunteer is told.

use super::{
    browser, fill, focused_id, seeded_app, set_value, settle, shot, sign_in, submit, wait_for,
    wait_for_text,
};
use serde_json::json;
use zhiyuan_tests::{DAY, activity_body};

#[tokio::test]
async fn an_organizer_edits_an_activity_and_confirms_an_overlap_it_names() {
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let organizer = app.login("13800000003", password).await;
    let volunteer = app.login("13800000004", password).await;
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let publish = |body: serde_json::Value| {
        let (app, organizer) = (&app, organizer.clone());
        async move {
            let (status, a) = app
                .send_json(
                    reqwest::Method::POST,
                    "/api/activities",
                    &body,
                    Some(&organizer),
                )
                .await;
            assert_eq!(status, reqwest::StatusCode::CREATED, "{a}");
            a
        }
    };
    // The volunteer holds a morning shift of one activity and the afternoon of another.
    let morning = publish(activity_body(&org, &[(5 * DAY, 3 * 3600, 5)])).await;
    let mut later = activity_body(&org, &[(5 * DAY + 5 * 3600, 2 * 3600, 5)]);
    later["title"] = json!("午后读报");
    let afternoon = publish(later).await;
    for a in [&morning, &afternoon] {
        let shift = a["shifts"][0]["id"].as_str().expect("shift");
        assert_eq!(
            app.sign_up(&volunteer, shift).await.0,
            reqwest::StatusCode::CREATED
        );
    }
    let id = afternoon["id"].as_str().expect("id").to_string();
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/activities/{id}"))
        .await
        .expect("open activity");
    // The page is whole first: a section still loading above would move the button after
    // it was scrolled into view, under the phone's tab bar.
    settle(&c).await;
    wait_for(&c, &format!("a.button[href='/activities/{id}/edit']"))
        .await
        .click()
        .await
        .expect("编辑");
    wait_for_text(&c, "h1", "编辑活动").await;
    fill(&c, "#f-title", "午后读报（提前）").await;
    set_value(&c, "#f-shift-0-places", "8").await;
    // Two hours earlier: into the morning shift the volunteer also holds.
    let starts = zhiyuan_shared::time::Timestamp::from_unix(
        (zhiyuan_functions::clock::now_unix() + 5 * DAY + 2 * 3600) / 60 * 60,
    );
    let local =
        |t: zhiyuan_shared::time::Timestamp| t.rfc3339_cst().chars().take(16).collect::<String>();
    set_value(&c, "#f-shift-0-starts", &local(starts)).await;
    set_value(&c, "#f-shift-0-ends", &local(starts.plus(2 * 3600))).await;
    submit(&c).await;
    let alert = wait_for_text(&c, "#f-overlaps", "冲突").await;
    assert!(alert.contains("社区敬老助餐"), "{alert}");
    assert_eq!(
        focused_id(&c).await,
        "f-overlaps",
        "the list takes the focus"
    );
    shot(&c, "activity-edit-overlaps.png").await;
    let (_, unchanged) = app.get(&format!("/api/activities/{id}")).await;
    assert_eq!(
        unchanged["title"], "午后读报",
        "nothing saved before confirming"
    );

    wait_for(&c, "#f-overlaps button")
        .await
        .click()
        .await
        .expect("仍然保存");
    wait_for_text(&c, "#activity-title", "午后读报（提前）").await;
    let (_, edited) = app.get(&format!("/api/activities/{id}")).await;
    assert_eq!(edited["shifts"][0]["capacity"], 8);
    assert_eq!(
        edited["shifts"][0]["starts_at"],
        json!(starts.rfc3339_cst())
    );
    let notices = app.get_as("/api/me/notices", &volunteer).await;
    assert!(
        notices["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|n| n["kind"] == "activity_changed"),
        "{notices}"
    );
}
