//! My account (我的账号): a person changes their password, and closes their account.

use super::{browser, fill, focused_id, shot, sign_in, sign_out, wait_for, wait_for_text};
use reqwest::StatusCode;
use serde_json::json;
use zhiyuan_tests::{PASSWORD, TestApp, spawn_app};

async fn click(c: &fantoccini::Client, css: &str) {
    wait_for(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Where the screenshots go (the first test to run may find it missing).
fn artifacts() {
    let _ = std::fs::create_dir_all(zhiyuan_tests::target_dir().join("test-artifacts"));
}

async fn login_status(app: &TestApp, phone: &str, password: &str) -> StatusCode {
    app.send_json(
        reqwest::Method::POST,
        "/api/auth/login",
        &json!({"phone": phone, "password": password}),
        None,
    )
    .await
    .0
}

#[tokio::test]
async fn a_person_changes_their_password_from_my_account_and_signs_in_with_the_new_one() {
    artifacts();
    let app = spawn_app().await;
    let u = app.register().await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(&c, &base, &u.phone, PASSWORD).await;
    click(&c, "[data-testid=account-link]").await;
    wait_for(&c, "[data-testid=account-title]").await;

    // 我的数据: the password is asked again, then the file is offered and the page says so.
    click(&c, "[data-testid=download-data]").await;
    wait_for(&c, "[data-testid=recheck-dialog]").await;
    fill(&c, "#f-recheck_password", PASSWORD).await;
    click(&c, "[data-testid=recheck-submit]").await;
    wait_for_text(
        &c,
        "section[aria-labelledby=data-title] [role=status]",
        "已下载",
    )
    .await;

    // A wrong current password is named on its field, with the focus there.
    fill(&c, "#f-current_password", "wrong-pass-2026").await;
    fill(&c, "#f-new_password", "browser-new-pass-1").await;
    click(&c, "[data-testid=password-form] button[type=submit]").await;
    wait_for_text(&c, "#f-current_password-err", "密码不正确").await;
    assert_eq!(focused_id(&c).await, "f-current_password");

    fill(&c, "#f-current_password", PASSWORD).await;
    click(&c, "[data-testid=password-form] button[type=submit]").await;
    wait_for_text(&c, "[data-testid=password-status]", "密码已修改").await;
    shot(&c, "account-password-changed.png").await;
    // The session the test made through the API has ended; this browser's has not.
    assert_eq!(
        app.get_with("/api/me", Some(&u.token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    c.goto(&format!("{base}/me")).await.expect("open me");
    wait_for(&c, "[data-testid=me-title]").await;
    sign_out(&c, &base).await;
    assert_eq!(
        login_status(&app, &u.phone, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    sign_in(&c, &base, &u.phone, "browser-new-pass-1").await;
}

#[tokio::test]
async fn a_person_closes_their_account_after_the_warning_a_confirmation_and_their_password() {
    artifacts();
    let app = spawn_app().await;
    let u = app.volunteer().await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(&c, &base, &u.phone, PASSWORD).await;
    c.goto(&format!("{base}/me/account")).await.expect("open");
    let warning = wait_for(&c, "[data-testid=close-warning]")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        warning.contains("身份证号码") && warning.contains("已注销志愿者"),
        "says what goes and what stays: {warning}"
    );
    click(&c, "[data-testid=close-start]").await;
    // "Keep my account" folds the form away and gives the keyboard back to its button.
    click(&c, "[data-testid=close-form] button.link").await;
    let mut focused = String::new();
    for _ in 0..20 {
        focused = focused_id(&c).await;
        if focused == "close-start" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(focused, "close-start");
    click(&c, "[data-testid=close-start]").await;

    // Not ticked: nothing is sent, the box is named.
    fill(&c, "#f-password", PASSWORD).await;
    click(&c, "[data-testid=close-form] button[type=submit]").await;
    wait_for(&c, "#f-understood-err:not([hidden])").await;
    assert_eq!(focused_id(&c).await, "f-understood");
    click(&c, "#f-understood").await;
    // A wrong password closes nothing.
    fill(&c, "#f-password", "wrong-pass-2026").await;
    click(&c, "[data-testid=close-form] button[type=submit]").await;
    wait_for_text(&c, "#f-password-err", "密码不正确").await;
    assert_eq!(
        app.get_with("/api/me", Some(&u.token)).await.0,
        StatusCode::OK
    );
    shot(&c, "account-close-confirm.png").await;

    fill(&c, "#f-password", PASSWORD).await;
    click(&c, "[data-testid=close-form] button[type=submit]").await;
    wait_for_text(&c, "[data-testid=account-closed]", "已注销").await;
    shot(&c, "account-closed.png").await;
    assert_eq!(
        login_status(&app, &u.phone, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    // Signed out on this device too.
    c.goto(&format!("{base}/me")).await.expect("open me");
    wait_for_text(&c, "main [role=alert]", "请先登录").await;
}

#[tokio::test]
async fn a_person_who_no_longer_knows_their_password_closes_their_account_with_an_sms_code() {
    artifacts();
    let app = spawn_app().await;
    let u = app.register().await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(&c, &base, &u.phone, PASSWORD).await;
    c.goto(&format!("{base}/me/account")).await.expect("open");
    click(&c, "[data-testid=close-start]").await;
    click(&c, "#f-understood").await;
    click(&c, "[data-testid=close-by-code]").await;
    let to = wait_for(&c, "[data-testid=close-code-to]")
        .await
        .text()
        .await
        .expect("text");
    assert!(to.contains("****"), "names the phone, masked: {to}");

    // The registration code went out under a minute ago: let the resend minute pass.
    app.minute_passes_for(&u.phone).await;
    let before = app.sms_to(&u.phone).len();
    click(&c, "[data-testid=send-code]").await;
    let mut code = None;
    for _ in 0..100 {
        if app.sms_to(&u.phone).len() > before {
            code = app.last_code(&u.phone);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let code = code.expect("a code reached the account's phone");
    wait_for(&c, "[data-testid=send-code]:disabled").await;

    // A wrong code is named on the code field and closes nothing.
    let n: u32 = code.parse().expect("digits");
    fill(&c, "#f-code", &format!("{:06}", (n + 1) % 1_000_000)).await;
    click(&c, "[data-testid=close-form] button[type=submit]").await;
    wait_for_text(&c, "#f-code-err:not([hidden])", "验证码").await;
    assert_eq!(focused_id(&c).await, "f-code");
    assert_eq!(
        app.get_with("/api/me", Some(&u.token)).await.0,
        StatusCode::OK
    );
    shot(&c, "account-close-by-code.png").await;

    fill(&c, "#f-code", &code).await;
    click(&c, "[data-testid=close-form] button[type=submit]").await;
    wait_for_text(&c, "[data-testid=account-closed]", "已注销").await;
    assert_eq!(
        login_status(&app, &u.phone, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
}
