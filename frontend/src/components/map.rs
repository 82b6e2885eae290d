//! The stations map: Leaflet through the small `map.js` glue. Markers and the list work
//! without tiles; when tiles fail the map says so in its corner (`map.js` draws that
//! notice, in the words handed to it here) and stays usable.

use crate::api::MapNeed;
use crate::i18n::{Lang, t, target_label, tr, type_label, use_lang};
use crate::pages::AppRoute;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use zhiyuan_shared::station::StationSummary;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = whenReady)]
    fn map_when_ready(done: &JsValue);
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = create)]
    fn map_create(
        id: &str,
        lat: f64,
        lng: f64,
        zoom: f64,
        on_click: &JsValue,
        tiles_failed_text: &str,
        close_label: &str,
    ) -> bool;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = destroy)]
    fn map_destroy();
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setStations)]
    fn map_set_stations(list: &js_sys::Array) -> u32;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = addStations)]
    fn map_add_stations(list: &js_sys::Array) -> u32;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setNeeds)]
    fn map_set_needs(list: &js_sys::Array) -> u32;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = showUser)]
    fn map_show_user(lat: f64, lng: f64, label: &str);
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setView)]
    fn map_set_view(lat: f64, lng: f64, zoom: f64);
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setNoticeText)]
    fn map_set_notice_text(text: &str, close_label: &str);
}

/// One marker for `map.js`: a JS array of its fields in the order `map.js` reads them
/// (handed over as JS values, not JSON, so the map's wasm carries no JSON writer).
fn marker(fields: &[JsValue]) -> JsValue {
    fields.iter().collect::<js_sys::Array>().into()
}

const MAP_ID: &str = "station-map";

