//! The city admin's dashboard.

use super::{browser, shot, sign_in_admin, sign_out, wait_for, wait_for_text};
use fantoccini::Locator;
use zhiyuan_tests::spawn_app;

/// The city admin opens the dashboard: key figures against the targets, each banner, the
/// star chart and the compliance list; the numbers are the API's.
#[tokio::test]
async fn the_city_admin_reads_the_dashboard_with_each_banner_and_the_compliance_list() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let admin = app.login_admin("13800000001", password).await;
    let report = app.get_as("/api/stats?region=150600", &admin).await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in_admin(&c, &app, "13800000001", password).await;
    c.goto(&format!("{base}/stats")).await.expect("stats");
    let kpis = c.find_all(Locator::Css(".kpi")).await.expect("kpis");
    let kpis = if kpis.len() == 3 {
        kpis
    } else {
        wait_for(&c, ".kpi-grid .kpi:nth-child(3)").await;
        c.find_all(Locator::Css(".kpi")).await.expect("kpis")
    };
    assert_eq!(kpis.len(), 3);
    let registered = report["total"]["registered"].as_u64().expect("registered");
    assert!(registered >= 2, "the demo volunteers: {report}");
    wait_for_text(&c, ".facts", &registered.to_string()).await;
    // Nine banners and the city's total row.
    wait_for(&c, ".stats-table tbody tr:nth-child(10)").await;
    wait_for(&c, "#stars-heading").await;
    wait_for(&c, "#compliance-heading").await;
    wait_for(&c, "#c-group").await;
    shot(&c, "dashboard.png").await;
    // The periodic report: the month kept by the scheduled job and the month so far, then
    // the same by quarter.
    zhiyuan_functions::service::reports::take_due(
        &app.store,
        zhiyuan_shared::time::Timestamp::from_unix(zhiyuan_functions::clock::now_unix()),
    )
    .await
    .expect("monthly reports");
    c.refresh().await.expect("reload");
    wait_for_text(&c, ".periodic-table", "截至目前").await;
    wait_for(&c, "input[name=report-by]:not(:checked)")
        .await
        .click()
        .await
        .expect("by quarter");
    wait_for_text(&c, ".periodic-table", "-Q").await;
    shot(&c, "periodic-report.png").await;

    // The exemplary page lists the demo nomination with its story, for anyone.
    sign_out(&c, &base).await;
    c.goto(&format!("{base}/exemplary"))
        .await
        .expect("exemplary");
    wait_for_text(&c, "[data-testid=nominations]", "优秀志愿服务组织").await;
    shot(&c, "exemplary.png").await;
    c.close().await.expect("close browser");
}
