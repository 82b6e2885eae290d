//! The entry pages' shells (frontend/assets/zhiyuan-public-shell.js, zhiyuan-map-shell.js):
//! a page's first API reads start as the page is parsed, before the wasm, and the app
//! takes those answers instead of asking again.

use super::{
    PHONE, all_markers_declared, assert_no_csp_violation, block_urls, browser, seeded_app, wait_for,
};
use fantoccini::Client;

/// How many times the page fetched `path` (resource timing), and whether the first fetch
/// started while the page was being parsed: by the shell's script, since the app's code
/// runs only after parsing (a module script) and the wasm has loaded.
async fn reads(c: &Client, path: &str) -> (u64, bool) {
    let v = c
        .execute(
            "const all = performance.getEntriesByType('resource'); \
             const mine = all.filter(e => new URL(e.name).pathname + new URL(e.name).search === arguments[0]); \
             const parsed = performance.getEntriesByType('navigation')[0].domInteractive; \
             return [mine.length, mine.length > 0 && mine[0].startTime < parsed];",
            vec![serde_json::json!(path)],
        )
        .await
        .expect("resource timing");
    (v[0].as_u64().unwrap_or(0), v[1].as_bool().unwrap_or(false))
}

#[tokio::test]
async fn the_activities_read_starts_before_the_wasm_and_is_made_once() {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{}/activities", app.base))
        .await
        .expect("activities");
    let first = wait_for(&c, ".card-list .card a").await;
    let href = first.attr("href").await.expect("href").expect("a link");
    for path in ["/api/activities?limit=20", "/api/regions"] {
        assert_eq!(
            reads(&c, path).await,
            (1, true),
            "{path}: once, started by the shell while the page was parsed"
        );
    }
    assert_no_csp_violation(&c).await;

    // An activity's page opened from a link elsewhere (a full page load).
    c.goto(&format!("{}{href}", app.base))
        .await
        .expect("activity");
    wait_for(&c, "#activity-title").await;
    assert_eq!(
        reads(&c, &format!("/api/{}", href.trim_start_matches('/'))).await,
        (1, true),
        "the activity's read: once, started by the shell while the page was parsed"
    );
    assert_no_csp_violation(&c).await;
    c.close().await.expect("close browser");
}

#[tokio::test]
async fn the_map_and_a_station_page_read_their_data_before_the_wasm_and_once() {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{}/", app.base)).await.expect("home");
    assert!(all_markers_declared(&c).await >= 190, "the map's markers");
    for path in ["/api/regions", "/api/stations?limit=100&region=150600"] {
        assert_eq!(
            reads(&c, path).await,
            (1, true),
            "{path}: once, started by index.html's shell while the page was parsed"
        );
    }
    // Had the app asked for the first page itself (its URL drifting from the shell's), a
    // second first page would show here, whatever its query.
    let first_pages = c
        .execute(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name)) \
               .filter(u => u.pathname === '/api/stations' && !u.search.includes('cursor=')).length;",
            vec![],
        )
        .await
        .expect("resource timing");
    assert_eq!(
        first_pages.as_u64(),
        Some(1),
        "the stations' first page, once"
    );
    assert_no_csp_violation(&c).await;

    // A station's page opened from a link shared elsewhere (a full page load).
    let (_, listed) = app.get("/api/stations?region=150602&limit=1").await;
    let id = listed["items"][0]["id"]
        .as_str()
        .expect("a station")
        .to_string();
    c.goto(&format!("{}/stations/{id}", app.base))
        .await
        .expect("station");
    let name = wait_for(&c, "[data-testid=station-name]").await;
    assert_eq!(
        name.text().await.expect("name"),
        listed["items"][0]["name"].as_str().unwrap_or_default()
    );
    assert_eq!(
        reads(&c, &format!("/api/stations/{id}")).await,
        (1, true),
        "the station's read: once, started by the shell while the page was parsed"
    );
    assert_no_csp_violation(&c).await;

    // Before the wasm (here: never), the shell shows the station page's frame and, once
    // its read answers, the station's name where the app's heading goes; not the map.
    block_urls(&c, &["*.wasm"]).await;
    c.goto(&format!("{}/stations/{id}", app.base))
        .await
        .expect("station without its wasm");
    let shell_name = wait_for(&c, "#app-shell .page.narrow article.station h1").await;
    assert_eq!(
        shell_name.text().await.expect("name"),
        listed["items"][0]["name"].as_str().unwrap_or_default()
    );
    let back = wait_for(&c, "#app-shell .page.narrow a.back").await;
    assert_eq!(back.text().await.expect("back").as_str(), "返回地图");
    assert!(
        c.find_all(fantoccini::Locator::Css(
            "#app-shell .shell-map, #app-shell .filter-quick"
        ))
        .await
        .expect("skeleton")
        .is_empty(),
        "not the map's skeleton"
    );
    block_urls(&c, &[]).await;
    c.close().await.expect("close browser");
}

