//! 通知设置: a volunteer chooses which notices also come by SMS and turns quiet hours
//! off, with the keyboard on a phone-sized screen; the choice is there after a reload.

use super::{browser, js_true, seeded_app, shot, sign_in, submit, wait_for, wait_for_text};
use std::time::Duration;

async fn checked(c: &fantoccini::Client, css: &str) -> bool {
    js_true(
        c,
        &format!("return document.querySelector('{css}')?.checked === true"),
    )
    .await
}

#[tokio::test]
async fn notice_settings_are_saved_with_a_confirmation_and_shown_again_after_a_reload() {
    let app = seeded_app().await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(
        &c,
        &base,
        "13800000004",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/me/notice-settings"))
        .await
        .expect("settings");
    wait_for(&c, "#f-sms").await;
    // The defaults: cancellations, promotions and reminders by SMS; quiet hours on.
    assert!(checked(&c, "#f-sms").await, "promotions on by default");
    assert!(checked(&c, "#f-sms-reminder").await);
    assert!(!checked(&c, "#f-sms-need_done").await);
    assert!(checked(&c, "#f-quiet_hours").await);

    // With the keyboard: Space toggles the focused box.
    for css in ["#f-sms-reminder", "#f-sms-need_done", "#f-quiet_hours"] {
        c.execute(
            "document.querySelector(arguments[0]).focus()",
            vec![serde_json::json!(css)],
        )
        .await
        .expect("focus");
        c.active_element()
            .await
            .expect("focus")
            .send_keys(" ")
            .await
            .expect("space");
    }
    submit(&c).await;
    wait_for_text(&c, "[data-testid=nsms-saved]", "通知设置已保存").await;
    shot(&c, "notice-settings-saved.png").await;

    c.refresh().await.expect("reload");
    wait_for(&c, "#f-sms").await;
    let mut as_saved = false;
    for _ in 0..50 {
        as_saved = checked(&c, "#f-sms-need_done").await
            && !checked(&c, "#f-sms-reminder").await
            && !checked(&c, "#f-quiet_hours").await
            && checked(&c, "#f-sms-activity_cancelled").await;
        if as_saved {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(as_saved, "the saved choice is shown after a reload");
}
