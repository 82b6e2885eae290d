//! An organizer publishes an activity; a volunteer signs up and cancels.

use super::{
    browser, choose, fill, set_value, shot, sign_in, sign_out, submit, wait_for, wait_for_text,
};
use zhiyuan_tests::spawn_app;

#[tokio::test]
async fn an_organizer_publishes_and_a_volunteer_finds_it_at_the_station_signs_up_and_cancels() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The demo organizer publishes from the organisation's page.
    sign_in(
        &c,
        &base,
        "13800000003",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/orgs/{org}"))
        .await
        .expect("open org");
    wait_for(&c, "a.button.primary[href^='/activities/new']")
        .await
        .click()
        .await
        .expect("publish link");
    choose(&c, "#f-org_id", &org).await;
    fill(&c, "#f-title", "浏览器测试助老活动").await;
    fill(&c, "#f-description", "陪伴老人聊天").await;
    choose(&c, "#f-service_field", "elderly_care").await;
    choose(&c, "#f-region_code", "150602").await;
    let station = wait_for(&c, "#f-station_id option:nth-child(2)")
        .await
        .attr("value")
        .await
        .expect("attr")
        .expect("a station");
    choose(&c, "#f-station_id", &station).await;
    let day = zhiyuan_shared::time::Timestamp::from_unix(
        zhiyuan_functions::clock::now_unix() + 5 * 86_400,
    )
    .cst_date()
    .iso();
    set_value(&c, "#f-shift-0-starts", &format!("{day}T09:00")).await;
    set_value(&c, "#f-shift-0-ends", &format!("{day}T11:30")).await;
    set_value(&c, "#f-shift-0-places", "2").await;
    shot(&c, "activity-form.png").await;
    submit(&c).await;
    wait_for(&c, "#activity-title").await;
    let url = c.current_url().await.expect("url");
    let activity_id = url.path().trim_start_matches("/activities/").to_string();

    // The organizer files the plan in the activity's archive, and a fake photo (a web
    // page named .png) is refused after its bytes are read.
    let dir = zhiyuan_tests::target_dir()
        .join("test-artifacts")
        .join("archive");
    std::fs::create_dir_all(&dir).expect("upload dir");
    let plan = dir.join("活动方案.pdf");
    std::fs::write(&plan, zhiyuan_tests::sample_file("pdf", 3000)).expect("plan file");
    let fake = dir.join("合影.png");
    std::fs::write(&fake, b"<html><script>alert(1)</script></html>").expect("fake file");
    choose(&c, "#f-archive-kind", "plan").await;
    wait_for(&c, "#f-archive-file")
        .await
        .send_keys(&plan.to_string_lossy())
        .await
        .expect("pick plan");
    wait_for(&c, ".archive-upload button[type=submit]")
        .await
        .click()
        .await
        .expect("upload");
    let link = wait_for(&c, ".archive-files a[download]").await;
    assert_eq!(link.text().await.expect("name"), "活动方案.pdf");
    let href = link.attr("href").await.expect("attr").expect("href");
    let file = app
        .http
        .get(format!("{base}{href}"))
        .send()
        .await
        .expect("download");
    assert_eq!(
        file.bytes().await.expect("bytes").to_vec(),
        zhiyuan_tests::sample_file("pdf", 3000)
    );
    choose(&c, "#f-archive-kind", "photo").await;
    wait_for(&c, "#f-archive-file")
        .await
        .send_keys(&fake.to_string_lossy())
        .await
        .expect("pick fake");
    wait_for(&c, ".archive-upload button[type=submit]")
        .await
        .click()
        .await
        .expect("upload");
    wait_for_text(&c, ".archive [role=status]", "已丢弃").await;
    shot(&c, "activity-archive.png").await;
    let (_, a) = app
        .get_with(
            &format!("/api/activities/{activity_id}/attachments"),
            Some(
                &app.login("13800000003", zhiyuan_functions::seed::DEMO_PASSWORD)
                    .await,
            ),
        )
        .await;
    assert_eq!(a["items"].as_array().map(Vec::len), Some(1), "{a}");
    sign_out(&c, &base).await;

    // The demo volunteer finds it on the station's page, signs up, then cancels.
    sign_in(
        &c,
        &base,
        "13800000004",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("station");
    wait_for(&c, &format!("a[href='/activities/{activity_id}']"))
        .await
        .click()
        .await
        .expect("open activity");
    wait_for(&c, ".shifts button.primary")
        .await
        .click()
        .await
        .expect("sign up");
    let msg = wait_for(&c, ".shifts .badge")
        .await
        .text()
        .await
        .expect("badge");
    assert_eq!(msg, "已报名");
    shot(&c, "activity-signed-up.png").await;
    let (_, a) = app.get(&format!("/api/activities/{activity_id}")).await;
    assert_eq!(a["shifts"][0]["taken"], 1);
    wait_for(&c, ".shifts button:not(.primary)")
        .await
        .click()
        .await
        .expect("cancel");
    wait_for(&c, ".shifts button.primary").await;
    let (_, a) = app.get(&format!("/api/activities/{activity_id}")).await;
    assert_eq!(a["shifts"][0]["taken"], 0);
    c.close().await.expect("close browser");
}
