//! Needs and matching (供需对接): the list of needs near me or in a region, posting a
//! need, one need with its progress (open → claimed → done) and the organisation's
//! actions, and "my needs".

use crate::api::{self, ApiError, Authorized};
use crate::components::enum_select::EnumSelect;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    FormAlert, FormError, RegionSelect, TextField, field_message, focus_field, show_api_error,
};
use crate::components::names::{region_name, use_regions};
use crate::components::signed_in::SignedIn;
use crate::components::time::when;
use crate::i18n::{Lang, format_distance, t, target_label, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use wasm_bindgen::prelude::*;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::activity::ServiceTarget;
use zhiyuan_shared::need::{Need, NeedInput, NeedStatus};
use zhiyuan_shared::region::Region;

fn status_key(s: NeedStatus) -> &'static str {
    match s {
        NeedStatus::Open => "need_open",
        NeedStatus::Claimed => "need_claimed",
        NeedStatus::Done => "need_done",
        NeedStatus::Withdrawn => "need_withdrawn",
        NeedStatus::Dispatched => "need_dispatched",
    }
}

/// The steps a resident follows: 待派单 → 已派单 → 已接单 → 已完成 (a need claimed
/// straight from the queue passes 已派单 by).
const STEPS: [(NeedStatus, &str); 4] = [
    (NeedStatus::Open, "need_step_open"),
    (NeedStatus::Dispatched, "need_step_dispatched"),
    (NeedStatus::Claimed, "need_step_claimed"),
    (NeedStatus::Done, "need_step_done"),
];

fn step_index(s: NeedStatus) -> usize {
    STEPS.iter().position(|(x, _)| *x == s).unwrap_or(0)
}

/// The statuses the public lists offer: a withdrawn need is its poster's alone.
const LISTED_STATUSES: &[NeedStatus] = &[
    NeedStatus::Open,
    NeedStatus::Dispatched,
    NeedStatus::Claimed,
    NeedStatus::Done,
];

/// Where the need is, as far as the reader may know: the exact address for those allowed,
/// otherwise the banner and a note that the place is only shown to about a kilometre.
fn place_line(lang: Lang, regions: &[Region], n: &Need) -> String {
    match &n.place {
        Some(p) => p.address.clone(),
        None => format!(
            "{} · {}",
            region_name(lang, regions, &n.region_code),
            t(lang, "need_area_approx")
        ),
    }
}

/// Asks the browser for the position once; `on` gets it, or None when refused.
fn locate(on: impl Fn(Option<(f64, f64)>) + Clone + 'static) {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        on(None);
        return;
    };
    let ok_on = on.clone();
    let ok = Closure::<dyn Fn(web_sys::Position)>::new(move |pos: web_sys::Position| {
        let c = pos.coords();
        ok_on(Some((c.latitude(), c.longitude())));
    })
    .into_js_value();
    let err_on = on.clone();
    let err = Closure::<dyn Fn(JsValue)>::new(move |_| err_on(None)).into_js_value();
    if geo
        .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
        .is_err()
    {
        on(None);
    }
}

#[component]
fn NeedCard(n: Need, regions: Signal<Vec<Region>>) -> impl IntoView {
    let lang = use_lang();
    let status = n.status;
    let place = {
        let n = n.clone();
        move || regions.with(|r| place_line(lang.get(), r, &n))
    };
    view! {
        <li class="card need-card">
            <A href=AppRoute::Need(n.id.clone()).href() attr:class="station-link">{n.title.clone()}</A>
            <span class="badge">{tr(status_key(status))}</span>
            <span class="station-meta">
                {move || target_label(lang.get(), n.service_target)} " · " {n.when.clone()}
            </span>
            <span class="station-meta">
                {place}
                {n.distance_m.map(|d| view! { " · " {move || format_distance(lang.get(), d as u32)} })}
            </span>
            {n.claimed_by_org_name.clone().map(|o| view! { <span class="station-meta">{tr("need_claimed_by")} " " {o}</span> })}
        </li>
    }
}

