//! The stations map: Leaflet through the small `map.js` glue. Markers and the list work
//! without tiles; when tiles fail the page says so and stays usable.

use crate::i18n::{t, target_label, tr, type_label, use_lang};
use crate::pages::AppRoute;
use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use zhiyuan_shared::need::Need;
use zhiyuan_shared::station::StationSummary;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = create)]
    fn map_create(
        id: &str,
        lat: f64,
        lng: f64,
        zoom: f64,
        on_click: &JsValue,
        on_tiles_failed: &JsValue,
    ) -> bool;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = destroy)]
    fn map_destroy();
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setStations)]
    fn map_set_stations(json: &str) -> u32;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setNeeds)]
    fn map_set_needs(json: &str) -> u32;
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = showUser)]
    fn map_show_user(lat: f64, lng: f64, label: &str);
    #[wasm_bindgen(js_namespace = zhiyuanMap, js_name = setView)]
    fn map_set_view(lat: f64, lng: f64, zoom: f64);
}

#[derive(Serialize)]
struct Marker<'a> {
    id: &'a str,
    name: &'a str,
    lat: f64,
    lng: f64,
    type_label: &'a str,
    demo: bool,
    five: bool,
    href: String,
    view_label: &'a str,
}

#[derive(Serialize)]
struct NeedMarker<'a> {
    id: &'a str,
    title: &'a str,
    lat: f64,
    lng: f64,
    detail: String,
    href: String,
    view_label: &'a str,
}

const MAP_ID: &str = "station-map";

#[component]
pub fn StationMap(
    stations: Signal<Vec<StationSummary>>,
    user: Signal<Option<(f64, f64)>>,
    centre: Signal<(f64, f64, f64)>,
    on_pick: Callback<(f64, f64)>,
    /// Open needs (供需对接) drawn beside the stations, when the page shows them.
    #[prop(optional, into)]
    needs: Option<Signal<Vec<Need>>>,
) -> impl IntoView {
    let lang = use_lang();
    let (ready, set_ready) = signal(false);
    let (tiles_failed, set_tiles_failed) = signal(false);
    let node = NodeRef::<leptos::html::Div>::new();

    Effect::new(move |_| {
        if node.get().is_some() && !ready.get_untracked() {
            let (lat, lng, zoom) = centre.get_untracked();
            let click = Closure::<dyn Fn(f64, f64)>::new(move |lat, lng| on_pick.run((lat, lng)))
                .into_js_value();
            let failed =
                Closure::<dyn Fn()>::new(move || set_tiles_failed.set(true)).into_js_value();
            set_ready.set(map_create(MAP_ID, lat, lng, zoom, &click, &failed));
        }
    });
    on_cleanup(map_destroy);

    Effect::new(move |_| {
        let (lat, lng, zoom) = centre.get();
        if ready.get_untracked() {
            map_set_view(lat, lng, zoom);
        }
    });

    Effect::new(move |_| {
        let lang = lang.get();
        let list = stations.get();
        if !ready.get() {
            return;
        }
        let markers: Vec<Marker> = list
            .iter()
            .map(|s| Marker {
                id: &s.id,
                name: &s.name,
                lat: s.lat,
                lng: s.lng,
                type_label: type_label(lang, s.station_type),
                demo: s.demonstration,
                five: s.five_have_complete,
                href: AppRoute::Station(s.id.clone()).href(),
                view_label: t(lang, "view_station"),
            })
            .collect();
        if let Ok(json) = serde_json::to_string(&markers) {
            map_set_stations(&json);
        }
    });

    Effect::new(move |_| {
        let lang = lang.get();
        let list = needs.map(|n| n.get()).unwrap_or_default();
        if !ready.get() {
            return;
        }
        let markers: Vec<NeedMarker> = list
            .iter()
            .map(|n| NeedMarker {
                id: &n.id,
                title: &n.title,
                lat: n.lat,
                lng: n.lng,
                detail: format!("{} · {}", target_label(lang, n.service_target), n.when),
                href: AppRoute::Need(n.id.clone()).href(),
                view_label: t(lang, "view_need"),
            })
            .collect();
        if let Ok(json) = serde_json::to_string(&markers) {
            map_set_needs(&json);
        }
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
            <Show when=move || tiles_failed.get()>
                <p class="notice" role="status">{tr("map_tiles_unavailable")}</p>
            </Show>
            <Show when=move || !ready.get()>
                <p class="notice" role="status">{tr("map_tiles_unavailable")}</p>
            </Show>
        </div>
    }
}
