//! public.html's shell (frontend/assets/zhiyuan-public-shell.js): an activity page's API
//! read starts as the page is parsed, before the wasm, and the app takes that answer
//! instead of asking again.

use super::{PHONE, assert_no_csp_violation, browser, seeded_app, wait_for};
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
    assert_eq!(
        reads(&c, "/api/activities?limit=50").await,
        (1, true),
        "the list's read: once, started by the shell while the page was parsed"
    );
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
