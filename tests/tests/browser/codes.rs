//! The front door with phone codes: 忘记密码 end to end, and 验证码登录.

use super::{browser, code_from_outbox, fill, focused_id, shot, submit, wait_for, wait_for_text};
use zhiyuan_tests::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_person_who_forgot_their_password_sets_a_new_one_with_a_code() {
    let app = spawn_app().await;
    let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
    let phone = "13912340077".to_string();
    let old = app
        .accounts_in_store(std::slice::from_ref(&phone), &hash)
        .await
        .remove(0);
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    c.goto(&format!("{}/login", app.base)).await.expect("open");
    wait_for(&c, "[data-testid=forgot-password]")
        .await
        .click()
        .await
        .expect("忘记密码");
    fill(&c, "#f-phone", &phone).await;
    let code = code_from_outbox(&c, &app, &phone).await;
    wait_for_text(&c, "[data-testid=send-code]", "秒").await;

    // A wrong code is named next to the code field, with the focus there.
    let n: u32 = code.parse().expect("digits");
    fill(&c, "#f-code", &format!("{:06}", (n + 1) % 1_000_000)).await;
    fill(&c, "#f-new_password", "browser-new-pass-1").await;
    submit(&c).await;
    wait_for_text(&c, "#f-code-err:not([hidden])", "验证码").await;
    assert_eq!(focused_id(&c).await, "f-code");
    shot(&c, "reset-wrong-code.png").await;

    fill(&c, "#f-code", &code).await;
    submit(&c).await;
    wait_for(&c, "[data-testid=me-title]").await;

    // The session from before the reset has ended; the new password signs in.
    let (status, _) = app.get_with("/api/me", Some(&old.token)).await;
    assert_eq!(status, 401);
    app.login(&phone, "browser-new-pass-1").await;
}

#[tokio::test]
async fn a_person_signs_in_with_a_code_instead_of_a_password() {
    let app = spawn_app().await;
    let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
    let phone = "13912340078".to_string();
    app.accounts_in_store(std::slice::from_ref(&phone), &hash)
        .await;
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    c.goto(&format!("{}/login", app.base)).await.expect("open");
    wait_for(&c, "[data-testid=login-by-code]")
        .await
        .click()
        .await
        .expect("验证码登录");
    fill(&c, "#f-phone", &phone).await;
    let code = code_from_outbox(&c, &app, &phone).await;
    fill(&c, "#f-code", &code).await;
    submit(&c).await;
    wait_for(&c, "[data-testid=me-title]").await;
}
