//! Dispatch (派单 → 接单) in the browser: the region admin dispatches a resident's need from
//! the queue, the organizer opens and leaves the decline dialog by keyboard, then accepts;
//! the resident sees 已接单.

use super::{browser, shot, sign_in, sign_in_admin, sign_out, wait_for, wait_for_text};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::Duration;
use zhiyuan_tests::spawn_app;

/// The element's `id` that has the focus.
async fn focused_id(c: &Client) -> String {
    c.active_element()
        .await
        .expect("active element")
        .attr("id")
        .await
        .expect("id")
        .unwrap_or_default()
}

/// The focused element's `id` once it is `want` (the focus can arrive a frame or two
/// after what moves it), or whatever has it after 5 s.
async fn focus_becomes(c: &Client, want: &str) -> String {
    let mut focus = String::new();
    for _ in 0..50 {
        focus = focused_id(c).await;
        if focus == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    focus
}

/// Clicks the `data-testid=button` inside the card holding `title`.
async fn click_in_card(c: &Client, title: &str, button: &str) {
    let xpath = format!(
        "//li[contains(@class,'need-card')][contains(., '{title}')]//button[@data-testid='{button}']"
    );
    let el = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("{button} in the card of {title}: {e}"));
    let arg = serde_json::to_value(&el).unwrap_or_default();
    let _ = c
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await;
    el.click().await.expect("click");
}

async fn status_of(app: &zhiyuan_tests::TestApp, id: &str) -> String {
    app.get(&format!("/api/needs/{id}")).await.1["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn wait_for_status(app: &zhiyuan_tests::TestApp, id: &str, want: &str) {
    for _ in 0..100 {
        if status_of(app, id).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the need never became {want}");
}

#[tokio::test]
async fn the_admin_dispatches_the_organizer_accepts_and_the_resident_sees_it_taken_on() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();
    let title = "浏览器测试：派单助浴";
    let resident = app.login("13800000004", password).await;
    let (status, need) = app
        .post(
            "/api/needs",
            &json!({
                "title": title, "description": "每周一次", "service_target": "empty_nest_elderly",
                "address": "东胜区建设社区", "lat": 39.817, "lng": 109.977,
                "region_code": "150602", "when": "每周四上午",
            }),
            &resident,
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{need}");
    let id = need["id"].as_str().expect("id").to_string();
    let organizer = app.login("13800000003", password).await;
    let org = app.get_as("/api/me/orgs", &organizer).await[0]["org_id"]
        .as_str()
        .expect("the demo organizer's org")
        .to_string();

    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The region admin of 东胜区 dispatches it from the queue.
    sign_in_admin(&c, &app, "13800000002", password).await;
    c.goto(&format!("{base}/dispatch")).await.expect("queue");
    wait_for_text(&c, "[data-testid=dispatch-queue]", title).await;
    click_in_card(&c, title, "dispatch-open").await;
    // The organisation by keyboard: the search has the focus; typing part of the name
    // narrows the covering organisations, Tab reaches the choices and Space picks one.
    let name = app.get(&format!("/api/orgs/{org}")).await.1["name"]
        .as_str()
        .expect("the demo org's name")
        .to_string();
    assert_eq!(
        focus_becomes(&c, "f-org_id").await,
        "f-org_id",
        "the search has the focus"
    );
    let part: String = name.chars().take(4).collect();
    c.active_element()
        .await
        .expect("active")
        .send_keys(&part)
        .await
        .expect("type");
    let choice = format!("input[data-testid=dispatch-org-choice][value='{org}']");
    wait_for(&c, &choice).await;
    wait_for_text(&c, "#f-org_id-status", "1").await;
    let key = |k: fantoccini::key::Key| k.to_string();
    c.active_element()
        .await
        .expect("active")
        .send_keys(&key(fantoccini::key::Key::Tab))
        .await
        .expect("tab");
    c.active_element()
        .await
        .expect("active")
        .send_keys(" ")
        .await
        .expect("space");
    let checked = c
        .execute(
            &format!("return document.querySelector(\"{choice}\").checked;"),
            vec![],
        )
        .await
        .expect("checked");
    assert_eq!(checked, json!(true), "Space picked the organisation");
    shot(&c, "dispatch-form.png").await;
    wait_for(&c, "[data-testid=dispatch-submit]")
        .await
        .click()
        .await
        .expect("dispatch");
    wait_for_status(&app, &id, "dispatched").await;
    sign_out(&c, &base).await;

    // The organizer opens the decline dialog: the reason has the focus; Escape closes it
    // and gives the focus back to 拒绝. Then 接单.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/me/dispatched-needs"))
        .await
        .expect("dispatched to us");
    wait_for_text(&c, "[data-testid=dispatched-list]", title).await;
    shot(&c, "dispatched-to-us.png").await;
    click_in_card(&c, title, "dispatched-decline").await;
    wait_for(&c, "[data-testid=decline-dialog]").await;
    assert_eq!(focus_becomes(&c, "f-reason").await, "f-reason");
    shot(&c, "decline-dialog.png").await;
    c.active_element()
        .await
        .expect("active")
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .expect("escape");
    let back = format!("decline-{id}");
    assert_eq!(
        focus_becomes(&c, &back).await,
        back,
        "the focus is back on 拒绝"
    );
    assert_eq!(status_of(&app, &id).await, "dispatched", "nothing was sent");
    click_in_card(&c, title, "dispatched-accept").await;
    wait_for_status(&app, &id, "claimed").await;
    sign_out(&c, &base).await;

    // The resident follows it: 已接单.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/needs/{id}")).await.expect("need");
    wait_for_text(
        &c,
        "[data-testid=need-status] [aria-current=step]",
        "已接单",
    )
    .await;
    shot(&c, "need-taken-on.png").await;
    c.close().await.expect("close browser");
}
