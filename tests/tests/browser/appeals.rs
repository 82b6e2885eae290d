//! ID number already taken (身份证被占用): the real owner goes from the real-name form to
//! the appeal page, uploads the ID card photo and files; the city admin sees the photo and
//! approves; the identity is the owner's.

use super::pages::{axe_source, axe_violations, widths};
use super::{
    PHONE, browser, choose, fill, seeded_app, shot, sign_in, sign_in_admin, sign_out, submit,
    wait_for, wait_for_text,
};
use reqwest::StatusCode;
use zhiyuan_tests::{PASSWORD, id_number, sample_file, volunteer_body};

#[tokio::test]
async fn the_real_owner_appeals_from_the_real_name_form_and_the_city_admin_approves() {
    let app = seeded_app().await;
    let base = app.base.clone();
    // The demo volunteers hold 139000xxxxx: start this test's phones past them.
    while app.next() < 200_000 {}
    let holder = app.register().await;
    let idn = id_number(7_000 + app.next());
    let (status, body) = app
        .post("/api/me/volunteer", &volunteer_body(&idn), &holder.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let number = app.get_as("/api/me", &holder.token).await["volunteer"]["volunteer_no"].clone();
    let owner = app.register().await;

    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    sign_in(&c, &base, &owner.phone, PASSWORD).await;
    c.goto(&format!("{base}/me/volunteer"))
        .await
        .expect("open form");
    fill(&c, "#f-real_name", "李真名").await;
    fill(&c, "#f-id_number", &idn).await;
    choose(&c, "#f-region_code", "150602").await;
    wait_for(&c, "#f-service_fields")
        .await
        .click()
        .await
        .expect("field");
    wait_for(&c, "#f-consent")
        .await
        .click()
        .await
        .expect("consent");
    submit(&c).await;
    wait_for(&c, "[data-testid=appeal-link] a")
        .await
        .click()
        .await
        .expect("follow the appeal link");

    // The appeal form: a photo of the card, a reason, consent — at 390 px, axe-clean.
    wait_for(&c, "#f-photo_id").await;
    let (scroll, inner) = widths(&c).await;
    assert!(
        scroll <= inner,
        "no sideways scrolling ({scroll} > {inner})"
    );
    let axe = axe_source();
    let violations = axe_violations(&c, &axe).await;
    assert!(violations.is_empty(), "{violations:?}");
    let dir = zhiyuan_tests::target_dir()
        .join("test-artifacts")
        .join("appeals");
    std::fs::create_dir_all(&dir).expect("dir");
    let card = dir.join("身份证.jpg");
    std::fs::write(&card, sample_file("jpg", 4000)).expect("card");
    // What was typed on the real-name form came along.
    let carried = c
        .execute(
            "return document.getElementById('f-id_number').value;",
            vec![],
        )
        .await
        .expect("value");
    assert_eq!(carried, serde_json::json!(idn));
    wait_for(&c, "#f-photo_id")
        .await
        .send_keys(&card.to_string_lossy())
        .await
        .expect("pick the photo");
    fill(&c, "#f-reason", "这是我本人的身份证，我从未注册过。").await;
    wait_for(&c, "#f-consent")
        .await
        .click()
        .await
        .expect("consent");
    submit(&c).await;
    wait_for(&c, "[data-testid=appeal-filed]").await;
    shot(&c, "appeal-filed.png").await;
    sign_out(&c, &base).await;

    // The city admin (demo account) sees the photo and approves.
    sign_in_admin(
        &c,
        &app,
        "13800000001",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/admin")).await.expect("admin");
    let photo = wait_for(&c, "[data-testid=appeal-queue] img.appeal-photo").await;
    assert!(
        photo
            .attr("alt")
            .await
            .expect("alt")
            .is_some_and(|a| a.contains("李真名"))
    );
    let violations = axe_violations(&c, &axe).await;
    assert!(violations.is_empty(), "{violations:?}");
    shot(&c, "appeal-queue.png").await;
    wait_for(&c, "[data-testid=appeal-queue] button.primary")
        .await
        .click()
        .await
        .expect("approve");
    wait_for_text(&c, "main", "没有待审核的申诉").await;

    // Signing out in the browser ended the owner's other sessions: sign in again.
    let token = app.login(&owner.phone, PASSWORD).await;
    let me = app.get_as("/api/me", &token).await;
    assert_eq!(me["volunteer"]["volunteer_no"], number);
    let theirs = app.get_as("/api/me", &holder.token).await;
    assert!(theirs["volunteer"].is_null());
}
