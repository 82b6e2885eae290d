//! The suite's CSP check can fail: the app's pages run under the policy with no refusal,
//! and content the policy forbids (an image from a host it does not name, an inline
//! script, a style attribute) is refused and caught by the same check every page passes.

use super::{DESKTOP, browser, csp_violations, seeded_app, settle};
use serde_json::json;

#[tokio::test]
async fn content_the_policy_forbids_is_refused_and_caught() {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .expect("desktop");
    c.goto(&format!("{}/", app.base)).await.expect("home");
    // The map under the policy: no refusal (settle checks).
    settle(&c).await;
    c.execute(
        "const img = document.createElement('img'); img.src = arguments[0]; \
         document.body.appendChild(img); \
         const s = document.createElement('script'); s.textContent = 'window.ran = 1;'; \
         document.body.appendChild(s); \
         document.body.setAttribute('style', 'color: red');",
        vec![json!("https://tiles.example.invalid/1/1/1.png")],
    )
    .await
    .expect("inject");
    let mut refused = Vec::new();
    for _ in 0..20 {
        refused.extend(csp_violations(&c).await);
        if refused.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let all = refused.join("\n");
    assert!(all.contains("img-src"), "the image: {all}");
    assert!(all.contains("script-src"), "the inline script: {all}");
    assert!(all.contains("style-src"), "the style attribute: {all}");
    let ran = c
        .execute("return window.ran === 1;", vec![])
        .await
        .expect("ran?");
    assert_eq!(ran, json!(false), "an inline script must not run");
    c.close().await.expect("close browser");
}
