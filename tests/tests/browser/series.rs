//! An organizer publishes a weekly regular activity (常态化) at a station at phone width,
//! choosing the weekday by keyboard; the station page shows the regular schedule, and an
//! occurrence's page offers 本次 / 以后全部 for cancelling.

use super::{browser, choose, fill, set_value, shot, sign_in, submit, wait_for, wait_for_text};
use fantoccini::Locator;
use zhiyuan_shared::series::{local_day, weekday};
use zhiyuan_shared::time::Timestamp;

#[tokio::test]
async fn an_organizer_publishes_a_weekly_series_and_the_station_page_shows_its_schedule() {
    let app = zhiyuan_tests::spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(
        &c,
        &base,
        "13800000003",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/activities/new?org={org}"))
        .await
        .expect("open the form");
    choose(&c, "#f-org_id", &org).await;
    fill(&c, "#f-title", "敬老院陪伴").await;
    fill(&c, "#f-description", "每周陪老人聊天、读报").await;
    choose(&c, "#f-service_field", "elderly_care").await;
    choose(&c, "#f-region_code", "150602").await;
    let station = wait_for(&c, "#f-station_id option:nth-child(2)")
        .await
        .attr("value")
        .await
        .expect("attr")
        .expect("a station");
    choose(&c, "#f-station_id", &station).await;
    let start = Timestamp::from_unix(zhiyuan_functions::clock::now_unix() + 5 * 86_400);
    let day = start.cst_date().iso();
    set_value(&c, "#f-shift-0-starts", &format!("{day}T09:00")).await;
    set_value(&c, "#f-shift-0-ends", &format!("{day}T11:00")).await;
    set_value(&c, "#f-shift-0-places", "6").await;

    // 重复: weekly, on the start's weekday, chosen with the keyboard (Space on the box).
    wait_for(&c, "#f-repeat-freq-weekly")
        .await
        .click()
        .await
        .expect("weekly");
    let wd = weekday(local_day(start));
    let box_css = if wd == 1 {
        "#f-repeat-weekdays".to_string()
    } else {
        format!("#f-repeat-weekdays-{wd}")
    };
    let weekday_box = wait_for(&c, &box_css).await;
    weekday_box
        .send_keys(" ")
        .await
        .expect("space ticks the box");
    assert!(
        weekday_box.is_selected().await.expect("checked"),
        "the weekday is ticked by keyboard"
    );
    // Each box is named by its label for a screen reader.
    let label = c
        .find(Locator::XPath(&format!(
            "//input[@id='{}']/following-sibling::span",
            box_css.trim_start_matches('#')
        )))
        .await
        .expect("label")
        .text()
        .await
        .expect("text");
    assert!(label.starts_with('周'), "{label}");
    set_value(&c, "#f-repeat-count", "6").await;
    shot(&c, "series-form.png").await;
    submit(&c).await;
    wait_for_text(&c, "#activity-title", "敬老院陪伴").await;
    let occurrence = wait_for_text(&c, "dl.facts", "第 1 次").await;
    assert!(occurrence.contains("常态化活动"), "{occurrence}");
    // The organizer may cancel this one or every later one.
    wait_for(&c, "#f-cancel-scope-future").await;

    // The station page: 每周X 09:00–11:00 敬老院陪伴.
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("open station");
    let names = ["一", "二", "三", "四", "五", "六", "日"];
    let line = wait_for_text(&c, "[data-testid=station-schedule]", "敬老院陪伴").await;
    let want = format!("每周{} 09:00–11:00 敬老院陪伴", names[usize::from(wd) - 1]);
    assert!(line.contains(&want), "{line}");
    // Scrolled into view for the picture.
    wait_for(&c, "[data-testid=station-schedule]").await;
    shot(&c, "station-schedule.png").await;
    let width: f64 = c
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .expect("width")
        .as_f64()
        .expect("number");
    assert!(width <= 390.0, "no sideways scrolling at 390 px: {width}");
}
