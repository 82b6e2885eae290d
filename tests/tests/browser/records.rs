//! Check-in and out, confirmation, the certificate and its verification.

use super::{browser, fill, shot, sign_in, sign_out, submit, wait_for, wait_for_text};
use zhiyuan_tests::spawn_app;

#[tokio::test]
async fn a_volunteer_checks_in_and_out_the_organizer_confirms_and_the_certificate_verifies() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let organizer = app.login("13800000003", password).await;
    let volunteer = app.login("13800000004", password).await;
    let me = app.get_as("/api/me", &volunteer).await;
    let volunteer_id = me["user_id"].as_str().expect("id").to_string();

    // An activity the volunteer signed up for, now under way for three hours; they have
    // 97.5 hours from earlier service, so this shift takes them to ★1.
    let a = app
        .post(
            "/api/activities",
            &zhiyuan_tests::activity_body(&org, &[(3 * zhiyuan_tests::DAY, 3600, 5)]),
            &organizer,
        )
        .await
        .1;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    let (status, body) = app.sign_up(&volunteer, &shift).await;
    assert_eq!(status.as_u16(), 201, "{body}");
    let now = zhiyuan_functions::clock::now_unix();
    zhiyuan_tests::move_shift(&app.store, &shift, now - 3 * 3600, now + 3600).await;
    zhiyuan_tests::set_served_minutes(&app.store, &volunteer_id, 97 * 60 + 30).await;

    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The organizer opens the shift's check-in screen: a code and a QR code.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/shifts/{shift}/checkin"))
        .await
        .expect("screen");
    let code = wait_for(&c, "[data-testid=checkin-code]")
        .await
        .text()
        .await
        .expect("code");
    assert_eq!(code.len(), 6, "{code}");
    wait_for(&c, ".qr svg").await;
    shot(&c, "checkin-screen.png").await;
    sign_out(&c, &base).await;

    // The volunteer scans it (the QR code opens this address) and checks in.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/checkin/{shift}?code={code}"))
        .await
        .expect("checkin");
    wait_for_text(&c, "#f-code", "").await;
    submit(&c).await;
    wait_for_text(&c, "[role=status] .notice", "已签到").await;
    shot(&c, "checked-in.png").await;

    // Two hours and forty minutes later, they type the code now on the screen.
    let record = format!("{shift}{volunteer_id}");
    zhiyuan_tests::rewind_check_in(&app.store, &record, 2 * 3600 + 40 * 60).await;
    // (Signing out in the browser ended the organizer's other sessions: sign in again.)
    let organizer = app.login("13800000003", password).await;
    let now_code = app
        .get_as(&format!("/api/shifts/{shift}/checkin-code"), &organizer)
        .await["code"]
        .as_str()
        .expect("code")
        .to_string();
    fill(&c, "#f-code", &now_code).await;
    submit(&c).await;
    wait_for_text(&c, "[role=status] .notice", "已签退").await;
    wait_for_text(&c, "[role=status]", "2.5 小时").await;
    sign_out(&c, &base).await;

    // The organizer confirms the hours on the check-in screen.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/shifts/{shift}/checkin"))
        .await
        .expect("screen");
    wait_for(&c, ".records li button.primary")
        .await
        .click()
        .await
        .expect("confirm");
    wait_for_text(&c, ".records li .badge", "已确认").await;
    sign_out(&c, &base).await;

    // The volunteer sees 100 hours and ★1, and opens the certificate.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/records"))
        .await
        .expect("my records");
    wait_for_text(&c, "[data-testid=total-hours]", "100 小时").await;
    let stars = wait_for(&c, ".summary .stars").await;
    assert_eq!(
        stars.attr("aria-label").await.expect("label").as_deref(),
        Some("星级 1")
    );
    shot(&c, "my-records.png").await;
    wait_for(&c, "a[href='/me/certificate']")
        .await
        .click()
        .await
        .expect("certificate");
    let number = wait_for(&c, "[data-testid=cert-number]")
        .await
        .text()
        .await
        .expect("no");
    let cert_code = wait_for(&c, "[data-testid=cert-code]")
        .await
        .text()
        .await
        .expect("code");
    // The certificate lists records: today's 2.5 h and the seeded confirmed 3.5 h (the
    // other earlier hours were set directly, not recorded).
    wait_for_text(&c, "[data-testid=cert-total]", "6 小时").await;
    wait_for(&c, "button.no-print").await;
    shot(&c, "certificate.png").await;

    // Anyone verifies it on the public page.
    sign_out(&c, &base).await;
    c.goto(&format!("{base}/verify")).await.expect("verify");
    fill(&c, "#f-verify", &cert_code).await;
    submit(&c).await;
    let verified = wait_for_text(&c, "[data-testid=verified]", "证明有效").await;
    assert!(verified.contains(&number), "{verified}");
    assert!(
        !verified.contains("志愿者四号") || verified.contains('*'),
        "the name is masked"
    );
    shot(&c, "verified.png").await;
    c.close().await.expect("close browser");
}
