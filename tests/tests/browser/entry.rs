//! The entry points: the map loads the first screen's wasm (a station page the same, without
//! Leaflet); a link to the activities loads the list's own wasm, which fetches ahead the
//! other public pages' wasm that an activity's page loads; a link to a page outside them
//! loads the full app; and the person lands on each page.

use super::{
    DESKTOP, PHONE, all_markers_declared, assert_no_csp_violation, browser, eventually_true,
    js_true, seeded_app, wait_for,
};

/// Whether the page's wasm loader is the entry's (scripts/external-loader.sh names it).
const LOADS: &str =
    "return !!document.querySelector('script[type=module][src^=\"/ENTRY-init-\"]');";

#[tokio::test]
async fn the_map_loads_the_first_screen_the_activities_their_own_an_activity_the_public_entry_and_sign_in_the_full_app()
 {
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
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-activities")).await);
    assert!(!js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-public")).await);
    assert_eq!(c.current_url().await.expect("url").path(), "/activities");
    // Once the list has shown, the files of an activity's page are fetched ahead.
    let ahead = eventually_true(
        &c,
        "return performance.getEntriesByType('resource') \
           .some(e => /^\\/zhiyuan-public-[0-9a-f]+_bg\\.wasm$/.test(new URL(e.name).pathname));",
    )
    .await;
    assert!(ahead, "public.html's wasm fetched while the list shows");
    // An activity opened from the list is the other public pages' entry.
    wait_for(&c, ".card-list .card a")
        .await
        .click()
        .await
        .expect("open an activity");
    wait_for(&c, "#activity-title").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-public")).await);
    // …and its wasm comes from what was fetched ahead, not over the network again.
    let again = c
        .execute(
            "return performance.getEntriesByType('resource') \
               .filter(e => /^\\/zhiyuan-public-[0-9a-f]+_bg\\.wasm$/.test(new URL(e.name).pathname)) \
               .map(e => e.transferSize);",
            vec![],
        )
        .await
        .expect("resource timing");
    let sizes: Vec<u64> = again
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
        .unwrap_or_default();
    assert!(
        !sizes.is_empty() && sizes.iter().all(|s| *s == 0),
        "the wasm from the cache: {sizes:?}"
    );

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

/// On a phone's slow network the map's tiles are the first screen: the home page asks for
/// the app's script and wasm, and for markercluster, only once they have answered and
/// painted (here they fail: the tile host cannot be reached), and the markers still come,
/// clustered.
#[tokio::test]
async fn the_home_page_fetches_the_app_after_the_maps_first_screen_and_still_clusters_its_markers()
{
    let (_app, c) = home_on_a_phone_without(&[]).await;
    let clustered = eventually_true(
        &c,
        "return document.querySelectorAll('[data-testid=station-map] .marker-cluster').length > 0;",
    )
    .await;
    assert!(clustered, "the city's markers, clustered");
    assert!(all_markers_declared(&c).await >= 190, "drawn by the app");
    assert!(
        !js_true(
            &c,
            "return !!document.querySelector('link[rel=preload], link[rel=modulepreload]');"
        )
        .await,
        "index.html preloads nothing"
    );
    // Each file's request started after the first screen's mark (map.js firstScreen).
    let after = c
        .execute(
            "const mark = performance.getEntriesByName('zhiyuan-first-screen')[0]; \
             const starts = re => performance.getEntriesByType('resource') \
               .filter(e => re.test(new URL(e.name).pathname)).map(e => e.startTime); \
             return {mark: mark ? mark.startTime : null, \
               app: starts(/^\\/zhiyuan-map-[0-9a-f]+(_bg\\.wasm|\\.js)$/), \
               cluster: starts(/^\\/markercluster\\//)};",
            vec![],
        )
        .await
        .expect("resource timing");
    let mark = after["mark"].as_f64().expect("the first screen's mark");
    for kind in ["app", "cluster"] {
        let starts: Vec<f64> = after[kind]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
            .unwrap_or_default();
        assert!(!starts.is_empty(), "{kind}'s files fetched");
        assert!(
            starts.iter().all(|t| *t >= mark),
            "{kind} after the first screen ({mark} ms): {starts:?}"
        );
    }
    assert_no_csp_violation(&c).await;
    c.close().await.expect("close browser");
}

/// The city's first stations are on the map before the app has loaded: `map.js` draws the
/// page the shell asked for, clustered, each popup with a link to the station's page. Here
/// the app's wasm never comes.
#[tokio::test]
async fn the_home_map_shows_the_first_stations_before_the_app() {
    let (_app, c) = home_on_a_phone_without(&["*zhiyuan-map-*_bg.wasm"]).await;
    let drawn = eventually_true(
        &c,
        "return [...document.querySelectorAll('#app-shell .marker-cluster')] \
           .reduce((n, e) => n + (parseInt(e.textContent, 10) || 0), 0) \
           + document.querySelectorAll('#app-shell .zy-marker').length === 100;",
    )
    .await;
    assert!(drawn, "the first page's 100 stations, in the shell's map");
    assert!(
        js_true(&c, "return document.querySelector('#app-shell [data-early-stations]').dataset.earlyStations === '100';").await,
        "the map says whose stations it shows"
    );
    assert!(
        js_true(&c, "return !!document.getElementById('app-shell');").await,
        "without the app"
    );
    // A cluster tapped zooms in, until a station stands on its own.
    let single = eventually_true(
        &c,
        "if (document.querySelector('#app-shell .zy-marker')) return true; \
         document.querySelector('#app-shell .marker-cluster').click(); return false;",
    )
    .await;
    assert!(single, "a station's own marker");
    super::popup_links_to_its_station(&c, "#app-shell .zy-marker").await;
    super::block_urls(&c, &[]).await;
    c.close().await.expect("close browser");
}

/// markercluster that cannot be had (a blocked or failed request) costs the clusters, not
/// the map: its stations go on it as single markers.
#[tokio::test]
async fn without_markercluster_the_home_map_still_shows_its_stations() {
    let (_app, c) = home_on_a_phone_without(&["*markercluster*"]).await;
    assert!(all_markers_declared(&c).await >= 190, "the city's stations");
    let single = eventually_true(
        &c,
        "return document.querySelectorAll('[data-testid=station-map] .zy-marker').length >= 190 \
           && !document.querySelector('.marker-cluster, .map-loading');",
    )
    .await;
    assert!(single, "every station a marker of its own, nothing waiting");
    super::block_urls(&c, &[]).await;
    c.close().await.expect("close browser");
}

/// The home page on a phone, on the demo data, with the requests `blocked` refused.
async fn home_on_a_phone_without(blocked: &[&str]) -> (zhiyuan_tests::TestApp, fantoccini::Client) {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    super::block_urls(&c, blocked).await;
    c.goto(&format!("{}/", app.base)).await.expect("home");
    (app, c)
}

/// A station page (where a link shared in a chat lands) is the map's wasm without Leaflet,
/// which it does not draw; going back to the map loads Leaflet then, in the same page, and
/// the map draws its markers.
#[tokio::test]
async fn a_station_page_loads_no_leaflet_and_the_map_loads_it_when_the_person_goes_on() {
    let app = seeded_app().await;
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    let (_, listed) = app.get("/api/stations?region=150602&limit=1").await;
    let id = listed["items"][0]["id"].as_str().expect("a station");
    c.goto(&format!("{}/stations/{id}", app.base))
        .await
        .expect("station");
    wait_for(&c, "[data-testid=station-name]").await;
    assert!(js_true(&c, &LOADS.replace("ENTRY", "zhiyuan-map")).await);
    const LEAFLET: &str = "return typeof L !== 'undefined' || performance.getEntriesByType('resource') \
         .some(e => /\\/(leaflet|markercluster)\\//.test(e.name));";
    assert!(!js_true(&c, LEAFLET).await, "no Leaflet on a station page");

    c.execute("window.zhiyuanSamePage = true;", vec![])
        .await
        .expect("mark the page");
    wait_for(&c, "a.back")
        .await
        .click()
        .await
        .expect("返回地图");
    assert!(all_markers_declared(&c).await >= 190, "the city's stations");
    let drawn = eventually_true(
        &c,
        "return document.querySelectorAll('[data-testid=station-map] .leaflet-marker-icon').length > 0;",
    )
    .await;
    assert!(drawn, "the map draws its markers");
    let clustered = eventually_true(
        &c,
        "return document.querySelectorAll('[data-testid=station-map] .marker-cluster').length > 0;",
    )
    .await;
    assert!(clustered, "clustered: markercluster came with Leaflet");
    assert!(js_true(&c, LEAFLET).await, "Leaflet loaded for the map");
    assert!(
        js_true(&c, "return window.zhiyuanSamePage === true;").await,
        "in the same page, without a page load"
    );
    // Once it is drawn: neither 'map unavailable' nor 'loading the map'.
    for gone in [".map-wrap > .notice", ".map-loading"] {
        assert!(
            !js_true(&c, &format!("return !!document.querySelector('{gone}');")).await,
            "{gone} once the map is drawn"
        );
    }
    assert_no_csp_violation(&c).await;
    c.close().await.expect("close browser");
}