#[component]
pub fn NeedsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let regions = use_regions();
    let region = RwSignal::new("150600".to_string());
    let status = RwSignal::new("open".to_string());
    let near = RwSignal::new(None::<(f64, f64)>);
    let locate_failed = RwSignal::new(false);
    let list = LocalResource::new(move || {
        let (p, r, s) = (near.get(), region.get(), status.get());
        let token = session.token.get();
        async move { api::needs(p, &r, &s, token.as_deref()).await }
    });
    let find_me = move |_| {
        locate_failed.set(false);
        locate(move |p| match p {
            Some(p) => near.set(Some(p)),
            None => locate_failed.set(true),
        });
    };
    view! {
        <section class="page">
            <h1>{tr("needs_title")}</h1>
            <p class="muted">{tr("needs_intro")}</p>
            <p>
                {move || if session.me.with(Option::is_some) {
                    view! { <A href=AppRoute::NewNeed.href() attr:class="button primary">{tr("need_post")}</A> }.into_any()
                } else {
                    view! { <A href=AppRoute::Login.href()>{tr("need_login_to_post")}</A> }.into_any()
                }}
                " " <A href=AppRoute::MyNeeds.href()>{tr("my_needs")}</A>
            </p>
            <div class="filters">
                <div class="form-field">
                    <label for="n-region">{tr("filter_region")}</label>
                    <select id="n-region" on:change=move |ev| { near.set(None); region.set(event_target_value(&ev)) }>
                        {move || regions.get().into_iter().map(|r| {
                            let name = if lang.get() == Lang::En { r.name_en.clone() } else { r.name.clone() };
                            let code = r.code.to_string();
                            let selected = code == region.get_untracked();
                            view! { <option value=code selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <EnumSelect id="n-status" label="need_status" options=LISTED_STATUSES
                    option_label=|lang, s| t(lang, status_key(s)) slug=NeedStatus::slug value=status />
                <button type="button" class="secondary" on:click=find_me>{tr("needs_near_me")}</button>
            </div>
            <Show when=move || locate_failed.get()>
                <p class="notice" role="alert">{tr("locate_denied")}</p>
            </Show>
            <Show when=move || near.get().is_some()>
                <p class="muted" role="status">{tr("needs_showing_near")}</p>
            </Show>
            <div aria-live="polite">
                {move || match list.get() {
                    None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("needs_none")}</p> }.into_any(),
                    Some(Ok(p)) => view! {
                        <ul class="card-list" data-testid="needs-list">
                            {p.items.into_iter().map(|n| view! { <NeedCard n=n regions=regions /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
pub fn NewNeedPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <NewNeedForm /> }.into_any() /> }
}

#[component]
fn NewNeedForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let regions = use_regions();
    let banners = Signal::derive(move || {
        regions
            .get()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect::<Vec<_>>()
    });
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let when = RwSignal::new(String::new());
    let at = RwSignal::new(None::<(f64, f64)>);
    let locate_failed = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let use_position = move |_| {
        locate_failed.set(false);
        locate(move |p| match p {
            Some(p) => at.set(Some(p)),
            None => locate_failed.set(true),
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        // Without the browser's position the need is placed at its banner's seat.
        let seat = banners
            .get_untracked()
            .into_iter()
            .find(|b| b.code.as_str() == region.get_untracked())
            .map(|b| (b.lat, b.lng));
        let place = at.get_untracked().or(seat);
        let input = NeedInput {
            title: title.get_untracked(),
            description: description.get_untracked(),
            service_target: target.get_untracked(),
            address: address.get_untracked(),
            lat: place.map(|p| p.0),
            lng: place.map(|p| p.1),
            region_code: region.get_untracked(),
            when: when.get_untracked(),
        };
        if let Err(e) = input.validate() {
            // Coordinates come from the banner when no position was given.
            let field = if e.field == "lat" {
                "region_code"
            } else {
                e.field
            };
            error.set(Some(FormError::new(field, field_message(l, field))));
            focus_field(field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            match Authorized(&token).post_need(&input).await {
                Ok(n) => navigate(&AppRoute::Need(n.id).href(), Default::default()),
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("need_post")}</h1>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="title" label="need_title" value=title error=error hint="need_title_hint" />
                <TextField field="description" label="description" value=description error=error multiline=true hint="need_description_hint" />
                <EnumSelect id="f-service_target" label="need_for_whom" options=ServiceTarget::ALL
                    option_label=target_label slug=ServiceTarget::slug value=target empty="choose" />
                <RegionSelect field="region_code" label="need_region" value=region error=error regions=banners />
                <TextField field="address" label="address" value=address error=error hint="need_address_hint" />
                <div class="form-field">
                    <button type="button" class="secondary" on:click=use_position>{tr("need_use_position")}</button>
                    <p class="hint" role="status">
                        {move || if at.get().is_some() { t(lang.get(), "need_position_set") } else { t(lang.get(), "need_position_hint") }}
                    </p>
                    <Show when=move || locate_failed.get()>
                        <p class="notice" role="alert">{tr("locate_denied")}</p>
                    </Show>
                </div>
                <TextField field="when" label="need_when" value=when error=error hint="need_when_hint" />
                <button type="submit" class="primary" disabled=move || busy.get()>{tr("need_post")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn NeedPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let need = LocalResource::new(move || {
        version.track();
        let id = id();
        let token = session.token.get();
        async move { api::need(&id, token.as_deref()).await }
    });
    let my_orgs = LocalResource::new(move || {
        let token = session.token.get();
        async move {
            match token {
                Some(t) => Authorized(&t).my_orgs().await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    view! {
        <section class="page narrow">
            {move || match need.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(n)) => {
                    let organizing: Vec<(String, String)> = my_orgs
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|m| m.organizer)
                        .map(|m| (m.org_id, m.org_name))
                        .collect();
                    view! { <NeedDetail n=n organizing=organizing version=version /> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn NeedDetail(n: Need, organizing: Vec<(String, String)>, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let regions = use_regions();
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // 撤回 asks once more before it is sent.
    let confirming_withdraw = RwSignal::new(false);
    let chosen = RwSignal::new(organizing.first().map(|o| o.0.clone()).unwrap_or_default());
    let claimer = n.claimed_by_org_id.clone().unwrap_or_default();
    let ours = organizing.iter().any(|o| o.0 == claimer);
    let id = n.id.clone();
    let act = move |claim: bool| {
        let token = session.token.get_untracked().unwrap_or_default();
        let id = id.clone();
        let org = chosen.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let a = Authorized(&token);
            let r = if claim {
                a.claim_need(&id, &org).await
            } else {
                a.complete_need(&id).await
            };
            match r {
                Ok(_) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let claim = act.clone();
    let complete = act;
    let withdraw = {
        let id = n.id.clone();
        move |_| {
            let token = session.token.get_untracked().unwrap_or_default();
            let id = id.clone();
            busy.set(true);
            spawn_local(async move {
                match Authorized(&token).withdraw_need(&id).await {
                    Ok(_) => {
                        error.set(None);
                        confirming_withdraw.set(false);
                        version.update(|v| *v += 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let area = {
        let code = n.region_code.clone();
        move || regions.with(|r| region_name(lang.get(), r, &code))
    };
    let step = |(s, key): (NeedStatus, &'static str)| {
        let current = n.status == s;
        let passed = step_index(s) < step_index(n.status);
        view! {
            <li aria-current=current.then_some("step") class:done-step=passed>{tr(key)}</li>
        }
    };
    view! {
        <h1>{n.title.clone()}</h1>
        {if n.status == NeedStatus::Withdrawn {
            view! { <p class="notice" role="status" data-testid="need-status">{tr("need_withdrawn_note")}</p> }.into_any()
        } else {
            view! {
                <ol class="need-steps" aria-label=tr("need_progress") data-testid="need-status">
                    {STEPS.map(step).into_iter().collect_view()}
                </ol>
            }.into_any()
        }}
        <dl class="facts">
            <dt>{tr("need_for_whom")}</dt><dd>{move || target_label(lang.get(), n.service_target)}</dd>
            <dt>{tr("need_when")}</dt><dd>{n.when.clone()}</dd>
            <dt>{tr("need_area")}</dt><dd>{area}</dd>
            {match n.place.clone() {
                Some(p) => view! {
                    <dt>{tr("address")}</dt><dd data-testid="need-address">{p.address}</dd>
                    <dt>{tr("need_posted_by")}</dt><dd>{p.posted_by} " · " {when(&n.posted_at)}</dd>
                }.into_any(),
                None => view! {
                    <dt>{tr("address")}</dt><dd class="muted" data-testid="need-address">{tr("need_place_private")}</dd>
                    <dt>{tr("need_posted_at")}</dt><dd>{when(&n.posted_at)}</dd>
                }.into_any(),
            }}
            {n.dispatch.is_some().then(|| {
                let n = n.clone();
                view! {
                    <dt>{tr("need_step_dispatched")}</dt>
                    <dd data-testid="need-dispatch">{move || super::need_dispatch::dispatch_line(lang.get(), &n).unwrap_or_default()}</dd>
                }
            })}
            {n.claimed_by_org_name.clone().map(|o| view! {
                <dt>{tr("need_claimed_by")}</dt><dd>{o} " · " {n.claimed_at.as_deref().map(when).unwrap_or_default()}</dd>
            })}
            {n.activity_id.clone().map(|a| view! {
                <dt>{tr("need_activity")}</dt><dd><A href=AppRoute::Activity(a).href()>{tr("view_activity")}</A></dd>
            })}
            {n.done_at.as_deref().map(|d| view! { <dt>{tr("need_done")}</dt><dd>{when(d)}</dd> })}
        </dl>
        <p class="need-description">{n.description.clone()}</p>
        {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
        {(n.status == NeedStatus::Open && !organizing.is_empty()).then(|| view! {
            <div class="actions">
                <div class="form-field">
                    <label for="claim-org">{tr("need_claim_for")}</label>
                    <select id="claim-org" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {organizing.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| claim(true)>{tr("need_claim")}</button>
            </div>
        })}
        {(n.status == NeedStatus::Open && n.mine).then(|| view! {
            <div class="actions need-withdraw">
                <button type="button" class="secondary" data-testid="need-withdraw" id="f-need-withdraw"
                    hidden=move || confirming_withdraw.get()
                    on:click=move |_| {
                        confirming_withdraw.set(true);
                        // Keyboard and screen-reader users land on the question's answer.
                        request_animation_frame(|| focus_field("need-withdraw-yes"));
                    }>{tr("need_withdraw")}</button>
                <Show when=move || confirming_withdraw.get()>
                    <div role="alertdialog" aria-labelledby="need-withdraw-ask" class="need-withdraw-confirm">
                        <p id="need-withdraw-ask">{tr("need_withdraw_ask")}</p>
                        <button type="button" class="primary" data-testid="need-withdraw-yes" id="f-need-withdraw-yes"
                            disabled=move || busy.get() on:click=withdraw.clone()>{tr("need_withdraw_yes")}</button>
                        " "
                        <button type="button" class="secondary"
                            on:click=move |_| {
                                confirming_withdraw.set(false);
                                request_animation_frame(|| focus_field("need-withdraw"));
                            }>{tr("need_withdraw_no")}</button>
                    </div>
                </Show>
            </div>
        })}
        {(n.status == NeedStatus::Dispatched
            && n.dispatch.as_ref().is_some_and(|d| organizing.iter().any(|o| o.0 == d.org_id)))
            .then(|| view! {
                <p><A href=AppRoute::DispatchedToUs.href() attr:class="button primary">{tr("dispatched_answer_here")}</A></p>
            })}
        {(n.status == NeedStatus::Claimed && ours).then(|| view! {
            <div class="actions">
                {n.activity_id.is_none().then(|| view! {
                    <A href=format!("{}&need={}", AppRoute::NewActivity(claimer.clone()).href(), n.id) attr:class="button primary">{tr("need_make_activity")}</A>
                })}
                <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| complete(false)>{tr("need_mark_done")}</button>
            </div>
        })}
        {(n.status == NeedStatus::Done).then(|| view! {
            <crate::pages::need_rating::NeedRatingPanel need_id=n.id.clone() mine=n.mine ours=ours />
        })}
    }
}

#[component]
pub fn MyNeedsPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <MyNeeds /> }.into_any() /> }
}

#[component]
fn MyNeeds() -> impl IntoView {
    let session = use_session();
    let regions = use_regions();
    let list = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).my_needs().await }
    });
    view! {
        <section class="page">
            <h1>{tr("my_needs")}</h1>
            <p><A href=AppRoute::NewNeed.href() attr:class="button primary">{tr("need_post")}</A></p>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("my_needs_none")}</p> }.into_any(),
                Some(Ok(p)) => view! {
                    <ul class="card-list">
                        {p.items.into_iter().map(|n| view! { <NeedCard n=n regions=regions /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
