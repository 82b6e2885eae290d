//! Exemplary selection (选树典型): the public list of nominations with their stories, and
//! the nomination form for region admins.

use crate::api::{self, Authorized};
use crate::components::enum_select::EnumSelect;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    FormAlert, FormError, RegionSelect, TextField, field_message, focus_field, show_api_error,
};
use crate::components::time::this_year;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::exemplary::{Nomination, NominationInput, NomineeKind};
use zhiyuan_shared::region::Region;
use zhiyuan_shared::stats::FIRST_YEAR;

fn kind_key(k: NomineeKind) -> &'static str {
    match k {
        NomineeKind::Volunteer => "nominee_volunteer",
        NomineeKind::Organisation => "nominee_organisation",
        NomineeKind::Project => "nominee_project",
        NomineeKind::Community => "nominee_community",
    }
}

#[component]
pub fn ExemplaryPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let regions = LocalResource::new(api::regions);
    let region_list =
        Signal::derive(move || regions.get().and_then(Result::ok).unwrap_or_default());
    let region = RwSignal::new("150600".to_string());
    let year = RwSignal::new(this_year());
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        let (r, y) = (region.get(), year.get());
        async move { api::nominations(&r, y).await }
    });
    let admin = move || {
        session.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.admin_regions().next().is_some())
        })
    };
    view! {
        <section class="page">
            <h1>{tr("exemplary_title")}</h1>
            <p class="muted">{tr("exemplary_intro")}</p>
            <div class="filters">
                <div class="form-field">
                    <label for="x-region">{tr("filter_region")}</label>
                    <select id="x-region" on:change=move |ev| region.set(event_target_value(&ev))>
                        {move || region_list.get().into_iter().map(|r| {
                            let name = if lang.get() == Lang::En { r.name_en.clone() } else { r.name.clone() };
                            let code = r.code.to_string();
                            let selected = code == region.get_untracked();
                            view! { <option value=code selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-field">
                    <label for="x-year">{tr("stats_year")}</label>
                    <select id="x-year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }
                    }>
                        {(FIRST_YEAR..=this_year()).rev().map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("exemplary_none")}</p> }.into_any(),
                Some(Ok(p)) => view! {
                    <ul class="card-list" data-testid="nominations">
                        {p.items.into_iter().map(|n| view! { <NominationCard n=n /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || admin().then(|| view! { <NominateForm regions=region_list version=version /> })}
        </section>
    }
}

#[component]
fn NominationCard(n: Nomination) -> impl IntoView {
    view! {
        <li class="card nomination">
            <h2 class="nominee">{n.name.clone()}</h2>
            <p>
                <span class="badge">{tr(kind_key(n.kind))}</span> " "
                <strong>{n.honour.clone()}</strong> " · " {n.region_name.clone()} " · " {n.year}
            </p>
            <p class="story">{n.story.clone()}</p>
            <p class="muted">{tr("nominated_by")} " " {n.nominated_by.clone()}</p>
        </li>
    }
}

#[component]
fn NominateForm(regions: Signal<Vec<Region>>, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    // Only the regions the admin covers.
    let mine = Signal::derive(move || {
        let scopes: Vec<zhiyuan_shared::region::RegionCode> = session.me.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.admin_regions()
                        .filter_map(|s| zhiyuan_shared::region::RegionCode::parse(s).ok())
                        .collect()
                })
                .unwrap_or_default()
        });
        regions
            .get()
            .into_iter()
            .filter(|r| scopes.iter().any(|s| s.covers(&r.code)))
            .collect::<Vec<_>>()
    });
    let kind = RwSignal::new("volunteer".to_string());
    let name = RwSignal::new(String::new());
    let honour = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let story = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let input = NominationInput {
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            honour: honour.get_untracked(),
            region_code: region.get_untracked(),
            year: i64::from(this_year()),
            story: story.get_untracked(),
        };
        if let Err(e) = input.validate(this_year()) {
            error.set(Some(FormError::new(e.field, field_message(l, e.field))));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        done.set(false);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token).nominate(&input).await {
                Ok(_) => {
                    error.set(None);
                    done.set(true);
                    name.set(String::new());
                    story.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="nominate" aria-labelledby="nominate-heading">
            <h2 id="nominate-heading">{tr("nominate_title")}</h2>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <EnumSelect id="f-kind" label="nominee_kind" options=NomineeKind::ALL
                    option_label=|lang, k| t(lang, kind_key(k)) slug=NomineeKind::slug value=kind />
                <TextField field="name" label="nominee_name" value=name error=error />
                <TextField field="honour" label="nominee_honour" value=honour error=error hint="nominee_honour_hint" />
                <RegionSelect field="region_code" label="filter_region" value=region error=error regions=mine />
                <TextField field="story" label="nominee_story" value=story error=error multiline=true />
                <button type="submit" class="primary" disabled=move || busy.get()>{tr("nominate")}</button>
                <Show when=move || done.get()>
                    <p class="notice" role="status">{tr("nominated")}</p>
                </Show>
            </form>
        </section>
    }
}
