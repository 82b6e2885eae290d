//! The home page: the stations map with filters, "locate me" or a chosen point, and the
//! nearest stations listed with distances.

use crate::api::{self, ApiError, StationFilter};
use crate::components::error::ErrorNotice;
use crate::components::map::StationMap;
use crate::i18n::{format_distance, t, tr, type_label, use_lang};
use crate::pages::AppRoute;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use wasm_bindgen::prelude::*;
use zhiyuan_shared::region::Region;
use zhiyuan_shared::station::{StationSummary, StationType};

/// Ordos, the city the map opens on.
const CITY: &str = "150600";
const CITY_VIEW: (f64, f64, f64) = (39.65, 109.4, 8.0);

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let (station_type, set_station_type) = signal(String::new());
    let (region, set_region) = signal(CITY.to_string());
    let (point, set_point) = signal(None::<(f64, f64)>);
    let (radius_km, set_radius_km) = signal(20_u32);
    let (locating, set_locating) = signal(false);
    let (locate_error, set_locate_error) = signal(false);
    let (centre, set_centre) = signal(CITY_VIEW);
    let (this_week, set_this_week) = signal(false);
    // On a phone the less used filters fold away so the map keeps the first screen.
    let (filters_open, set_filters_open) = signal(false);

    let regions = LocalResource::new(api::regions);
    let filter = Memo::new(move |_| StationFilter {
        station_type: station_type.get(),
        region: region.get(),
        this_week: this_week.get(),
    });
    // The markers, page by page: each page of the region's stations goes on the map as it
    // arrives, so a province's thousands do not wait for the last. A new filter starts a
    // new list (`marker_list_id`); pages of the last one that come after are dropped. The
    // count says "loading" until the last page, then the number, once.
    let marker_list = RwSignal::new(Vec::<StationSummary>::new());
    let marker_list_id = RwSignal::new(0_u32);
    let markers_done = RwSignal::new(None::<Result<(), ApiError>>);
    Effect::new(move |_| {
        let f = filter.get();
        let id = marker_list_id.get_untracked().wrapping_add(1);
        marker_list_id.set(id);
        marker_list.set(Vec::new());
        markers_done.set(None);
        spawn_local(async move {
            // Still this list's, and the page still there (its values disposed otherwise).
            let current = move || marker_list_id.try_get_untracked() == Some(id);
            let res = api::stations_in_region_pages(&f, |page| {
                current() && {
                    marker_list.update(|l| l.extend(page));
                    true
                }
            })
            .await;
            if current() {
                markers_done.set(Some(res));
            }
        });
    });
    let nearest = LocalResource::new(move || {
        let (f, p, r) = (filter.get(), point.get(), radius_km.get());
        async move {
            match p {
                None => Ok(None),
                Some((lat, lng)) => api::stations_near(lat, lng, r, &f, 20).await.map(Some),
            }
        }
    });

    // Open needs of the region on the same map, on request.
    let (show_needs, set_show_needs) = signal(false);
    let needs = LocalResource::new(move || {
        let (show, r) = (show_needs.get(), region.get());
        async move {
            if !show {
                return Vec::new();
            }
            // The map shows every need at its area's point, whoever looks.
            api::needs_on_map(&r).await.unwrap_or_default()
        }
    });
    let need_list = Signal::derive(move || needs.get().unwrap_or_default());
    let banners = Signal::derive(move || {
        regions
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|r: &Region| r.parent_code.as_ref().is_some_and(|p| p.as_str() == CITY))
            .collect::<Vec<_>>()
    });

    let pick = Callback::new(move |(lat, lng): (f64, f64)| {
        set_locate_error.set(false);
        set_point.set(Some((lat, lng)));
    });

    let locate = move |_| {
        set_locating.set(true);
        set_locate_error.set(false);
        let geo = web_sys::window().and_then(|w| w.navigator().geolocation().ok());
        let Some(geo) = geo else {
            set_locating.set(false);
            set_locate_error.set(true);
            return;
        };
        let ok = Closure::<dyn Fn(web_sys::Position)>::new(move |pos: web_sys::Position| {
            let c = pos.coords();
            set_locating.set(false);
            set_point.set(Some((c.latitude(), c.longitude())));
        })
        .into_js_value();
        let err = Closure::<dyn Fn(JsValue)>::new(move |_| {
            set_locating.set(false);
            set_locate_error.set(true);
        })
        .into_js_value();
        if geo
            .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
            .is_err()
        {
            set_locating.set(false);
            set_locate_error.set(true);
        }
    };

    let choose_banner = move |ev| {
        let code = event_target_value(&ev);
        if let Some(b) = banners
            .get_untracked()
            .into_iter()
            .find(|b| b.code.as_str() == code)
        {
            set_point.set(Some((b.lat, b.lng)));
            set_centre.set((b.lat, b.lng, 11.0));
        }
    };

    view! {
        <section class="home" aria-labelledby="map-title">
            <crate::components::closed::ClosedNotice />
            <h1 id="map-title" class="visually-hidden">{tr("map_title")}</h1>
            <form class="home-filters" aria-label=tr("filters") on:submit=|ev| ev.prevent_default()>
                <div class="filter-quick">
                    <button type="button" class="primary" on:click=locate data-testid="locate-me" disabled=move || locating.get()>
                        {move || if locating.get() { t(lang.get(), "locating") } else { t(lang.get(), "locate_me") }}
                    </button>
                    <CheckChip id="this-week" label="this_week" value=this_week set=set_this_week />
                    <button type="button" class="filters-toggle" id="filters-toggle" aria-controls="filter-fields"
                        aria-expanded=move || filters_open.get().to_string()
                        on:click=move |_| set_filters_open.update(|o| *o = !*o)>
                        {tr("filters_more")}
                        <span aria-hidden="true">{move || if filters_open.get() { " ▴" } else { " ▾" }}</span>
                    </button>
                </div>
                <div id="filter-fields" class="filter-fields" class:open=move || filters_open.get()>
                    <div class="field">
                        <label for="filter-type">{tr("filter_type")}</label>
                        <select id="filter-type" on:change=move |ev| set_station_type.set(event_target_value(&ev))>
                            <option value="">{tr("all_types")}</option>
                            {StationType::ALL.into_iter().map(|st| view! {
                                <option value=st.slug()>{move || type_label(lang.get(), st)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-region">{tr("filter_region")}</label>
                        <select id="filter-region" on:change=move |ev| set_region.set(event_target_value(&ev))>
                            <option value=CITY>{tr("all_regions")}</option>
                            {move || banner_options(banners.get(), lang.get())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="radius">{tr("search_radius")}</label>
                        <select id="radius" on:change=move |ev| set_radius_km.set(event_target_value(&ev).parse().unwrap_or(20))>
                            {[5_u32, 10, 20, 50].into_iter().map(|r| view! {
                                <option value=r.to_string() selected=r == 20>{move || format!("{r} {}", t(lang.get(), "km"))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="choose-point">{tr("choose_point")}</label>
                        <select id="choose-point" on:change=choose_banner>
                            <option value="">{tr("choose_point_none")}</option>
                            {move || banner_options(banners.get(), lang.get())}
                        </select>
                    </div>
                    <CheckChip id="show-needs" label="show_needs" value=show_needs set=set_show_needs />
                </div>
            </form>
            <Show when=move || locate_error.get()>
                <p class="notice" role="alert">{tr("locate_denied")}</p>
            </Show>
            <div class="home-grid">
                <div class="home-map">
                    <StationMap stations=marker_list.into() list_id=marker_list_id user=point.into() centre=centre.into() on_pick=pick needs=need_list />
                    <p class="hint">{tr("map_click_hint")}</p>
                    <p class="count" aria-live="polite">
                        {move || match markers_done.get() {
                            None => t(lang.get(), "loading").to_string(),
                            Some(Ok(())) => format!("{} {}", marker_list.with(Vec::len), t(lang.get(), "stations_count")),
                            Some(Err(_)) => String::new(),
                        }}
                    </p>
                    {move || markers_done.get().and_then(|r| r.err()).map(|e| view! { <ErrorNotice error=e /> })}
                    <Show when=move || show_needs.get()>
                        <p class="count" aria-live="polite">
                            {move || format!("{} {}", need_list.with(Vec::len), t(lang.get(), "open_needs_count"))}
                            " · " <A href=AppRoute::Needs.href() attr:class="inline-link">{tr("needs_title")}</A>
                        </p>
                    </Show>
                </div>
                <section class="nearest" aria-labelledby="nearest-title">
                    <h2 id="nearest-title">{tr("nearest_title")}</h2>
                    <div aria-live="polite" aria-busy=move || nearest.get().is_none().to_string()>
                        {move || match nearest.get() {
                            None => view! { <p>{tr("loading")}</p> }.into_any(),
                            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                            Some(Ok(None)) => view! { <p class="muted">{tr("nearest_empty_no_point")}</p> }.into_any(),
                            Some(Ok(Some(page))) if page.items.is_empty() => view! { <p>{tr("nearest_none")}</p> }.into_any(),
                            Some(Ok(Some(page))) => view! { <NearestList items=page.items /> }.into_any(),
                        }}
                    </div>
                </section>
            </div>
        </section>
    }
}

/// A switch of the filter bar: a checkbox in a pill with its label.
#[component]
fn CheckChip(
    id: &'static str,
    /// Translation key of the label.
    label: &'static str,
    value: ReadSignal<bool>,
    set: WriteSignal<bool>,
) -> impl IntoView {
    view! {
        <label class="check-chip">
            <input type="checkbox" id=id prop:checked=move || value.get()
                on:change=move |ev| set.set(event_target_checked(&ev)) />
            <span>{tr(label)}</span>
        </label>
    }
}

/// One `<option>` per banner, named in the reader's language.
fn banner_options(banners: Vec<Region>, lang: crate::i18n::Lang) -> impl IntoView {
    banners
        .into_iter()
        .map(|b| {
            let name = if lang == crate::i18n::Lang::Zh {
                b.name
            } else {
                b.name_en
            };
            view! { <option value=b.code.to_string()>{name}</option> }
        })
        .collect_view()
}

#[component]
fn NearestList(items: Vec<StationSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="station-list" data-testid="nearest-list">
            {items.into_iter().map(|s| {
                let href = AppRoute::Station(s.id.clone()).href();
                let distance = s.distance_m.unwrap_or(0);
                view! {
                    <li>
                        <A href=href attr:class="station-link">
                            <span class="station-name">{s.name.clone()}</span>
                        </A>
                        <span class="station-meta">
                            <span>{move || type_label(lang.get(), s.station_type)}</span>
                            " · "
                            <span class="distance">
                                <span class="visually-hidden">{tr("distance")}</span>
                                {move || format_distance(lang.get(), distance)}
                            </span>
                        </span>
                        <span class="badges">
                            {s.demonstration.then(|| view! { <span class="badge demo">{tr("demonstration")}</span> })}
                            {s.five_have_complete.then(|| view! { <span class="badge five">{tr("five_have_ok")}</span> })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
