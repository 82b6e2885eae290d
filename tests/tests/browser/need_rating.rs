//! Rating a done need (评单) at phone width, by keyboard: the poster picks the stars with
//! the arrow keys in the radio group, writes a comment and submits; the rating shows on
//! the need and the organisation's page shows the average; the organisation's reply
//! reaches the poster's notices.

use super::{
    browser, fill, focused_id, js_true, press, shot, sign_in, submit, wait_for, wait_for_text,
};
use fantoccini::key::Key;
use zhiyuan_tests::{PASSWORD, spawn_app};

#[tokio::test]
async fn the_poster_rates_a_done_need_by_keyboard_and_the_org_page_shows_the_average() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let (organizer, org) = app.approved_org("150602").await;
    let need = app.done_need(&resident, &organizer, &org, "150602").await;
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    let base = app.base.clone();

    sign_in(&c, &base, &resident.phone, PASSWORD).await;
    c.goto(&format!("{base}/needs/{need}")).await.expect("need");
    // Submitting without stars names the field and moves focus to the group.
    wait_for(&c, "[data-testid=rating-submit]").await;
    submit(&c).await;
    wait_for_text(&c, "#f-stars-err", "请选择").await;
    assert_eq!(focused_id(&c).await, "f-stars");
    // From the first star, the arrow keys move the choice: 1 → 4.
    wait_for(&c, "#f-stars")
        .await
        .click()
        .await
        .expect("1 star");
    for _ in 0..3 {
        press(&c, Key::Right).await;
    }
    assert!(
        js_true(&c, "return document.getElementById('f-stars-4').checked").await,
        "four stars chosen by keyboard"
    );
    fill(&c, "#f-comment", "志愿者很耐心，准时送餐。").await;
    shot(&c, "need-rating-form.png").await;
    submit(&c).await;
    wait_for_text(&c, "[data-testid=need-rating]", "4 星").await;
    wait_for_text(&c, "[data-testid=need-rating]", "志愿者很耐心").await;
    shot(&c, "need-rated.png").await;

    c.goto(&format!("{base}/orgs/{org}")).await.expect("org");
    wait_for_text(
        &c,
        "[data-testid=org-rating-average]",
        "平均 4.0 星，共 1 条评价",
    )
    .await;
    wait_for_text(&c, ".rating-list", "志愿者很耐心").await;
    shot(&c, "org-ratings.png").await;

    // The organisation replies: the poster reads it among their notices.
    let (status, body) = app
        .post(
            &format!("/api/needs/{need}/rating/reply"),
            &serde_json::json!({ "text": "谢谢您的肯定！" }),
            &organizer.token,
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    c.goto(&format!("{base}/me/notices"))
        .await
        .expect("notices");
    wait_for_text(&c, "ul.notices", "评价收到了组织的回复").await;
    shot(&c, "rating-replied-notice.png").await;
    c.close().await.expect("close browser");
}
