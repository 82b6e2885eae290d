//! A resident finds the nearest station on the map.

use super::{browser, choose, markers_declared, wait_for};
use fantoccini::{Client, Locator};
use std::time::Duration;
use zhiyuan_tests::{spawn_app, workspace_root};

#[tokio::test]
async fn a_resident_finds_the_nearest_station_on_the_map_and_opens_its_page() {
    assert!(
        workspace_root().join("dist").join("index.html").exists(),
        "build the SPA first: make spa"
    );
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let c = browser().await;
    c.goto(&format!("{}/", app.base)).await.expect("open home");

    // The map with markers (Leaflet's cluster and marker icons) — tiles cannot load here.
    let map = wait_for(&c, "[data-testid=station-map]").await;
    let mut markers = 0;
    for _ in 0..100 {
        markers = c
            .find_all(Locator::Css(".leaflet-marker-icon"))
            .await
            .map(|v| v.len())
            .unwrap_or(0);
        let declared: usize = map
            .attr("data-markers")
            .await
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if markers > 0 && declared >= 190 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(markers > 0, "markers on the map");
    // Once the app has drawn them all: a marker tapped while slices go on may join a cluster.
    assert!(super::all_markers_declared(&c).await >= 190);
    stations_settled(&c, Duration::from_millis(600)).await;
    // A station's marker opens a popup with its name and a link to its page (made when it
    // opens, as text).
    super::popup_links_to_its_station(&c, ".zy-marker").await;
    assert!(
        !super::js_true(&c, "return !!document.querySelector('.zy-popup-early');").await,
        "the app's popup"
    );
    // Tiles cannot load here, and the map says so once, in its own corner.
    let notice = wait_for(&c, "[data-testid=station-map] .map-notice [role=status]").await;
    let words = notice.text().await.expect("notice");
    assert!(words.contains("底图"), "{words}");
    let notices = c
        .find_all(Locator::Css(".map-notice, .map-wrap > .notice"))
        .await
        .expect("notices");
    assert_eq!(notices.len(), 1, "the tiles' notice is drawn once");
    let title = c.title().await.unwrap_or_default();
    assert!(title.contains("志愿"), "{title}");

    // Choose a place (东胜区) instead of geolocation: the nearest list appears, nearest first.
    choose(&c, "#choose-point", "150602").await;
    wait_for(&c, "[data-testid=nearest-list] li").await;
    let distances = c
        .find_all(Locator::Css("[data-testid=nearest-list] .distance"))
        .await
        .expect("distances");
    assert!(distances.len() >= 5, "{} stations listed", distances.len());

    let shot = c.screenshot().await.expect("screenshot");
    let dir = workspace_root().join("target").join("test-artifacts");
    std::fs::write(dir.join("home.png"), shot).expect("save screenshot");

    // Open the nearest station's page.
    let first = wait_for(&c, "[data-testid=nearest-list] li a.station-link").await;
    let name = first.text().await.expect("name");
    first.click().await.expect("open station");
    let heading = wait_for(&c, "[data-testid=station-name]").await;
    assert_eq!(heading.text().await.expect("heading"), name);
    let contact = wait_for(&c, "[data-testid=station-contact]")
        .await
        .text()
        .await
        .expect("contact");
    assert!(contact.contains('*'), "contact is masked: {contact}");
    let checklist = c
        .find_all(Locator::Css("[data-testid=five-have] li"))
        .await
        .expect("checklist");
    assert_eq!(checklist.len(), 5);
    let shot = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join("station.png"), shot).expect("save screenshot");

    // Large-text mode (适老化): the switch enlarges the root font, and the choice sticks.
    let root_px = |c: Client| async move {
        c.execute(
            "return parseFloat(getComputedStyle(document.documentElement).fontSize)",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
    };
    let normal = root_px(c.clone()).await;
    c.find(Locator::Css(".switch input"))
        .await
        .expect("large-text switch")
        .click()
        .await
        .expect("click");
    wait_for(&c, "html.large-text").await;
    let large = root_px(c.clone()).await;
    assert!(large >= normal * 1.2, "large text {large}px vs {normal}px");
    c.refresh().await.expect("reload");
    wait_for(&c, "html.large-text").await;

    // English switch, then an unknown page.
    c.find(Locator::Css(".lang-switch"))
        .await
        .expect("switch")
        .click()
        .await
        .expect("click");
    wait_for(&c, "html[lang=en]").await;
    // The map's tile notice in the language chosen: drawn before the app on a fresh load,
    // and redrawn when the language is switched.
    c.goto(&format!("{}/", app.base)).await.expect("home");
    let notice_says = |c: Client, words: &'static str| async move {
        for _ in 0..50 {
            let text = match c
                .find(Locator::Css("[data-testid=station-map] .map-notice"))
                .await
            {
                Ok(n) => n.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(words) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the map's notice never said {words:?}");
    };
    notice_says(c.clone(), "Map tiles cannot load").await;
    for (switch_to, words) in [("zh", "底图"), ("en", "Map tiles cannot load")] {
        let switch = wait_for(&c, ".lang-switch").await;
        switch.click().await.expect("switch the language");
        let text = notice_says(c.clone(), words).await;
        assert_eq!(tile_notices(&c).await, 1, "{switch_to}: one notice, {text}");
    }
    // On a phone the notice covers part of the map: it can be closed, by keyboard too. The
    // focus stays on the map, and the notice stays away for the rest of the visit.
    let close = wait_for(&c, "[data-testid=station-map] .map-notice-close").await;
    assert_eq!(
        close.attr("aria-label").await.ok().flatten().as_deref(),
        Some("Dismiss notice")
    );
    close
        .send_keys(&fantoccini::key::Key::Enter.to_string())
        .await
        .expect("close the notice with the keyboard");
    for _ in 0..50 {
        if tile_notices(&c).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(tile_notices(&c).await, 0, "the closed notice is gone");
    let on_map = c
        .execute(
            "return document.activeElement.classList.contains('leaflet-container')",
            vec![],
        )
        .await
        .expect("focus");
    assert_eq!(on_map, serde_json::json!(true), "focus moved to the map");
    c.refresh().await.expect("reload");
    assert!(
        super::all_markers_declared(&c).await >= 190,
        "the map is back"
    );
    // Every tile has had its answer (here: failed) before the notice is looked for.
    for _ in 0..50 {
        let settled = c
            .execute(
                "const tiles = [...document.querySelectorAll('img.leaflet-tile')]; \
                 return tiles.length > 0 && tiles.every(t => t.complete);",
                vec![],
            )
            .await
            .expect("tiles");
        if settled == serde_json::json!(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        tile_notices(&c).await,
        0,
        "a closed notice stays closed for the visit"
    );
    c.goto(&format!("{}/no/such/page", app.base))
        .await
        .expect("open unknown");
    let h1 = wait_for(&c, "#nf-title").await.text().await.expect("h1");
    assert_eq!(h1, "Page not found");
    c.close().await.expect("close browser");
}

/// How many tile notices the page shows.
async fn tile_notices(c: &Client) -> usize {
    c.find_all(Locator::Css(".map-notice"))
        .await
        .expect("notices")
        .len()
}

/// The stations on the map (`map.js`): each cluster's count and each single marker.
const STATIONS_ON_MAP: &str = "return [...document.querySelectorAll('.marker-cluster')] \
     .reduce((n, e) => n + (parseInt(e.textContent, 10) || 0), 0) \
     + document.querySelectorAll('.zy-marker').length;";

/// A list of `n` stations in the city's first view, as the app hands them to `map.js`.
fn synthetic_stations(n: usize) -> String {
    format!(
        "Array.from({{length: {n}}}, (_, i) => ['S' + i, 39.4 + (i % 60) / 100, \
         108.9 + Math.floor(i / 60) / 50, 't', false, false, '/stations/x' + i, 'v'])"
    )
}

/// Calls `map.js` in one go, each call with that many synthetic stations (`setStations`
/// or `addStations`).
async fn on_map(c: &Client, calls: &[(&str, usize)]) {
    let script: String = calls
        .iter()
        .map(|(call, n)| format!("zhiyuanMap.{call}({}); ", synthetic_stations(*n)))
        .collect();
    c.execute(&script, vec![]).await.expect("map.js calls");
}

/// How many stations are on the map once it stops changing for a while (30 s at most).
async fn stations_settled(c: &Client, quiet: Duration) -> u64 {
    let mut last = u64::MAX;
    let mut since = std::time::Instant::now();
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        let now = c
            .execute(STATIONS_ON_MAP, vec![])
            .await
            .expect("count")
            .as_u64()
            .unwrap_or(0);
        if now != last {
            last = now;
            since = std::time::Instant::now();
        } else if since.elapsed() >= quiet {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    last
}

/// A province's thousands of stations go on the map a slice at a time, the page answering
/// between slices; a newer list (a filter, the language) stops the slices of the last.
#[tokio::test]
async fn thousands_of_markers_go_on_in_slices_and_a_newer_list_stops_the_last() {
    let app = super::seeded_app().await;
    let c = browser().await;
    c.goto(&format!("{}/", app.base)).await.expect("home");
    assert!(
        super::all_markers_declared(&c).await >= 190,
        "the city's markers"
    );
    let at_once = c
        .execute(
            &format!(
                "zhiyuanMap.setStations({}); {STATIONS_ON_MAP}",
                synthetic_stations(3000)
            ),
            vec![],
        )
        .await
        .expect("3000 stations")
        .as_u64()
        .unwrap_or(u64::MAX);
    assert!(
        at_once <= 100,
        "the first slice only, then the page answers: {at_once}"
    );
    assert_eq!(stations_settled(&c, Duration::from_secs(1)).await, 3000);

    // A long list, replaced at once by a short one: none of the long one's later slices land.
    on_map(&c, &[("setStations", 3000), ("setStations", 5)]).await;
    assert_eq!(stations_settled(&c, Duration::from_secs(2)).await, 5);

    // The next page of the same list goes on after what is still waiting; a newer list
    // drops both.
    on_map(&c, &[("setStations", 3000), ("addStations", 500)]).await;
    assert_eq!(stations_settled(&c, Duration::from_secs(1)).await, 3500);
    on_map(
        &c,
        &[
            ("setStations", 3000),
            ("addStations", 500),
            ("setStations", 7),
        ],
    )
    .await;
    assert_eq!(stations_settled(&c, Duration::from_secs(2)).await, 7);
    c.close().await.expect("close browser");
}

/// The home page's markers come page by page: when a later page of the city's stations
/// cannot be read, the first page's markers are on the map and the page says what failed.
#[tokio::test]
async fn the_first_page_of_markers_stays_when_a_later_page_fails() {
    let app = super::seeded_app().await;
    let c = browser().await;
    super::block_urls(&c, &["*cursor=*"]).await;
    c.goto(&format!("{}/", app.base)).await.expect("home");
    assert_eq!(markers_declared(&c).await, 100, "the first page's stations");
    wait_for(&c, ".home-map .notice.error[role=alert]").await;
    assert!(
        stations_settled(&c, Duration::from_secs(1)).await > 0,
        "drawn on the map"
    );
    assert_eq!(markers_declared(&c).await, 100, "and no more");
    super::block_urls(&c, &[]).await;
    c.close().await.expect("close browser");
}

/// A later page of the city's markers that is slow (a weak signal) does not hold back the
/// first: its markers are on the map and the count says it is still loading; when the
/// page comes, its markers join them and the count says how many.
#[tokio::test]
async fn the_first_page_of_markers_is_on_the_map_while_a_later_page_is_slow() {
    let app = super::seeded_app().await;
    let c = browser().await;
    // Before the page's own scripts: every request for a later page waits until released.
    c.issue_cmd(super::cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": "(() => { const send = window.fetch; \
             window.zhiyuanHeld = []; \
             window.fetch = (input, init) => { \
               const url = typeof input === 'string' ? input : input.url; \
               if (!url.includes('cursor=')) return send(input, init); \
               return new Promise(go => window.zhiyuanHeld.push(() => go(send(input, init)))); \
             }; })();" }),
    ))
    .await
    .expect("hold later pages");
    c.goto(&format!("{}/", app.base)).await.expect("home");
    assert_eq!(markers_declared(&c).await, 100, "the first page's stations");
    assert!(
        super::eventually_true(
            &c,
            "return window.zhiyuanHeld.length === 1 && !document.getElementById('app-shell') \
               && !document.querySelector('[data-early-stations]');",
        )
        .await,
        "the second page asked for and held, the app's first page drawn"
    );
    assert!(
        stations_settled(&c, Duration::from_secs(1)).await > 0,
        "the first page drawn while the second waits"
    );
    let count = wait_for(&c, ".home-map .count").await;
    assert_eq!(count.text().await.expect("count"), "加载中…");
    // Released one by one, each next page as it is asked for.
    assert!(
        super::eventually_true(
            &c,
            "window.zhiyuanHeld.splice(0).forEach(go => go()); \
             return /^\\d+ /.test(document.querySelector('.home-map .count').textContent);",
        )
        .await,
        "the count once the last page came"
    );
    assert!(
        super::all_markers_declared(&c).await >= 190,
        "every station of the city"
    );
    assert!(
        stations_settled(&c, Duration::from_secs(1)).await >= 190,
        "all on the map"
    );
    c.close().await.expect("close browser");
}
