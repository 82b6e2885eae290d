//! A resident becomes a volunteer, founds an organisation and admits a member.

use super::{
    browser, choose, code_from_outbox, fill, focused_id, shot, sign_in, sign_in_admin, sign_out,
    submit, wait_for,
};
use std::time::Duration;
use zhiyuan_tests::spawn_app;

#[tokio::test]
async fn a_resident_becomes_a_volunteer_founds_an_organisation_and_admits_a_member() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // Register with the code from the SMS outbox: straight into "my account".
    c.goto(&format!("{base}/register")).await.expect("open");
    fill(&c, "#f-phone", "13912340001").await;
    let code = code_from_outbox(&c, &app, "13912340001").await;
    fill(&c, "#f-code", &code).await;
    fill(&c, "#f-password", "browser-pass-1").await;
    fill(&c, "#f-display_name", "小赵").await;
    submit(&c).await;
    wait_for(&c, "[data-testid=me-title]").await;
    wait_for(&c, ".callout a.button")
        .await
        .click()
        .await
        .expect("become a volunteer");

    // A wrong check digit is caught in the browser, in Chinese, with focus on the field.
    fill(&c, "#f-real_name", "赵志愿").await;
    fill(&c, "#f-id_number", "150602199001010010").await;
    submit(&c).await;
    let err = wait_for(&c, "#f-id_number-err:not([hidden])").await;
    assert!(
        err.text().await.expect("text").contains("校验位"),
        "translated"
    );
    assert_eq!(focused_id(&c).await, "f-id_number");
    shot(&c, "volunteer-form-error.png").await;
    let first17 = "15060219900101001";
    let id = format!(
        "{first17}{}",
        zhiyuan_shared::identity::check_digit(first17).expect("digit")
    );
    fill(&c, "#f-id_number", &id).await;
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
    let no = wait_for(&c, ".volunteer-no")
        .await
        .text()
        .await
        .expect("no");
    assert!(no.starts_with("150602"), "{no}");
    let masked = wait_for(&c, ".id-number").await.text().await.expect("id");
    assert!(
        masked.contains("**********") && !masked.contains(&id),
        "{masked}"
    );

    // Register an organisation: it waits for the banner's admin.
    c.goto(&format!("{base}/orgs/new")).await.expect("open");
    fill(&c, "#f-name", "东胜区银龄关爱队").await;
    choose(&c, "#f-org_type", "community").await;
    choose(&c, "#f-region_code", "150602").await;
    wait_for(&c, "#f-service_fields")
        .await
        .click()
        .await
        .expect("field");
    submit(&c).await;
    let status = wait_for(&c, ".org-status")
        .await
        .text()
        .await
        .expect("status");
    assert_eq!(status, "待审核");
    let org_url = c.current_url().await.expect("url").to_string();
    sign_out(&c, &base).await;

    // The region admin of 东胜区 approves it from the queue.
    sign_in_admin(
        &c,
        &app,
        "13800000002",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/admin")).await.expect("open admin");
    let item = wait_for(&c, ".admin-queue li").await;
    assert!(
        item.text()
            .await
            .expect("text")
            .contains("东胜区银龄关爱队")
    );
    shot(&c, "admin-queue.png").await;
    wait_for(&c, ".admin-queue li button.approve")
        .await
        .click()
        .await
        .expect("approve");
    wait_for(&c, "p.muted").await;
    sign_out(&c, &base).await;

    // The demo volunteer asks to join.
    sign_in(
        &c,
        &base,
        "13800000004",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&org_url).await.expect("open org");
    wait_for(&c, "[data-testid=join]")
        .await
        .click()
        .await
        .expect("join");
    wait_for(&c, "p.notice[role=status]").await;
    sign_out(&c, &base).await;

    // The founder approves the request; the roster shows names, never phone numbers.
    sign_in(&c, &base, "13912340001", "browser-pass-1").await;
    c.goto(&org_url).await.expect("open org");
    let request = wait_for(&c, ".join-requests li").await;
    assert!(request.text().await.expect("text").contains("李志愿"));
    wait_for(&c, ".join-requests li button")
        .await
        .click()
        .await
        .expect("approve");
    let mut roster = String::new();
    for _ in 0..50 {
        roster = wait_for(&c, ".roster")
            .await
            .text()
            .await
            .unwrap_or_default();
        if roster.contains("李志愿") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        roster.contains("李志愿") && roster.contains("赵志愿"),
        "{roster}"
    );
    assert!(
        !roster.contains("1380000") && !roster.contains("13912340001"),
        "no phones"
    );
    shot(&c, "org-roster.png").await;
    c.close().await.expect("close browser");
}
