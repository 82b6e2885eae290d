//! A resident's need, claimed by an organisation and made an activity.

use super::{
    browser, choose, fill, set_value, shot, sign_in, sign_out, submit, wait_for, wait_for_text,
};
use fantoccini::Client;
use std::time::Duration;
use zhiyuan_tests::{TestApp, spawn_app};

/// The app with the demo data, and a browser at phone width.
async fn seeded_on_a_phone() -> (TestApp, Client) {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    (app, c)
}

/// The signed-in user posts a need in 东胜区 through the form; returns its id once its
/// page shows it open.
async fn post_need(c: &Client, base: &str, title: &str, address: &str, when: &str) -> String {
    c.goto(&format!("{base}/needs/new"))
        .await
        .expect("new need");
    fill(c, "#f-title", title).await;
    fill(c, "#f-description", "每周送两次午餐").await;
    choose(c, "#f-service_target", "empty_nest_elderly").await;
    choose(c, "#f-region_code", "150602").await;
    fill(c, "#f-address", address).await;
    fill(c, "#f-when", when).await;
    shot(c, "need-form.png").await;
    submit(c).await;
    wait_for_text(c, "[data-testid=need-status] [aria-current=step]", "待派单").await;
    let url = c.current_url().await.expect("url");
    url.path().trim_start_matches("/needs/").to_string()
}

/// A resident posts a need; it shows on the map; the demo organizer claims it, makes an
/// activity of it and marks it done; the resident follows it on "my needs".
#[tokio::test]
async fn a_resident_posts_a_need_an_organisation_claims_it_makes_an_activity_and_finishes_it() {
    let (app, c) = seeded_on_a_phone().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();

    // The demo volunteer, as a resident, posts a need.
    sign_in(&c, &base, "13800000004", password).await;
    let need_id = post_need(
        &c,
        &base,
        "浏览器测试：独居老人助餐",
        "东胜区建设社区",
        "每周二中午",
    )
    .await;

    // It is on the map among the open needs of the city.
    c.goto(&format!("{base}/")).await.expect("home");
    // On a phone the needs switch is among the filters folded under "更多筛选".
    wait_for(&c, "#filters-toggle")
        .await
        .click()
        .await
        .expect("open the filters");
    wait_for(&c, "#show-needs")
        .await
        .click()
        .await
        .expect("show needs");
    let mut on_map = String::new();
    for _ in 0..50 {
        on_map = wait_for(&c, "[data-testid=station-map]")
            .await
            .attr("data-needs")
            .await
            .expect("attr")
            .unwrap_or_default();
        if on_map != "0" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(on_map.parse::<u32>().expect("count") >= 1, "{on_map}");
    wait_for(&c, ".zy-need-marker").await;
    shot(&c, "needs-on-map.png").await;
    sign_out(&c, &base).await;

    // The demo organizer claims it and makes an activity of it.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/needs/{need_id}"))
        .await
        .expect("need");
    wait_for(&c, "#claim-org option").await;
    wait_for(&c, ".actions button.primary")
        .await
        .click()
        .await
        .expect("claim");
    wait_for_text(
        &c,
        "[data-testid=need-status] [aria-current=step]",
        "已接单",
    )
    .await;
    wait_for(&c, "a.button.primary[href*='need=']")
        .await
        .click()
        .await
        .expect("make activity");
    wait_for_text(&c, "#f-title", "").await;
    for _ in 0..50 {
        let v = wait_for(&c, "#f-title")
            .await
            .prop("value")
            .await
            .expect("value");
        if v.as_deref() == Some("浏览器测试：独居老人助餐") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    choose(&c, "#f-service_field", "elderly_care").await;
    let day = zhiyuan_shared::time::Timestamp::from_unix(
        zhiyuan_functions::clock::now_unix() + 4 * 86_400,
    )
    .cst_date()
    .iso();
    set_value(&c, "#f-shift-0-starts", &format!("{day}T11:00")).await;
    set_value(&c, "#f-shift-0-ends", &format!("{day}T13:00")).await;
    set_value(&c, "#f-shift-0-places", "3").await;
    submit(&c).await;
    wait_for(&c, "#activity-title").await;

    // Back on the need: the activity is linked; the organisation marks it done.
    c.goto(&format!("{base}/needs/{need_id}"))
        .await
        .expect("need");
    wait_for(&c, "a[href^='/activities/']").await;
    wait_for(&c, ".actions button.secondary")
        .await
        .click()
        .await
        .expect("done");
    wait_for_text(
        &c,
        "[data-testid=need-status] [aria-current=step]",
        "已完成",
    )
    .await;
    shot(&c, "need-done.png").await;
    sign_out(&c, &base).await;

    // The resident sees it done.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/needs")).await.expect("my needs");
    wait_for_text(&c, ".card-list", "已完成").await;
    c.close().await.expect("close browser");
}

/// The poster sees the exact address and withdraws their open need after confirming;
/// a visitor sees only the area; "my needs" shows it withdrawn.
#[tokio::test]
async fn a_poster_withdraws_an_open_need_after_confirming_and_visitors_see_only_the_area() {
    let (app, c) = seeded_on_a_phone().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();

    sign_in(&c, &base, "13800000004", password).await;
    let need_id = post_need(
        &c,
        &base,
        "浏览器测试：陪同就医",
        "东胜区建设社区5号楼",
        "周三上午",
    )
    .await;
    wait_for_text(&c, "[data-testid=need-address]", "东胜区建设社区5号楼").await;
    sign_out(&c, &base).await;

    // A visitor: the area, never the address.
    c.goto(&format!("{base}/needs/{need_id}"))
        .await
        .expect("need");
    wait_for_text(&c, "[data-testid=need-address]", "详细地址只对").await;
    let shown = wait_for(&c, "main").await.text().await.expect("text");
    assert!(!shown.contains("5号楼"), "{shown}");
    shot(&c, "need-as-visitor.png").await;

    // The poster withdraws it, confirming first.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/needs/{need_id}"))
        .await
        .expect("need");
    wait_for(&c, "[data-testid=need-withdraw]")
        .await
        .click()
        .await
        .expect("withdraw");
    wait_for(&c, "[data-testid=need-withdraw-yes]")
        .await
        .click()
        .await
        .expect("confirm");
    wait_for_text(&c, "[data-testid=need-status]", "已撤回").await;
    shot(&c, "need-withdrawn.png").await;
    c.goto(&format!("{base}/me/needs")).await.expect("my needs");
    wait_for_text(&c, ".card-list", "已撤回").await;
    c.close().await.expect("close browser");
}
