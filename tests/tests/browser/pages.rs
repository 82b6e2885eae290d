//! Every page at phone and desktop width, as each role sees it: no sideways scrolling, no
//! WCAG 2.1 AA violation axe finds, the map filling the first screen.

use super::{
    DESKTOP, PHONE, browser, js_true, markers_declared, press, seeded_app, settle, shot, sign_in,
    sign_in_admin, sign_out, wait_for,
};
use fantoccini::Client;
use serde_json::json;
use std::time::Duration;
use zhiyuan_tests::workspace_root;

/// axe-core from npm (scripts/tools-package.json), injected into each page from the file.
pub(super) fn axe_source() -> String {
    let path = workspace_root()
        .join(".tools")
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/install-tools.sh test installs it)",
            path.display()
        )
    })
}

/// WCAG 2.1 AA violations axe finds on the page, one line each with up to three targets.
pub(super) async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(axe, vec![]).await.expect("inject axe-core");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}) \
               .then(r => done({passes: r.passes.length, violations: r.violations.map(v => v.id + ': ' \
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))})) \
               .catch(e => done({passes: 0, violations: ['axe failed: ' + e]}));",
            vec![],
        )
        .await
        .expect("run axe");
    // A run that checked nothing would pass anything: it must have passed some rules.
    assert!(
        found["passes"].as_u64().unwrap_or(0) > 0,
        "axe ran: {found}"
    );
    serde_json::from_value(found["violations"].clone()).unwrap_or_default()
}

/// (scrollWidth, innerWidth): a page that scrolls sideways has the first larger.
pub(super) async fn widths(c: &Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0))
}

/// (top, height, viewport height) of the home page's map.
async fn map_box(c: &Client) -> (f64, f64, f64) {
    let v = c
        .execute(
            "const r = document.querySelector('[data-testid=station-map]').getBoundingClientRect(); \
             return [r.top, r.height, window.innerHeight];",
            vec![],
        )
        .await
        .expect("map box");
    let f = |i: usize| v[i].as_f64().unwrap_or(0.0);
    (f(0), f(1), f(2))
}