#[tokio::test]
async fn the_activities_list_shows_a_page_of_twenty_and_the_rest_on_load_more() {
    use zhiyuan_functions::ids::{OrgId, UserId};
    let app = seeded_app().await;
    // 23 more beside the demo's, an hour apart: two pages' worth and more.
    let (org, by) = (OrgId::generate(), UserId::generate());
    let now = zhiyuan_functions::clock::now_unix();
    let more: Vec<_> = (0..23)
        .map(|i| {
            let at = zhiyuan_shared::geo::LatLng::new(39.817, 109.977).expect("point");
            zhiyuan_tests::listed_activity(&org, &by, "150602", at, now + 3600 * (2 + i))
        })
        .collect();
    app.store
        .put_activities_batch(&more)
        .await
        .expect("load activities");
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{}/activities", app.base))
        .await
        .expect("activities");
    wait_for(&c, "[data-testid=activity-list] .card").await;
    let count = |c: Client| async move {
        c.find_all(fantoccini::Locator::Css(
            "[data-testid=activity-list] .card",
        ))
        .await
        .map(|v| v.len())
        .unwrap_or(0)
    };
    assert_eq!(count(c.clone()).await, 20, "the first page");
    wait_for(&c, "[data-testid=activities-more]")
        .await
        .click()
        .await
        .expect("load more");
    let mut shown = 0;
    for _ in 0..50 {
        shown = count(c.clone()).await;
        if shown > 20 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(shown > 20, "the next page added below: {shown}");
    // Until the last page, when the button goes.
    for _ in 0..20 {
        let Ok(more) = c
            .find(fantoccini::Locator::Css("[data-testid=activities-more]"))
            .await
        else {
            break;
        };
        more.click().await.expect("load more");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    let (_, listed) = app.get("/api/activities?limit=100").await;
    let total = listed["items"].as_array().map_or(0, Vec::len);
    assert!(total >= 26, "{total} activities");
    assert_eq!(count(c.clone()).await, total, "every activity listed");
    assert!(
        c.find(fantoccini::Locator::Css("[data-testid=activities-more]"))
            .await
            .is_err(),
        "no more to load after the last page"
    );
    // The button went with the last page: the focus moved on to that page's first card,
    // and screen readers were told how many are shown.
    let focused = c
        .execute(
            "const links = [...document.querySelectorAll('[data-testid=activity-list] > li a')];
             return links.indexOf(document.activeElement);",
            vec![],
        )
        .await
        .expect("focus");
    assert_eq!(
        focused.as_u64(),
        Some(((total as u64 - 1) / 20) * 20),
        "focus on the last page's first card"
    );
    let told = c
        .execute(
            "return document.querySelector('[data-testid=activities-shown]').textContent",
            vec![],
        )
        .await
        .expect("status")
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        told.contains(&total.to_string()) && told.contains("全部"),
        "{told}"
    );
    let titles = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=activity-list] .card a')].map(a => a.getAttribute('href'));",
            vec![],
        )
        .await
        .expect("hrefs");
    let hrefs: Vec<_> = titles.as_array().cloned().unwrap_or_default();
    let unique: std::collections::HashSet<_> = hrefs.iter().map(|v| v.to_string()).collect();
    assert_eq!(unique.len(), hrefs.len(), "no activity twice");
    c.close().await.expect("close browser");
}
