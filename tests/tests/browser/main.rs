//! End to end in headless Chromium: the built SPA served by the local server's app, with
//! the demo data. Needs `dist/` (make spa) and Debian's chromium + chromium-driver.

mod account;
mod activities;
mod activity_edits;
mod audit;
mod codes;
mod entry;

mod appeals;
mod minors_calendar;
mod need_rating;
mod needs;
mod notice_settings;
mod offline;
mod orgs;
mod pages;
mod records;
mod series;
mod sessions;
mod stations;
mod stats;

mod backfills;
mod csp;
mod need_dispatch;

mod assisted;
mod public_shell;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::time::Duration;
use zhiyuan_tests::{
    free_port, spawn_app, spawn_tied_to_this_process, wait_for_port, workspace_root,
};

/// Where the browsers' profiles go: under `target/`, emptied once per run of the suite, so
/// the ~20 MB each Chromium leaves behind does not pile up run after run.
fn chromium_profiles() -> std::path::PathBuf {
    static CLEARED: std::sync::Once = std::sync::Once::new();
    let dir = workspace_root().join("target").join("tmp").join("chromium");
    CLEARED.call_once(|| {
        let _ = std::fs::remove_dir_all(&dir);
    });
    dir
}

async fn browser() -> Client {
    // Both rustls providers are in the dependency tree (the AWS SDK brings aws-lc-rs); pick one.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let port = free_port();
    let log = workspace_root()
        .join("target")
        .join("test-artifacts")
        .join("chromedriver.log");
    let _ = std::fs::create_dir_all(log.parent().expect("parent"));
    spawn_tied_to_this_process("/usr/bin/chromedriver", &[format!("--port={port}")], &log);
    assert!(
        wait_for_port(port, Duration::from_secs(20)),
        "chromedriver did not start"
    );
    let profile = chromium_profiles().join(port.to_string());
    let caps = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.display())]
        },
        // The console, where Chromium reports every Content-Security-Policy refusal.
        "goog:loggingPrefs": {"browser": "ALL"}
    });
    let caps = caps.as_object().cloned().unwrap_or_default();
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(el) => {
            assert_no_csp_violation(c).await;
            // WebDriver clicks an element in the viewport where it is, even under the
            // phone's fixed tab bar; a person would scroll it up first, and so do the tests.
            let arg = serde_json::to_value(&el).unwrap_or_default();
            let _ = c
                .execute(
                    "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                    vec![arg],
                )
                .await;
            el
        }
        Err(e) => {
            // Leave the page as it was for the person reading the failure.
            let dir = workspace_root().join("target").join("test-artifacts");
            if let Ok(png) = c.screenshot().await {
                let _ = std::fs::write(dir.join("failure.png"), png);
            }
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let text = c.find(Locator::Css("main")).await.ok();
            let text = match text {
                Some(m) => m.text().await.unwrap_or_default(),
                None => String::new(),
            };
            panic!("{css} did not appear on {url}: {e}\n{text}")
        }
    }
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = wait_for(c, css).await;
    el.clear().await.expect("clear");
    el.send_keys(text).await.expect("type");
}

