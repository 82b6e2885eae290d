//! Hours with evidence (补录): the demo volunteer applies from 我的记录 for hours of a past
//! shift with a photo of the sign-in sheet; the organizer opens the refusal dialog (focus
//! moves in, Escape returns it), then approves; the record shows as 补录 in the
//! volunteer's records and on the certificate.

use super::pages::{axe_source, axe_violations, widths};
use super::{
    browser, choose, fill, focused_id, press, seeded_app, set_value, shot, sign_in, sign_out,
    wait_for, wait_for_text,
};
use zhiyuan_tests::{DAY, move_activity_times, move_shift, sample_file};

#[tokio::test]
async fn a_backfill_application_approved_shows_as_backfill_in_the_volunteers_records() {
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let organizer = app.login("13800000003", password).await;
    // A village event of the demo organisation two days ago, 10:00–13:00 China time.
    let mut body = zhiyuan_tests::activity_body(&org, &[(3 * DAY, 3600, 5)]);
    body["title"] = "村委会敬老院打扫".into();
    let (status, a) = app.post("/api/activities", &body, &organizer).await;
    assert_eq!(status.as_u16(), 201, "{a}");
    let (activity, shift) = (
        a["id"].as_str().expect("id").to_string(),
        a["shifts"][0]["id"].as_str().expect("shift").to_string(),
    );
    let now = zhiyuan_functions::clock::now_unix();
    let day_start = (now - 2 * DAY + 8 * 3600).div_euclid(DAY) * DAY - 8 * 3600;
    let (starts, ends) = (day_start + 10 * 3600, day_start + 13 * 3600);
    move_shift(&app.store, &shift, starts, ends).await;
    move_activity_times(&app.store, &activity, starts, ends).await;

    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The volunteer applies from 我的记录.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/records"))
        .await
        .expect("my records");
    wait_for(&c, "[data-testid=apply-backfill]")
        .await
        .click()
        .await
        .expect("apply");
    choose(&c, "#f-org", &org).await;
    choose(&c, "#f-activity", &activity).await;
    choose(&c, "#f-shift_id", &shift).await;
    set_value(&c, "#f-from", "10:00").await;
    set_value(&c, "#f-to", "12:30").await;
    fill(&c, "#f-content", "帮敬老院打扫院子，纸质签到表上有签名。").await;
    let dir = zhiyuan_tests::target_dir()
        .join("test-artifacts")
        .join("backfills");
    std::fs::create_dir_all(&dir).expect("dir");
    let sheet = dir.join("签到表.jpg");
    std::fs::write(&sheet, sample_file("jpg", 4000)).expect("sheet");
    wait_for(&c, "#f-evidence")
        .await
        .send_keys(&sheet.to_string_lossy())
        .await
        .expect("pick the evidence");
    wait_for_text(&c, ".backfill-form .backfill-evidence li", "签到表.jpg").await;
    let (scroll, inner) = widths(&c).await;
    assert!(
        scroll <= inner,
        "no sideways scrolling at 390 px: {scroll} > {inner}"
    );
    let violations = axe_violations(&c, &axe_source()).await;
    assert!(violations.is_empty(), "{violations:?}");
    shot(&c, "backfill-form.png").await;
    wait_for(&c, "[data-testid=backfill-submit]")
        .await
        .click()
        .await
        .expect("send");
    wait_for_text(&c, "[data-testid=my-backfills]", "待审核").await;
    sign_out(&c, &base).await;

    // The organizer reviews: the refusal dialog takes the focus and gives it back.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/orgs/{org}/backfills"))
        .await
        .expect("queue");
    wait_for_text(&c, "[data-testid=backfill-queue]", "签到表.jpg").await;
    let refuse = wait_for(&c, "[data-testid=backfill-refuse]").await;
    let refuse_id = refuse.attr("id").await.expect("id").expect("has an id");
    refuse.click().await.expect("open the dialog");
    wait_for(&c, "[data-testid=refuse-dialog]").await;
    for _ in 0..20 {
        if focused_id(&c).await == "f-refuse_reason" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        focused_id(&c).await,
        "f-refuse_reason",
        "focus moves into the dialog"
    );
    let violations = axe_violations(&c, &axe_source()).await;
    assert!(violations.is_empty(), "{violations:?}");
    shot(&c, "backfill-refuse-dialog.png").await;
    press(&c, fantoccini::key::Key::Escape).await;
    for _ in 0..20 {
        if focused_id(&c).await == refuse_id {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(focused_id(&c).await, refuse_id, "focus returns to 不通过");
    wait_for(&c, "[data-testid=backfill-approve]")
        .await
        .click()
        .await
        .expect("approve");
    wait_for_text(&c, "[data-testid=backfill-review-status]", "已通过").await;
    sign_out(&c, &base).await;

    // The volunteer's records list it as 补录, 2.5 hours, and so does the certificate.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/records"))
        .await
        .expect("my records");
    wait_for_text(&c, "[data-testid=backfill-badge]", "补录").await;
    wait_for_text(&c, ".card-list", "村委会敬老院打扫").await;
    shot(&c, "backfill-in-records.png").await;
    c.goto(&format!("{base}/me/certificate"))
        .await
        .expect("certificate");
    wait_for_text(&c, "[data-testid=cert-backfill]", "补录").await;
}
