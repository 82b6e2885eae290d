//! The three entry points: the map loads the first screen's wasm; a link to the activities
//! loads the other public pages' wasm; a link to a page outside them loads the full app; and
//! the person lands on each page.

use super::{DESKTOP, browser, js_true, seeded_app, wait_for};

const LOADS: &str = "return !!document.querySelector('link[rel=preload][href*=\"/ENTRY-\"]');";

#[tokio::test]
async fn the_map_loads_the_first_screen_the_activities_the_public_entry_and_sign_in_the_full_app() {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .expect("desktop");
    c.goto(&format!("{}/", app.base)).await.expect("home");
    wait_for(&c, "[data-testid=station-map]").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-map")).await);
    assert!(!js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-public")).await);
    assert!(!js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-frontend")).await);

    wait_for(&c, ".main-nav a[href='/activities']")
        .await
        .click()
        .await
        .expect("click 活动");
    wait_for(&c, "#f-field").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-public")).await);
    assert_eq!(c.current_url().await.expect("url").path(), "/activities");

    wait_for(&c, ".main-nav a[href='/login']")
        .await
        .click()
        .await
        .expect("click 登录");
    wait_for(&c, "[data-testid=login-by-password]").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-frontend")).await);
    assert_eq!(c.current_url().await.expect("url").path(), "/login");

    // Back to the map from the full app: it renders every page itself.
    wait_for(&c, ".main-nav a[href='/']")
        .await
        .click()
        .await
        .expect("click 地图");
    wait_for(&c, "[data-testid=station-map]").await;
    c.close().await.expect("close browser");
}