#[component]
pub fn StationMap(
    stations: Signal<Vec<StationSummary>>,
    user: Signal<Option<(f64, f64)>>,
    centre: Signal<(f64, f64, f64)>,
    on_pick: Callback<(f64, f64)>,
    /// Which list `stations` is: while it stays the same, a longer `stations` is the same
    /// list grown at its end (the next page arrived) and only the new markers go on; a new
    /// id (a new filter) replaces them all. Without it every change replaces them.
    #[prop(optional, into)]
    list_id: Option<Signal<u32>>,
    /// Open needs (供需对接) drawn beside the stations, when the page shows them.
    #[prop(optional, into)]
    needs: Option<Signal<Vec<MapNeed>>>,
) -> impl IntoView {
    let lang = use_lang();
    let (ready, set_ready) = signal(false);
    // Leaflet could not be had (offline on a page that never loaded it): no map, a notice.
    let (failed, set_failed) = signal(false);
    let asked = StoredValue::new(false);
    let node = NodeRef::<leptos::html::Div>::new();

    Effect::new(move |_| {
        if node.get().is_some() && !asked.get_value() {
            asked.set_value(true);
            // At once where the page loaded Leaflet (the map); after loading it where it
            // did not (station.html, when the person goes on to the map).
            let create = Closure::once_into_js(move || {
                // Gone before Leaflet arrived (the person went elsewhere): no map to make.
                if ready.try_get_untracked().is_none() {
                    return;
                }
                let (lat, lng, zoom) = centre.get_untracked();
                let click =
                    Closure::<dyn Fn(f64, f64)>::new(move |lat, lng| on_pick.run((lat, lng)))
                        .into_js_value();
                let lang = lang.get_untracked();
                let tiles_failed = t(lang, "map_tiles_unavailable");
                let close = t(lang, "map_notice_close");
                let made = map_create(MAP_ID, lat, lng, zoom, &click, tiles_failed, close);
                set_failed.set(!made);
                set_ready.set(made);
            });
            map_when_ready(&create);
        }
    });
    on_cleanup(map_destroy);

    // The tiles' notice follows the language switch.
    Effect::new(move |_| {
        let lang = lang.get();
        if ready.get() {
            map_set_notice_text(
                t(lang, "map_tiles_unavailable"),
                t(lang, "map_notice_close"),
            );
        }
    });

    Effect::new(move |_| {
        let (lat, lng, zoom) = centre.get();
        if ready.get_untracked() {
            map_set_view(lat, lng, zoom);
        }
    });

    // What is on the map: (list id, language, how many stations).
    let sent = StoredValue::new(None::<(u32, Lang, usize)>);
    Effect::new(move |_| {
        let lang = lang.get();
        let id = list_id.map(|l| l.get());
        stations.track();
        if !ready.get() {
            return;
        }
        let on_map = sent.get_value();
        let len = stations.with_untracked(Vec::len);
        // Grown at its end: the same list (an id given and unchanged), in the same words.
        let from = match (id, on_map) {
            (Some(id), Some((was, in_lang, n))) if was == id && in_lang == lang && n <= len => n,
            _ => 0,
        };
        if from > 0 && from == len {
            return;
        }
        let view_label = JsValue::from_str(t(lang, "view_station"));
        // [name, lat, lng, type label, demonstration, five-have complete, href, view label]
        let markers: js_sys::Array = stations.with_untracked(|list| {
            list[from..]
                .iter()
                .map(|s| {
                    marker(&[
                        JsValue::from_str(&s.name),
                        JsValue::from_f64(s.lat),
                        JsValue::from_f64(s.lng),
                        JsValue::from_str(type_label(lang, s.station_type)),
                        JsValue::from_bool(s.demonstration),
                        JsValue::from_bool(s.five_have_complete),
                        JsValue::from_str(&AppRoute::Station(s.id.clone()).href()),
                        view_label.clone(),
                    ])
                })
                .collect()
        });
        if from > 0 {
            map_add_stations(&markers);
        } else {
            map_set_stations(&markers);
        }
        sent.set_value(id.map(|id| (id, lang, len)));
    });

    Effect::new(move |_| {
        let lang = lang.get();
        let list = needs.map(|n| n.get()).unwrap_or_default();
        if !ready.get() {
            return;
        }
        let view_label = JsValue::from_str(t(lang, "view_need"));
        // [title, lat, lng, detail, href, view label]
        let markers: js_sys::Array = list
            .iter()
            .map(|n| {
                marker(&[
                    JsValue::from_str(&n.title),
                    JsValue::from_f64(n.lat),
                    JsValue::from_f64(n.lng),
                    JsValue::from_str(&format!(
                        "{} · {}",
                        target_label(lang, n.service_target),
                        n.when
                    )),
                    JsValue::from_str(&AppRoute::Need(n.id.clone()).href()),
                    view_label.clone(),
                ])
            })
            .collect();
        map_set_needs(&markers);
    });

    Effect::new(move |_| {
        if let (Some((lat, lng)), true) = (user.get(), ready.get()) {
            map_show_user(lat, lng, t(lang.get_untracked(), "your_location"));
        }
    });

    view! {
        <div class="map-wrap">
            <div id=MAP_ID node_ref=node class="map" role="region" aria-label=tr("map_region_label")
                data-testid="station-map" data-markers=move || stations.get().len()
                data-needs=move || needs.map(|n| n.with(Vec::len)).unwrap_or(0)></div>
            // While Leaflet is still on its way (after a station page). Where the page has
            // it, the map is made in the same task and this never paints.
            <Show when=move || !ready.get() && !failed.get()>
                <p class="map-loading" role="status">{tr("map_loading")}</p>
            </Show>
            // No map at all (Leaflet could not be had): not the tiles' notice, which promises
            // markers.
            <Show when=move || failed.get()>
                <p class="notice" role="status">{tr("map_unavailable")}</p>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    /// `map.js` draws the tile notice (and its close button), and the first stations'
    /// popups, before the app has loaded, in the app's own words.
    #[test]
    fn the_map_glue_speaks_the_apps_words_before_the_app() {
        crate::i18n::assert_script_speaks(
            include_str!("../../assets/map.js"),
            &["map_tiles_unavailable", "map_notice_close", "view_station"],
        );
    }
}
