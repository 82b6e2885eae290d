//! A 16-year-old signs up: the sign-up asks for the guardian's consent once, then books;
//! then subscribes to their calendar from "我的" and makes a new link.

use super::pages::{axe_source, axe_violations, widths};
use super::{browser, fill, shot, sign_in, wait_for, wait_for_text};
use fantoccini::Locator;
use reqwest::StatusCode;
use zhiyuan_tests::{DAY, PASSWORD, activity_body, spawn_app, volunteer_aged};

async fn no_axe_violations_and_fits(c: &fantoccini::Client, axe: &str, what: &str) {
    let found = axe_violations(c, axe).await;
    assert!(found.is_empty(), "{what}: {found:?}");
    let (scroll, inner) = widths(c).await;
    assert!(
        scroll <= inner,
        "{what} scrolls sideways: {scroll} > {inner}"
    );
}

/// The feed address the page shows.
async fn feed_url(c: &fantoccini::Client) -> String {
    wait_for(c, "#calendar-feed-url")
        .await
        .prop("value")
        .await
        .expect("prop")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_sixteen_year_old_gives_consent_once_is_signed_up_and_subscribes_to_the_calendar() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, 3600, 5)]))
        .await;
    let later = app
        .publish(&organizer, &activity_body(&org, &[(4 * DAY, 3600, 5)]))
        .await;
    let teen = volunteer_aged(&app, 16).await;
    let base = app.base.clone();
    let axe = axe_source();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(&c, &base, &teen.phone, PASSWORD).await;

    c.goto(&format!(
        "{base}/activities/{}",
        a["id"].as_str().expect("id")
    ))
    .await
    .expect("open activity");
    wait_for(&c, ".shifts button.primary")
        .await
        .click()
        .await
        .expect("sign up");
    wait_for(&c, "[data-testid=guardian-consent-form]").await;
    // Focus moves into the form, so a keyboard or screen-reader user lands on it.
    for _ in 0..50 {
        if super::focused_id(&c).await == "f-guardian-name" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(super::focused_id(&c).await, "f-guardian-name");
    wait_for_text(&c, "article > p[role=status]", "监护人").await;
    no_axe_violations_and_fits(&c, &axe, "consent form").await;
    // Saving without ticking the box names it and keeps the form.
    fill(&c, "#f-guardian-name", "李秀英").await;
    fill(&c, "#f-guardian-phone", "13900001234").await;
    fill(&c, "#f-guardian-relation", "母亲").await;
    wait_for(
        &c,
        "[data-testid=guardian-consent-form] button[type=submit]",
    )
    .await
    .click()
    .await
    .expect("save");
    wait_for(&c, ".form-field.invalid #f-guardian_consent").await;
    wait_for(&c, "#f-guardian_consent")
        .await
        .click()
        .await
        .expect("tick consent");
    shot(&c, "guardian-consent.png").await;
    wait_for(
        &c,
        "[data-testid=guardian-consent-form] button[type=submit]",
    )
    .await
    .click()
    .await
    .expect("save");
    wait_for_text(&c, "article > p[role=status]", "报名成功").await;
    assert!(
        c.find(Locator::Css("[data-testid=guardian-consent-form]"))
            .await
            .is_err(),
        "the form closes once the consent is saved"
    );
    let mine = app.get_as("/api/me/activities", &teen.token).await;
    assert_eq!(mine["items"][0]["status"], "confirmed", "{mine}");

    // Kept: the next activity signs up at once.
    c.goto(&format!(
        "{base}/activities/{}",
        later["id"].as_str().expect("id")
    ))
    .await
    .expect("open the other activity");
    wait_for(&c, ".shifts button.primary")
        .await
        .click()
        .await
        .expect("sign up");
    wait_for_text(&c, "article > p[role=status]", "报名成功").await;

    // "我的" shows the consent and makes the calendar link.
    c.goto(&format!("{base}/me")).await.expect("open me");
    wait_for_text(&c, "[data-testid=guardian-consent-recorded]", "已记录").await;
    wait_for(&c, "[data-testid=calendar-make]")
        .await
        .click()
        .await
        .expect("make link");
    let first = feed_url(&c).await;
    assert!(
        first.contains("/api/calendar/") && first.ends_with(".ics"),
        "{first}"
    );
    let webcal = wait_for(&c, "[data-testid=calendar-webcal]")
        .await
        .attr("href")
        .await
        .expect("attr")
        .unwrap_or_default();
    assert!(webcal.starts_with("webcal://"), "{webcal}");
    no_axe_violations_and_fits(&c, &axe, "me with the calendar link").await;
    let feed = app.http.get(&first).send().await.expect("feed");
    assert_eq!(feed.status(), StatusCode::OK);
    assert_eq!(
        feed.text()
            .await
            .expect("text")
            .matches("BEGIN:VEVENT")
            .count(),
        2
    );

    // A new link, after a confirmation, stops the old one.
    wait_for(&c, "[data-testid=calendar-regenerate]")
        .await
        .click()
        .await
        .expect("regenerate");
    wait_for(&c, "[data-testid=calendar-regenerate-yes]")
        .await
        .click()
        .await
        .expect("confirm");
    let mut second = feed_url(&c).await;
    for _ in 0..50 {
        if second != first {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        second = feed_url(&c).await;
    }
    assert_ne!(second, first);
    shot(&c, "calendar-feed.png").await;
    let old = app.http.get(&first).send().await.expect("old feed");
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    c.close().await.expect("close");
}
