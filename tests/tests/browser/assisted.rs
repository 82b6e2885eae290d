//! 代注册 in the app: an organizer, from the "我的" menu at phone width, registers an
//! older resident with the code the resident reads out; the resident then takes the
//! account over — first signing in at the station by a code, which points them to the
//! takeover; then from the login page — and signs in with their own password.

use super::audit::fits_and_passes;
use super::{
    PHONE, browser, choose, code_from_outbox, fill, focused_id, settle, shot, sign_in, sign_out,
    submit, wait_for, wait_for_text,
};
use zhiyuan_tests::{PASSWORD, id_number, phone, spawn_app};

#[tokio::test]
async fn an_organizer_registers_a_resident_who_then_takes_the_account_over() {
    let _ = std::fs::create_dir_all(zhiyuan_tests::target_dir().join("test-artifacts"));
    let app = spawn_app().await;
    let (organizer, _) = app.approved_org("150602").await;
    let resident = phone(app.next());
    let id = id_number(app.next());
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1)
        .await
        .expect("phone width");

    sign_in(&c, &base, &organizer.phone, PASSWORD).await;
    // The helper reads with large text on.
    c.execute("localStorage.setItem('zhiyuan.large_text', '1');", vec![])
        .await
        .expect("large text");
    c.goto(&format!("{base}/me")).await.expect("me");
    wait_for(
        &c,
        "[data-testid=more-links] a[href='/assisted-registration']",
    )
    .await
    .click()
    .await
    .expect("代注册 in the menu");
    wait_for_text(&c, "h1", "代注册").await;
    fill(&c, "#f-display_name", "王奶奶").await;
    fill(&c, "#f-real_name", "王秀兰").await;
    fill(&c, "#f-id_number", &id).await;
    choose(&c, "#f-region_code", "150602").await;
    wait_for(&c, "#f-service_fields")
        .await
        .click()
        .await
        .expect("a field");
    fill(&c, "#f-phone", &resident).await;
    let code = code_from_outbox(&c, &app, &resident).await;
    fill(&c, "#f-code", &code).await;
    wait_for(&c, "#f-consent")
        .await
        .click()
        .await
        .expect("consent");
    fits_and_passes(&c, "the assisted registration form").await;
    shot(&c, "assisted-form-large-390.png").await;
    submit(&c).await;

    wait_for_text(&c, "[data-testid=assisted-done]", "接管代注册账户").await;
    let no = wait_for(&c, "[data-testid=assisted-volunteer-no]")
        .await
        .text()
        .await
        .expect("number");
    assert!(no.starts_with("150602"), "{no}");
    settle(&c).await;
    assert_eq!(
        focused_id(&c).await,
        "f-assisted-done",
        "the success is where focus lands"
    );
    fits_and_passes(&c, "the assisted registration's success").await;
    shot(&c, "assisted-done-large-390.png").await;
    c.execute("localStorage.removeItem('zhiyuan.large_text');", vec![])
        .await
        .expect("normal text");
    sign_out(&c, &base).await;

    // The resident signs in at the station by a code and is pointed to the takeover.
    app.minute_passes_for(&resident).await;
    c.goto(&format!("{base}/login")).await.expect("login");
    wait_for(&c, "[data-testid=login-by-code]")
        .await
        .click()
        .await
        .expect("验证码登录");
    fill(&c, "#f-phone", &resident).await;
    let code = new_code(&c, &app, &resident).await;
    fill(&c, "#f-code", &code).await;
    submit(&c).await;
    wait_for_text(&c, "[data-testid=assisted-takeover-hint]", "接管代注册账户").await;
    sign_out(&c, &base).await;

    // Later, on their own phone, from the login page.
    app.minute_passes_for(&resident).await;
    c.goto(&format!("{base}/login")).await.expect("login");
    wait_for(&c, "[data-testid=takeover-link]")
        .await
        .click()
        .await
        .expect("接管代注册账户");
    wait_for_text(&c, "h1", "接管代注册账户").await;
    fill(&c, "#f-phone", &resident).await;
    let code = new_code(&c, &app, &resident).await;
    fill(&c, "#f-code", &code).await;
    fill(&c, "#f-new_password", "grandma-pass-2026").await;
    submit(&c).await;
    wait_for(&c, "[data-testid=me-title]").await;
    let token = app.login(&resident, "grandma-pass-2026").await;
    let me = app.get_as("/api/me", &token).await;
    assert_eq!(me["volunteer"]["real_name"], "王秀兰");
    assert!(me["assisted"]["taken_over_at"].is_string(), "{me}");
    c.close().await.expect("close browser");
}

/// Presses "获取验证码" and reads the code of the message that then arrives: the phone
/// already holds earlier codes.
async fn new_code(c: &fantoccini::Client, app: &zhiyuan_tests::TestApp, phone: &str) -> String {
    let before = app.sms_to(phone).len();
    wait_for(c, "[data-testid=send-code]")
        .await
        .click()
        .await
        .expect("get a code");
    for _ in 0..100 {
        if app.sms_to(phone).len() > before {
            return app.last_code(phone).expect("a code in the new message");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no new code reached {phone}")
}
