//! Sessions in the browser: a region admin signs in in two steps, re-checks before the
//! whole number is shown, and after idling out is sent to sign in and brought back.

use super::{
    PHONE, browser, fill, focus_arrives, focused_id, press, second_factor, seeded_app, shot,
    submit, wait_for, wait_for_text,
};
use fantoccini::Locator;
use fantoccini::key::Key;

const ADMIN: &str = "13800000002";

#[tokio::test]
async fn an_admin_signs_in_with_a_code_re_checks_to_see_the_whole_number_and_is_sent_back_after_idling_out()
 {
    let _ = std::fs::create_dir_all(zhiyuan_tests::target_dir().join("test-artifacts"));
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1)
        .await
        .expect("phone width");

    // Step one: the password. No session yet; the page asks for the code it sent.
    c.goto(&format!("{base}/login")).await.expect("login");
    fill(&c, "#f-phone", ADMIN).await;
    fill(&c, "#f-password", password).await;
    let before = app.sms_to(ADMIN).len();
    submit(&c).await;
    wait_for(&c, "[data-testid=second-factor]").await;
    assert!(
        super::js_true(&c, "return !localStorage.getItem('zhiyuan.token');").await,
        "the password alone gives no session"
    );
    wait_for(&c, "[data-testid=send-code]:disabled").await;
    shot(&c, "admin-second-factor.png").await;
    // Step two: the code from the phone.
    second_factor(&c, &app, ADMIN, before).await;
    wait_for(&c, "[data-testid=me-title]").await;

    // The whole number needs a re-check: the dialog takes the keyboard, Escape closes it.
    wait_for(&c, "[data-testid=reveal]")
        .await
        .click()
        .await
        .expect("reveal");
    wait_for(&c, "[data-testid=recheck-dialog]").await;
    assert_eq!(
        focus_arrives(&c, "f-recheck_password").await,
        "f-recheck_password"
    );
    shot(&c, "recheck-dialog.png").await;
    // Tab from the dialog's last control comes back to its first, not to the page behind.
    c.execute("document.getElementById('recheck-cancel').focus();", vec![])
        .await
        .expect("focus cancel");
    press(&c, Key::Tab).await;
    assert_eq!(focused_id(&c).await, "recheck-mode-password");
    press(&c, Key::Escape).await;
    for _ in 0..50 {
        if c.find(Locator::Css("[data-testid=recheck-dialog]"))
            .await
            .is_err()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        c.find(Locator::Css("[data-testid=recheck-dialog]"))
            .await
            .is_err(),
        "Escape closes the dialog"
    );
    assert_eq!(
        focused_id(&c).await,
        "",
        "the keyboard is back on the reveal button (it has no id)"
    );
    assert!(
        super::js_true(
            &c,
            "return document.activeElement && document.activeElement.dataset.testid === 'reveal';"
        )
        .await
    );

    wait_for(&c, "[data-testid=reveal]")
        .await
        .click()
        .await
        .expect("reveal");
    fill(&c, "#f-recheck_password", "wrong-pass-0000").await;
    wait_for(&c, "[data-testid=recheck-submit]")
        .await
        .click()
        .await
        .expect("submit");
    wait_for_text(&c, "#f-recheck_password-err", "密码不正确").await;
    fill(&c, "#f-recheck_password", password).await;
    wait_for(&c, "[data-testid=recheck-submit]")
        .await
        .click()
        .await
        .expect("submit");
    wait_for_text(&c, "dd.pii", ADMIN).await;

    // Idle for 31 minutes: the next page sends the admin to sign in, says why, and comes
    // back to that page afterwards.
    app.clock.advance(31 * 60);
    app.minute_passes_for(ADMIN).await;
    c.goto(&format!("{base}/admin")).await.expect("admin");
    wait_for(&c, "[data-testid=session-ended]").await;
    shot(&c, "admin-idled-out.png").await;
    fill(&c, "#f-phone", ADMIN).await;
    fill(&c, "#f-password", password).await;
    let before = app.sms_to(ADMIN).len();
    submit(&c).await;
    second_factor(&c, &app, ADMIN, before).await;
    for _ in 0..100 {
        let url = c.current_url().await.expect("url");
        if url.path() == "/admin" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(c.current_url().await.expect("url").path(), "/admin");
}
