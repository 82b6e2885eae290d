//! The two entry points: the map loads the public pages' wasm; a link to a page outside them
//! loads the full app, and the person lands on that page.

use super::{DESKTOP, browser, js_true, seeded_app, wait_for};

const LOADS: &str = "return !!document.querySelector('link[rel=preload][href*=\"/ENTRY-\"]');";

#[tokio::test]
async fn the_map_loads_the_public_entry_and_a_link_to_sign_in_loads_the_full_app() {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .expect("desktop");
    c.goto(&format!("{}/", app.base)).await.expect("home");
    wait_for(&c, "[data-testid=station-map]").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-public")).await);
    assert!(!js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-frontend")).await);

    wait_for(&c, ".main-nav a[href='/login']")
        .await
        .click()
        .await
        .expect("click 登录");
    wait_for(&c, "[data-testid=login-by-password]").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-frontend")).await);
    let url = c.current_url().await.expect("url");
    assert_eq!(url.path(), "/login");
    c.close().await.expect("close browser");
}