/// What a person sees, checked on every page as each role sees it, at phone and desktop
/// width: no sideways scrolling on a phone, no WCAG 2.1 AA violation that axe can find, the
/// map filling the first screen of `/`, the tab bar on a phone reachable by keyboard.
/// One browser for all of it; a screenshot of each page at both widths for a person to look at.
#[tokio::test]
async fn every_page_fits_a_phone_and_a_desktop_and_passes_axe_as_each_role_sees_it() {
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();
    let axe = axe_source();
    let first_id = |v: &serde_json::Value| v["items"][0]["id"].as_str().unwrap_or("").to_string();
    let station = first_id(&app.get("/api/stations?region=150602&limit=1").await.1);
    let activities = app.get("/api/activities?region=150602").await.1;
    let activity = first_id(&activities);
    let shift = activities["items"][0]["shifts"][0]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let org = first_id(&app.get("/api/orgs?region=150602").await.1);
    let need = first_id(&app.get("/api/needs?region=150602&status=open").await.1);
    assert!(
        ![&station, &activity, &shift, &org, &need]
            .iter()
            .any(|s| s.is_empty()),
        "demo ids"
    );
    let roles: Vec<(&str, Option<&str>, Vec<String>)> = vec![
        (
            "anonymous",
            None,
            [
                "/".to_string(),
                format!("/stations/{station}"),
                "/activities".into(),
                format!("/activities/{activity}"),
                "/orgs".into(),
                format!("/orgs/{org}"),
                "/needs".into(),
                format!("/needs/{need}"),
                "/login".into(),
                "/register".into(),
                "/reset".into(),
                "/verify".into(),
                "/perks".into(),
                "/stats".into(),
                "/exemplary".into(),
                "/me".into(),
                "/no/such/page".into(),
                "/takeover".into(),
            ]
            .into(),
        ),
        (
            "volunteer",
            Some("13800000004"),
            [
                "/".to_string(),
                format!("/activities/{activity}"),
                "/me".into(),
                "/me/account".into(),
                "/me/activities".into(),
                "/me/notices".into(),
                "/me/notice-settings".into(),
                "/me/records".into(),
                "/me/certificate".into(),
                "/me/needs".into(),
                "/needs/new".into(),
                format!("/orgs/{org}"),
                "/me/identity-appeal".into(),
                "/me/backfills".into(),
            ]
            .into(),
        ),
        (
            "organizer",
            Some("13800000003"),
            [
                format!("/orgs/{org}"),
                format!("/activities/new?org={org}"),
                format!("/activities/{activity}"),
                format!("/shifts/{shift}/checkin"),
                "/orgs/new".into(),
                "/me".into(),
                "/assisted-registration".into(),
                "/me/dispatched-needs".into(),
                format!("/orgs/{org}/backfills"),
            ]
            .into(),
        ),
        (
            "admin",
            Some("13800000001"),
            [
                "/admin".to_string(),
                "/stats".into(),
                "/me".into(),
                format!("/stations/{station}"),
                "/dispatch".into(),
            ]
            .into(),
        ),
    ];
    let dir = zhiyuan_tests::target_dir()
        .join("test-artifacts")
        .join("pages");
    let _ = std::fs::create_dir_all(&dir);
    let c = browser().await;
    let mut problems = Vec::new();
    for (role, phone, pages) in &roles {
        if let Some(phone) = phone {
            c.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("size");
            if *role == "admin" {
                sign_in_admin(&c, &app, phone, password).await;
            } else {
                sign_in(&c, &base, phone, password).await;
            }
        }
        for page in pages {
            let slug = page
                .trim_matches('/')
                .replace(['/', '?', '='], "-")
                .chars()
                .take(40)
                .collect::<String>();
            let slug = if slug.is_empty() { "home".into() } else { slug };
            c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
            c.goto(&format!("{base}{page}")).await.expect("open page");
            settle(&c).await;
            // A role's scope reads as a name, not a region code or an organisation's id.
            let named = match (*role, page.as_str()) {
                ("admin", "/admin") => Some("管辖范围 鄂尔多斯市"),
                ("admin", "/me") => Some("文明办管理员 · 鄂尔多斯市"),
                ("organizer", "/me") => Some("组织管理员 · 东胜区青年志愿者协会"),
                _ => None,
            };
            if let Some(name) = named {
                let script = format!("return document.body.innerText.includes({name:?});");
                let mut seen = false;
                for _ in 0..50 {
                    if js_true(&c, &script).await {
                        seen = true;
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                if !seen {
                    problems.push(format!("{role} {page}: does not read {name:?}"));
                }
            }
            for (w, h) in [PHONE, DESKTOP] {
                if w != PHONE.0 {
                    c.set_window_size(w, h).await.expect("desktop");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let at = format!("{role} {page} at {w}px");
                let (scroll, inner) = widths(&c).await;
                if scroll > inner {
                    problems.push(format!("{at}: scrolls sideways ({scroll} > {inner})"));
                }
                if page == "/" {
                    let (top, height, vh) = map_box(&c).await;
                    if !(top >= 0.0 && top < vh && height >= vh * 0.5) {
                        problems.push(format!(
                            "{at}: map top {top}, height {height} of a {vh} px screen"
                        ));
                    }
                }
                for v in axe_violations(&c, &axe).await {
                    problems.push(format!("{at}: {v}"));
                }
                let png = c.screenshot().await.expect("screenshot");
                std::fs::write(dir.join(format!("{role}-{slug}-{w}.png")), png).expect("save");
            }
        }
        if phone.is_some() {
            sign_out(&c, &base).await;
        }
    }

    // On a phone the tab bar shows, and the keyboard reaches it in the page's tab order.
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{base}/perks")).await.expect("perks");
    settle(&c).await;
    let bar = wait_for(&c, "[data-testid=tab-bar]").await;
    assert!(
        bar.is_displayed().await.expect("shown"),
        "tab bar on a phone"
    );
    let current = wait_for(&c, "[data-testid=tab-bar] [aria-current=page]")
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(current, "我的", "/perks belongs to 我的");
    let mut reached = false;
    for _ in 0..60 {
        press(&c, fantoccini::key::Key::Tab).await;
        if js_true(
            &c,
            "return !!document.activeElement.closest('[data-testid=tab-bar]');",
        )
        .await
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the tab bar");
    press(&c, fantoccini::key::Key::Enter).await;
    wait_for(&c, "[data-testid=tab-bar] a[aria-current=page][href='/']").await;
    // 本周有活动: the map keeps the stations of the demo's activities (days 1–3, ≤ 3 stations).
    wait_for(&c, "#this-week")
        .await
        .click()
        .await
        .expect("this week");
    let mut kept = 0;
    for _ in 0..100 {
        kept = markers_declared(&c).await;
        if kept <= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!((1..=3).contains(&kept), "{kept} stations this week");
    shot(&c, "home-this-week.png").await;
    // Large text (适老化) on a phone, then also in English (longer words in the header, the
    // bar and the tabs): the map still fills the first screen, nothing overflows.
    for (pref, value, shown, png) in [
        ("zhiyuan.large_text", "1", "html.large-text", "large-text"),
        ("zhiyuan.lang", "en", "html[lang=en]", "large-text-en"),
    ] {
        c.execute(
            "localStorage.setItem(arguments[0], arguments[1]);",
            vec![json!(pref), json!(value)],
        )
        .await
        .expect("preference");
        c.goto(&format!("{base}/")).await.expect("home");
        wait_for(&c, shown).await;
        settle(&c).await;
        // (wait_for scrolled to the <html> it waited for; the first screen is what counts.)
        c.execute("window.scrollTo(0, 0);", vec![])
            .await
            .expect("top");
        let (top, height, vh) = map_box(&c).await;
        assert!(
            top < vh && height >= vh * 0.5,
            "{png}: map top {top}, height {height} of {vh}"
        );
        let (scroll, inner) = widths(&c).await;
        assert!(
            scroll <= inner,
            "{png} scrolls sideways: {scroll} > {inner}"
        );
        std::fs::write(
            dir.join(format!("anonymous-home-{png}-390.png")),
            c.screenshot().await.expect("screenshot"),
        )
        .expect("save");
    }
    c.close().await.expect("close browser");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
