//! The list of activities, by field, banner, station or organisation.

use super::{places_left, use_banners};
use crate::api::{self, ActivityFilter};
use crate::components::enum_select::EnumSelect;
use crate::components::error::ErrorNotice;
use crate::components::form::{FormError, RegionSelect};
use crate::components::time::span;
use crate::i18n::{field_label, t, tr, use_lang};
use crate::pages::AppRoute;
use leptos::prelude::*;
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
    let list = LocalResource::new(move || {
        let f = ActivityFilter {
            field: field.get(),
            region: region.get(),
            station_id: query.read().get("station_id").unwrap_or_default(),
            org_id: query.read().get("org_id").unwrap_or_default(),
            near: None,
        };
        async move { api::activities(&f).await }
    });
    let no_error = RwSignal::new(None::<FormError>);
    view! {
        <section class="page">
            <h1>{tr("activities_title")}</h1>
            <div class="filters">
                <EnumSelect id="f-field" label="service_field" options=ServiceField::ALL
                    option_label=field_label slug=ServiceField::slug value=field empty="all" />
                <RegionSelect field="region" label="filter_region" value=region error=no_error regions=banners />
            </div>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="muted">{tr("activities_none")}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="card-list">
                        {page.items.into_iter().map(|a| view! { <ActivityCard a=a /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
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
