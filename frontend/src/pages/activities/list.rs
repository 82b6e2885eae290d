//! The list of activities, by field, banner, station or organisation.

use super::{places_left, use_banners};
use crate::api::{self, ActivityFilter, ApiError};
use crate::components::enum_select::EnumSelect;
use crate::components::error::ErrorNotice;
use crate::components::form::{FormError, RegionSelect};
use crate::components::time::span;
use crate::i18n::{field_label, t, tr, use_lang};
use crate::pages::AppRoute;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::activity::Activity;

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let query = use_query_map();
    let field = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let banners = use_banners();
    // The pages shown so far, and where the next starts (None: that was the last).
    let items = RwSignal::new(Vec::<Activity>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let loaded = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // How many are shown after a "load more", and whether that is all, told to screen
    // readers.
    let shown = RwSignal::new(None::<(usize, bool)>);
    // Which choice of filters the pages are of: a page that arrives after the choice
    // changed is dropped, not mixed in.
    let generation = StoredValue::new(0u32);
    let filter = move || {
        field.track();
        region.track();
        query.track();
        filter_now(field, region, query)
    };
    let load = move |f: ActivityFilter, cursor: String| {
        let asked = generation.get_value();
        let more = !cursor.is_empty();
        busy.set(true);
        spawn_local(async move {
            let res = api::activities(&f, &cursor).await;
            // Dropped if the filters changed meanwhile, or the page is gone (its values
            // disposed: reading them would panic).
            if generation.try_get_value() != Some(asked) {
                return;
            }
            match res {
                Ok(page) => {
                    let first_new = items.with_untracked(Vec::len) + 1;
                    let last = page.next_cursor.is_none();
                    if more {
                        items.update(|i| i.extend(page.items));
                        shown.set(Some((items.with_untracked(Vec::len), last)));
                    } else {
                        items.set(page.items);
                    }
                    next.set(page.next_cursor);
                    error.set(None);
                    // The last page takes the button away with it: the keyboard's focus
                    // goes on to the first card that came, not back to the page's top.
                    if more && last {
                        request_animation_frame(move || focus_card(first_new));
                    }
                    // Once the list has shown (a frame for the cards, then half a second,
                    // so it never competes with them), an activity's page (another
                    // entry's wasm) is fetched while the person reads, not when they open one.
                    request_animation_frame(|| {
                        set_timeout(
                            crate::app::prefetch_next_entry,
                            std::time::Duration::from_millis(500),
                        );
                    });
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
            loaded.set(true);
        });
    };
    // A new choice of filters starts again from the first page.
    Effect::new(move |_| {
        let f = filter();
        generation.update_value(|g| *g += 1);
        loaded.set(false);
        items.set(Vec::new());
        shown.set(None);
        next.set(None);
        error.set(None);
        load(f, String::new());
    });
    let no_error = RwSignal::new(None::<FormError>);
    let lang = use_lang();
    view! {
        <section class="page">
            <h1>{tr("activities_title")}</h1>
            <div class="filters">
                <EnumSelect id="f-field" label="service_field" options=ServiceField::ALL
                    option_label=field_label slug=ServiceField::slug value=field empty="all" />
                <RegionSelect field="region" label="filter_region" value=region error=no_error regions=banners />
            </div>
            {move || {
                let list = items.get();
                if !loaded.get() {
                    view! { <p role="status">{tr("loading")}</p> }.into_any()
                } else if list.is_empty() {
                    // "None" only when the list was read; a failed read says why below.
                    error.with(Option::is_none).then(|| view! {
                        <p class="muted">{tr("activities_none")}</p>
                    }).into_any()
                } else {
                    view! {
                        <ul class="card-list" data-testid="activity-list">
                            {list.into_iter().map(|a| view! { <ActivityCard a=a /> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <p class="visually-hidden" role="status" data-testid="activities-shown">
                {move || shown.get().map(|(n, all)| {
                    let key = if all { "activities_all_shown" } else { "activities_shown" };
                    t(lang.get(), key).replace("{n}", &n.to_string())
                })}
            </p>
            // Below the list, where a failed "load more" was asked for.
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {move || next.get().map(|c| {
                // Not `disabled` while a page loads: that would take the keyboard's focus
                // off the button; a second press is ignored instead.
                let more = move |_| {
                    if !busy.get_untracked() {
                        load(filter_now(field, region, query), c.clone());
                    }
                };
                view! {
                    <div class="actions">
                        <button type="button" class="secondary" data-testid="activities-more"
                            aria-disabled=move || busy.get().to_string() on:click=more>{tr("load_more")}</button>
                    </div>
                }
            })}
        </section>
    }
}

/// Focus the link of the list's `nth` card (1-based), or of its last card when the last
/// page brought none (a filtered page can be empty), if the focus has nowhere else to be:
/// the button that was pressed is gone, and the person has not moved on meanwhile.
fn focus_card(nth: usize) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.active_element().is_some_and(|e| e.tag_name() != "BODY") {
        return;
    }
    let card = |selector: &str| doc.query_selector(selector).ok().flatten();
    if let Some(link) = card(&format!(
        "[data-testid=activity-list] > li:nth-child({nth}) a"
    ))
    .or_else(|| card("[data-testid=activity-list] > li:last-child a"))
    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.focus();
    }
}

/// The filters as they stand, read without subscribing (for "load more").
fn filter_now(
    field: RwSignal<String>,
    region: RwSignal<String>,
    query: Memo<leptos_router::params::ParamsMap>,
) -> ActivityFilter {
    ActivityFilter {
        field: field.get_untracked(),
        region: region.get_untracked(),
        station_id: query
            .with_untracked(|q| q.get("station_id"))
            .unwrap_or_default(),
        org_id: query
            .with_untracked(|q| q.get("org_id"))
            .unwrap_or_default(),
        near: None,
    }
}

#[component]
fn ActivityCard(a: Activity) -> impl IntoView {
    let lang = use_lang();
    let left: u32 = a.shifts.iter().map(places_left).sum();
    let next = a
        .shifts
        .first()
        .map(|s| span(&s.starts_at, &s.ends_at))
        .unwrap_or_default();
    let field = a.service_field;
    view! {
        <li class="card">
            <A href=AppRoute::Activity(a.id.clone()).href() attr:class="station-link">{a.title.clone()}</A>
            {a.is_training.then(|| view! { <span class="badge">{tr("training")}</span> })}
            <span class="station-meta">
                {move || field_label(lang.get(), field)} " · " {a.org_name.clone()} " · " {a.address.clone()}
            </span>
            <span class="station-meta">
                {next} " · " {move || format!("{} {left}", t(lang.get(), "places_left"))}
            </span>
        </li>
    }
}