/// Picks `value` in the `<select>` at `css`, once that option has loaded.
async fn choose(c: &Client, css: &str, value: &str) {
    wait_for(c, &format!("{css} option[value='{value}']")).await;
    wait_for(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
}

async fn submit(c: &Client) {
    wait_for(c, "form button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");
}

/// Presses "获取验证码" for the phone typed in the form and reads the code from the app's
/// SMS outbox, as a person reads it off their phone. The button then counts down.
async fn code_from_outbox(c: &Client, app: &zhiyuan_tests::TestApp, phone: &str) -> String {
    wait_for(c, "[data-testid=send-code]")
        .await
        .click()
        .await
        .expect("get a code");
    for _ in 0..100 {
        if let Some(code) = app.last_code(phone) {
            wait_for(c, "[data-testid=send-code]:disabled").await;
            return code;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no code reached the outbox for {phone}")
}

async fn sign_in(c: &Client, base: &str, phone: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.expect("open login");
    fill(c, "#f-phone", phone).await;
    fill(c, "#f-password", password).await;
    submit(c).await;
    wait_for(c, "[data-testid=me-title]").await;
}

/// A region admin's sign-in: the password, then the second-factor code read from the
/// app's outbox (the resend minute of an earlier code is let pass first).
async fn sign_in_admin(c: &Client, app: &zhiyuan_tests::TestApp, phone: &str, password: &str) {
    app.minute_passes_for(phone).await;
    let before = app.sms_to(phone).len();
    c.goto(&format!("{}/login", app.base))
        .await
        .expect("open login");
    fill(c, "#f-phone", phone).await;
    fill(c, "#f-password", password).await;
    submit(c).await;
    second_factor(c, app, phone, before).await;
    wait_for(c, "[data-testid=me-title]").await;
}

/// The login page's second step: waits for the code sent after message `before` and
/// enters it.
async fn second_factor(c: &Client, app: &zhiyuan_tests::TestApp, phone: &str, before: usize) {
    wait_for(c, "[data-testid=second-factor]").await;
    let mut code = None;
    for _ in 0..100 {
        if app.sms_to(phone).len() > before {
            code = app.last_code(phone);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = code.expect("a second-factor code reached the admin's phone");
    fill(c, "#f-code", &code).await;
    submit(c).await;
}

async fn sign_out(c: &Client, base: &str) {
    c.goto(&format!("{base}/me")).await.expect("open me");
    wait_for(c, "[data-testid=logout]")
        .await
        .click()
        .await
        .expect("logout");
    wait_for(c, "[data-testid=station-map]").await;
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    let dir = zhiyuan_tests::target_dir().join("test-artifacts");
    std::fs::write(dir.join(name), png).expect("save screenshot");
}

async fn focused_id(c: &Client) -> String {
    c.execute(
        "return document.activeElement && document.activeElement.id",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(String::from))
    .unwrap_or_default()
}

/// The focused element's id once it is `id`, or whatever holds the focus after 2 s: a
/// dialog moves the focus in the frame after it appears, as a person would see it.
async fn focus_arrives(c: &Client, id: &str) -> String {
    let mut now = focused_id(c).await;
    for _ in 0..20 {
        if now == id {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        now = focused_id(c).await;
    }
    now
}

/// Sets an input's value the way typing would (datetime-local inputs ignore send_keys'
/// format), firing the `input` event the page listens to.
async fn set_value(c: &Client, css: &str, value: &str) {
    wait_for(c, css).await;
    c.execute(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
         el.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![json!(css), json!(value)],
    )
    .await
    .expect("set value");
}

/// The text of the first element matching `css`, once it contains `wanted`.
async fn wait_for_text(c: &Client, css: &str, wanted: &str) -> String {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
            && text.contains(wanted)
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let text = wait_for(c, css).await.text().await.unwrap_or_default();
    panic!("{css} never read {wanted:?}; it reads {text:?}")
}

/// The app with the demo data (regions, stations, the demo accounts and their activities).
async fn seeded_app() -> zhiyuan_tests::TestApp {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    app
}

/// Presses `key` on whatever has the focus.
async fn press(c: &Client, key: fantoccini::key::Key) {
    c.active_element()
        .await
        .expect("focus")
        .send_keys(&key.to_string())
        .await
        .expect("key");
}

/// True when `script` returns true in the page.
async fn js_true(c: &Client, script: &str) -> bool {
    c.execute(script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// True once `script` returns true in the page, tried for at most 10 s.
async fn eventually_true(c: &Client, script: &str) -> bool {
    for _ in 0..50 {
        if js_true(c, script).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// Waits until the app has replaced the shell and the page's data has loaded (no
/// "加载中…" left in the page), for at most 10 s; a page still loading is judged as it is.
async fn settle(c: &Client) {
    for _ in 0..50 {
        let done = js_true(
            c,
            "const m = document.querySelector('main'); \
             return !document.getElementById('app-shell') && !!m && !!m.firstElementChild \
               && !/加载中|Loading…/.test(m.innerText) \
               && !document.querySelector('main [aria-busy=true]');",
        )
        .await;
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_no_csp_violation(c).await;
}

/// A POST to one of chromedriver's own session commands: `se/log` (the browser's console,
/// read and emptied; kept for the `goog:loggingPrefs` capability) or `goog/cdp/execute` (a
/// Chrome DevTools Protocol command, for what WebDriver cannot do).
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// Reads (and empties) the browser's console log.
fn browser_log() -> SessionPost {
    SessionPost {
        path: "se/log",
        body: r#"{"type": "browser"}"#.into(),
    }
}

/// A DevTools Protocol command, e.g. `Network.setBlockedURLs` to see a page before its wasm.
fn cdp(cmd: &str, params: serde_json::Value) -> SessionPost {
    SessionPost {
        path: "goog/cdp/execute",
        body: serde_json::json!({"cmd": cmd, "params": params}).to_string(),
    }
}

/// Blocks the browser's requests to URLs matching `patterns` (`*` a wildcard) until called
/// again with none.
async fn block_urls(c: &Client, patterns: &[&str]) {
    c.issue_cmd(cdp("Network.enable", serde_json::json!({})))
        .await
        .expect("network domain");
    c.issue_cmd(cdp(
        "Network.setBlockedURLs",
        serde_json::json!({ "urls": patterns }),
    ))
    .await
    .expect("block URLs");
}

/// What the page was refused under the Content-Security-Policy since the last look:
/// Chromium logs each refusal ("Refused to … because it violates the following Content
/// Security Policy directive …") to the console, for any document of the tab.
async fn csp_violations(c: &Client) -> Vec<String> {
    let log = c
        .issue_cmd(browser_log())
        .await
        .expect("read the browser's console");
    log.as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| e["message"].as_str())
                .filter(|m| m.contains("Content Security Policy"))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Every page check of the suite: the app ran under its policy without a refusal.
async fn assert_no_csp_violation(c: &Client) {
    let refused = csp_violations(c).await;
    assert!(
        refused.is_empty(),
        "the page broke the Content-Security-Policy:\n{}",
        refused.join("\n")
    );
}

const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 900);

/// The number of stations the map says it shows, once it shows any (0 after 20 s).
async fn markers_declared(c: &Client) -> usize {
    let mut n = 0;
    for _ in 0..100 {
        n = wait_for(c, "[data-testid=station-map]")
            .await
            .attr("data-markers")
            .await
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if n > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    n
}

/// Opens the popup of the station marker `marker` and checks it links to the station's
/// page, in the default language's words.
async fn popup_links_to_its_station(c: &Client, marker: &str) {
    wait_for(c, marker)
        .await
        .click()
        .await
        .expect("open its popup");
    // (Read once the popup has faded in: until then its text is not visible.)
    wait_for_text(c, ".zy-popup a.zy-popup-link", "查看站点").await;
    let link = wait_for(c, ".zy-popup a.zy-popup-link").await;
    let href = link.attr("href").await.ok().flatten().unwrap_or_default();
    assert!(href.starts_with("/stations/"), "{href}");
}

/// The stations the home map declares once every page of them has come (the count under
/// the map no longer says it is loading) and the app has drawn them: none of the markers
/// `map.js` drew before the app is left.
async fn all_markers_declared(c: &Client) -> usize {
    let drawn = eventually_true(
        c,
        "const count = document.querySelector('.home-map .count'); \
         return !!count && !!document.getElementById('station-map') \
           && !/加载中|Loading/.test(count.textContent) \
           && !document.querySelector('[data-early-stations], .zy-marker-early, .zy-popup-early');",
    )
    .await;
    assert!(drawn, "every page of stations, drawn by the app");
    markers_declared(c).await
}
