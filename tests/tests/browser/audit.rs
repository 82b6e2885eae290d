//! The personal-data trail in the app: a volunteer sees on 我的账号 that their whole
//! numbers were shown, and their banner's admin sees it on the admin page; both at phone
//! width, in large text, with no axe finding.

use super::pages::{axe_source, axe_violations, widths};
use super::{PHONE, browser, settle, shot, sign_in, sign_in_admin, sign_out, wait_for_text};
use serde_json::Value;
use zhiyuan_tests::{PASSWORD, spawn_app};

/// Checks the page as it stands: nothing scrolls sideways, axe finds nothing.
pub(super) async fn fits_and_passes(c: &fantoccini::Client, what: &str) {
    settle(c).await;
    let (scroll, inner) = widths(c).await;
    assert!(
        scroll <= inner,
        "{what} scrolls sideways: {scroll} > {inner}"
    );
    let found = axe_violations(c, &axe_source()).await;
    assert!(found.is_empty(), "{what}: {}", found.join("\n"));
}

#[tokio::test]
async fn a_volunteer_and_their_region_admin_see_who_was_shown_the_volunteers_numbers() {
    let _ = std::fs::create_dir_all(zhiyuan_tests::target_dir().join("test-artifacts"));
    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (status, body) = app
        .send_json(
            reqwest::Method::POST,
            "/api/me/reveal",
            &Value::Null,
            Some(&app.rechecked(&v.token).await),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let admin = app.region_admin("150602").await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1)
        .await
        .expect("phone width");

    sign_in(&c, &base, &v.phone, PASSWORD).await;
    c.goto(&format!("{base}/me/account"))
        .await
        .expect("account");
    let entry = wait_for_text(&c, "[data-testid=pd-trail] li", "查看完整号码").await;
    assert!(
        entry.contains("本人"),
        "seen by the volunteer themselves: {entry}"
    );
    fits_and_passes(&c, "my account").await;
    c.execute("localStorage.setItem('zhiyuan.large_text', '1');", vec![])
        .await
        .expect("large text");
    c.goto(&format!("{base}/me/account"))
        .await
        .expect("account");
    wait_for_text(&c, "[data-testid=pd-trail] li", "查看完整号码").await;
    fits_and_passes(&c, "my account in large text").await;
    shot(&c, "account-personal-data-trail-large-390.png").await;
    c.execute("localStorage.removeItem('zhiyuan.large_text');", vec![])
        .await
        .expect("normal text");
    sign_out(&c, &base).await;

    sign_in_admin(&c, &app, &admin.phone, PASSWORD).await;
    c.goto(&format!("{base}/admin")).await.expect("admin");
    let entry = wait_for_text(&c, "[data-testid=pd-trail] li", "查看完整号码").await;
    assert!(entry.contains("测试用户"), "whose data: {entry}");
    fits_and_passes(&c, "the admin page").await;
    shot(&c, "admin-personal-data-trail-390.png").await;
    c.close().await.expect("close browser");
}
