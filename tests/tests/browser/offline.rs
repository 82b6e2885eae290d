//! The installable app, and a second visit without a network.

use super::{
    PHONE, browser, markers_declared, seeded_app, settle, shot, sign_in, sign_out, wait_for,
};
use fantoccini::Client;
use serde_json::json;
use std::time::Duration;

/// A TCP relay in front of the app that can be cut: the browser then meets no server at
/// all, as on a phone without a network (Chromium's emulated offline mode does not reach
/// the service worker's own fetches reliably).
struct Relay {
    base: String,
    online: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn to(upstream: &str) -> Self {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind relay");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let target = upstream.trim_start_matches("http://").to_string();
        let online = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let open = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (on, conns) = (online.clone(), open.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !on.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                if let Ok(mut list) = conns.lock() {
                    list.push(task.abort_handle());
                }
            }
        });
        Self { base, online, open }
    }

    fn cut(&self) {
        self.online
            .store(false, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut list) = self.open.lock() {
            for task in list.drain(..) {
                task.abort();
            }
        }
    }
}

/// Runs `script` (which ends by calling `done(value)`) and returns the value.
async fn run_async(c: &Client, script: &str) -> serde_json::Value {
    c.execute_async(
        &format!("const done = arguments[arguments.length - 1]; {script}"),
        vec![],
    )
    .await
    .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Every URL in the Cache Storage of the page's origin.
async fn cached_urls(c: &Client) -> Vec<String> {
    let v = run_async(
        c,
        "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(x => x.keys())))) \
           .then(all => done(all.flat().map(r => r.url)));",
    )
    .await;
    serde_json::from_value(v).unwrap_or_default()
}

/// The installable app: a manifest, a service worker that keeps public data only and is
/// emptied at sign-out, and a second visit without a network that shows the shell, the
/// stations seen before and what still works.
#[tokio::test]
async fn a_second_visit_without_a_network_shows_the_shell_and_the_stations_seen_before() {
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let relay = Relay::to(&app.base).await;
    let base = relay.base.clone();
    let (_, manifest) = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest["short_name"], "志愿", "{manifest}");
    let station = app.get("/api/stations?region=150602&limit=1").await.1["items"][0]["id"]
        .as_str()
        .expect("a station")
        .to_string();
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{base}/")).await.expect("home");
    assert!(markers_declared(&c).await > 0);
    let controlled = run_async(
        &c,
        "navigator.serviceWorker.ready.then(() => { \
           const wait = n => navigator.serviceWorker.controller || n <= 0 \
             ? done(!!navigator.serviceWorker.controller) : setTimeout(() => wait(n - 1), 100); \
           wait(100); });",
    )
    .await;
    assert_eq!(
        controlled,
        json!(true),
        "the service worker controls the page"
    );

    // Signed in, nothing personal is kept; signing out empties every cache and all stored
    // items but the language and large-text choices.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/activities"))
        .await
        .expect("mine");
    settle(&c).await;
    let kept = cached_urls(&c).await;
    assert!(!kept.is_empty(), "the shell is kept");
    assert!(
        !kept
            .iter()
            .any(|u| u.contains("/api/me") || u.contains("/api/auth")),
        "{kept:?}"
    );
    assert!(kept.iter().any(|u| u.ends_with(".wasm")), "{kept:?}");
    sign_out(&c, &base).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The home page it lands on reads the public station list again (and may keep that);
    // nothing kept before signing out is left.
    let left = cached_urls(&c).await;
    assert!(
        left.iter()
            .all(|u| u.contains("/api/stations") || u.contains("/api/regions")),
        "{left:?}"
    );
    let stored = run_async(&c, "done(Object.keys(localStorage));").await;
    for k in stored.as_array().expect("keys") {
        let k = k.as_str().unwrap_or("");
        assert!(k == "zhiyuan.lang" || k == "zhiyuan.large_text", "{stored}");
    }

    // Two visits with a network (the worker keeps the shell and the station list), then one without.
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("station");
    wait_for(&c, "[data-testid=station-name]").await;
    c.goto(&format!("{base}/")).await.expect("home");
    assert!(markers_declared(&c).await > 0);
    c.refresh().await.expect("second visit");
    assert!(markers_declared(&c).await > 0);
    relay.cut();
    c.refresh().await.expect("offline visit");
    let offline = markers_declared(&c).await;
    assert!(offline > 0, "kept stations on the map offline");
    let notice = wait_for(&c, "[data-testid=offline-notice]")
        .await
        .text()
        .await
        .expect("notice");
    assert!(notice.contains("报名"), "{notice}");
    shot(&c, "offline-home.png").await;
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("station offline");
    wait_for(&c, "[data-testid=station-name]").await;
    shot(&c, "offline-station.png").await;
    c.close().await.expect("close browser");
}
