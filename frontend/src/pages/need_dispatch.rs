//! Dispatch (派单 → 接单): the queue of open needs where a region admin or a station
//! manager dispatches one to an approved organisation with a deadline, and the page where
//! an organisation's organizers accept or decline (with a reason) what was dispatched to it.

use crate::api::{self, ApiError, Authorized};
use crate::components::dialog::{dialog_key, focus_id};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, show_api_error,
};
use crate::components::names::{region_name, use_regions};
use crate::components::signed_in::SignedIn;
use crate::components::time::{local_to_rfc3339, now, to_local_input, when};
use crate::i18n::{Lang, t, target_label, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::{Me, Role};
use zhiyuan_shared::need::{DeclineRequest, DispatchRequest, Need};
use zhiyuan_shared::org::Org;
use zhiyuan_shared::region::RegionCode;

/// The banners the caller dispatches in: those under the regions they administer (the
/// server decides for station managers, who choose a banner themselves).
fn dispatch_regions(me: &Me, all: &[zhiyuan_shared::region::Region]) -> Vec<(String, String)> {
    let scopes: Vec<RegionCode> = me
        .admin_regions()
        .filter_map(|s| RegionCode::parse(s).ok())
        .collect();
    all.iter()
        .filter(|r| r.parent_code.is_some())
        .filter(|r| scopes.is_empty() || scopes.iter().any(|s| s.covers(&r.code)))
        .map(|r| (r.code.to_string(), r.name.clone()))
        .collect()
}

#[component]
pub fn DispatchQueuePage() -> impl IntoView {
    view! { <SignedIn render=move |me: Me| view! { <DispatchQueue me=me /> }.into_any() /> }
}

#[component]
fn DispatchQueue(me: Me) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let regions = use_regions();
    let may = me.admin_regions().next().is_some()
        || me.roles.iter().any(|g| g.role == Role::StationManager);
    let region = RwSignal::new(String::new());
    let choices = {
        let me = me.clone();
        Signal::derive(move || regions.with(|all| dispatch_regions(&me, all)))
    };
    Effect::new(move |_| {
        if region.get_untracked().is_empty()
            && let Some(first) = choices.get().first()
        {
            region.set(first.0.clone());
        }
    });
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        let r = region.get();
        let token = session.token.get();
        async move {
            if r.is_empty() {
                return Ok(zhiyuan_shared::api::Page {
                    items: Vec::new(),
                    next_cursor: None,
                });
            }
            api::needs(None, &r, "open", token.as_deref()).await
        }
    });
    view! {
        <section class="page dispatch-queue">
            <h1>{tr("dispatch_queue_title")}</h1>
            <p class="muted">{tr("dispatch_queue_intro")}</p>
            {(!may).then(|| view! { <p class="notice" role="status">{tr("dispatch_not_allowed")}</p> })}
            <div class="filters">
                <div class="form-field">
                    <label for="dq-region">{tr("filter_region")}</label>
                    <select id="dq-region" on:change=move |ev| region.set(event_target_value(&ev))>
                        {move || choices.get().into_iter().map(|(code, name)| {
                            let selected = code == region.get_untracked();
                            let label = regions.with(|r| region_name(lang.get(), r, &code));
                            let label = if label.is_empty() { name } else { label };
                            view! { <option value=code selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div aria-live="polite">
                {move || match list.get() {
                    None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("dispatch_queue_empty")}</p> }.into_any(),
                    Some(Ok(p)) => view! {
                        <ul class="card-list" data-testid="dispatch-queue">
                            {p.items.into_iter().map(|n| view! { <QueueItem n=n version=version /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn QueueItem(n: Need, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let open = RwSignal::new(false);
    let org = RwSignal::new(String::new());
    // Two days ahead by default: time to answer without letting the resident wait long.
    let deadline = RwSignal::new(to_local_input(&now().plus(2 * 86_400).rfc3339_cst()));
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let id = n.id.clone();
    let p = format!("dq-{}", n.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let body = DispatchRequest {
            org_id: org.get_untracked(),
            answer_by: local_to_rfc3339(&deadline.get_untracked()),
        };
        if let Err(e) = body.validate(now()) {
            error.set(Some(FormError::new(e.field, field_message(l, e.field))));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let id = id.clone();
        spawn_local(async move {
            match Authorized(&token).dispatch_need(&id, &body).await {
                Ok(_) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    let toggle_id = format!("{p}-open");
    view! {
        <li class="card need-card">
            <A href=AppRoute::Need(n.id.clone()).href() attr:class="station-link">{n.title.clone()}</A>
            <span class="station-meta">
                {move || target_label(lang.get(), n.service_target)} " · " {n.when.clone()} " · " {when(&n.posted_at)}
            </span>
            <button type="button" class="secondary" id=toggle_id data-testid="dispatch-open"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    if open.get_untracked() {
                        request_animation_frame(|| focus_field("org_id"));
                    }
                }>{tr("dispatch_action")}</button>
            <Show when=move || open.get()>
                <form class="form-stack dispatch-form" on:submit=submit.clone() novalidate>
                    <FormAlert error=error />
                    <OrgPicker need_id=n.id.clone() region=n.region_code.clone() org=org error=error />
                    <div class="form-field">
                        <label for="f-answer_by">{tr("dispatch_answer_by")}</label>
                        <input id="f-answer_by" type="datetime-local" data-testid="dispatch-deadline"
                            aria-describedby="f-answer_by-hint"
                            prop:value=move || deadline.get()
                            on:input=move |ev| deadline.set(event_target_value(&ev)) />
                        <p class="hint" id="f-answer_by-hint">{tr("dispatch_answer_by_hint")}</p>
                    </div>
                    <button type="submit" class="primary" data-testid="dispatch-submit"
                        disabled=move || busy.get()>{tr("dispatch_submit")}</button>
                </form>
            </Show>
        </li>
    }
}

/// Where a search of the organisations stands.
#[derive(Clone)]
enum Search {
    Loading,
    Done,
    Failed(ApiError),
}

/// How long typing pauses before the search runs.
const SEARCH_PAUSE: std::time::Duration = std::time::Duration::from_millis(300);

/// The organisation to dispatch to: a search field (part of the name) over the approved
/// organisations whose region covers the need's (its banner's, its city's, the
/// province's: `GET /api/orgs?covers=&q=`), nearest first, ten at a time with 加载更多,
/// as a group of radio buttons (Tab into the group, arrow keys to choose). How many were
/// found is announced politely; the chosen one goes to `org`.
#[component]
fn OrgPicker(
    need_id: String,
    region: String,
    org: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
) -> impl IntoView {
    let lang = use_lang();
    let regions = use_regions();
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<Org>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(Search::Loading);
    // Only the latest search's answer is shown: an earlier one arriving late is dropped.
    let generation = StoredValue::new(0u32);
    let region = StoredValue::new(region);
    let run = move |more: bool| {
        let this = generation.get_value() + 1;
        generation.set_value(this);
        let cursor = if more { next.get_untracked() } else { None };
        let q = query.get_untracked();
        let region = region.get_value();
        state.set(Search::Loading);
        spawn_local(async move {
            let answer = api::orgs_covering(&region, &q, cursor).await;
            if generation.get_value() != this {
                return;
            }
            match answer {
                Ok(p) => {
                    if more {
                        found.update(|f| f.extend(p.items));
                    } else {
                        found.set(p.items);
                    }
                    next.set(p.next_cursor);
                    state.set(Search::Done);
                }
                Err(e) => state.set(Search::Failed(e)),
            }
        });
    };
    run(false);
    let typed = StoredValue::new(0u32);
    let on_input = move |ev: leptos::ev::Event| {
        query.set(event_target_value(&ev));
        let this = typed.get_value() + 1;
        typed.set_value(this);
        set_timeout(
            move || {
                if typed.get_value() == this {
                    run(false);
                }
            },
            SEARCH_PAUSE,
        );
    };
    // Enter searches at once rather than sending the form.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            typed.update_value(|t| *t += 1);
            run(false);
        }
    };
    let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "org_id"));
    let group = format!("dispatch-org-{need_id}");
    view! {
        <div class="form-field org-picker" class:invalid=invalid>
            <label for="f-org_id">{tr("dispatch_org_search")}</label>
            <input id="f-org_id" type="search" data-testid="dispatch-org-search" autocomplete="off"
                maxlength=zhiyuan_shared::query::ORG_SEARCH_MAX.to_string()
                aria-describedby="f-org_id-hint f-org_id-err f-org_id-status"
                aria-invalid=move || invalid().to_string()
                prop:value=move || query.get()
                on:input=on_input on:keydown=on_key />
            <p class="hint" id="f-org_id-hint">{tr("dispatch_org_search_hint")}</p>
            <p class="field-error" id="f-org_id-err" hidden=move || !invalid()>
                {move || error.get().filter(|e| e.field == "org_id").map(|e| e.message).unwrap_or_default()}
            </p>
            <p class="hint" id="f-org_id-status" role="status" aria-live="polite">
                {move || match state.get() {
                    Search::Loading => t(lang.get(), "loading").to_string(),
                    Search::Failed(_) => String::new(),
                    Search::Done if found.with(Vec::is_empty) && query.with(|q| q.trim().is_empty()) =>
                        t(lang.get(), "dispatch_no_orgs").to_string(),
                    Search::Done if found.with(Vec::is_empty) => t(lang.get(), "dispatch_no_orgs_named").to_string(),
                    Search::Done => t(lang.get(), "dispatch_orgs_found")
                        .replace("{count}", &found.with(Vec::len).to_string()),
                }}
            </p>
            {move || match state.get() {
                Search::Failed(e) => Some(view! { <ErrorNotice error=e /> }),
                _ => None,
            }}
            <fieldset class="org-choices" hidden=move || found.with(Vec::is_empty)>
                <legend>{tr("dispatch_org")}</legend>
                <For each=move || found.get() key=|o| o.id.clone() let:o>
                    {
                        let id = o.id.clone();
                        let chosen = id.clone();
                        let code = o.region_code.clone();
                        view! {
                            <label class="check org-choice">
                                <input type="radio" name=group.clone() value=id.clone() data-testid="dispatch-org-choice"
                                    prop:checked=move || org.get() == id
                                    on:change=move |_| org.set(chosen.clone()) />
                                <span>{o.name.clone()}</span>
                                <span class="muted org-choice-region">
                                    {move || regions.with(|r| region_name(lang.get(), r, &code))}
                                </span>
                            </label>
                        }
                    }
                </For>
            </fieldset>
            <Show when=move || next.with(Option::is_some)>
                <button type="button" class="secondary" data-testid="dispatch-org-more"
                    on:click=move |_| run(true)>{tr("load_more")}</button>
            </Show>
        </div>
    }
}

#[component]
pub fn DispatchedToUsPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <DispatchedToUs /> }.into_any() /> }
}

#[component]
fn DispatchedToUs() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let lists = LocalResource::new(move || {
        version.track();
        let token = session.token.get().unwrap_or_default();
        async move {
            let a = Authorized(&token);
            let mine = a.my_orgs().await?;
            let mut out = Vec::new();
            for m in mine.into_iter().filter(|m| m.organizer) {
                let page = a.dispatched_needs(&m.org_id).await?;
                out.extend(page.items.into_iter().map(|n| (m.org_name.clone(), n)));
            }
            Ok::<_, ApiError>(out)
        }
    });
    // The need whose decline dialog is open, and the button that opened it.
    let declining = RwSignal::new(None::<Need>);
    view! {
        <section class="page dispatched-to-us">
            <h1>{tr("dispatched_title")}</h1>
            <p class="muted">{tr("dispatched_intro")}</p>
            <div aria-live="polite">
                {move || match lists.get() {
                    None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! { <p class="muted">{tr("dispatched_none")}</p> }.into_any(),
                    Some(Ok(items)) => view! {
                        <ul class="card-list" data-testid="dispatched-list">
                            {items.into_iter().map(|(org, n)| view! {
                                <DispatchedItem org=org n=n version=version declining=declining />
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
            <DeclineDialog declining=declining version=version />
        </section>
    }
}

#[component]
fn DispatchedItem(
    org: String,
    n: Need,
    version: RwSignal<u32>,
    declining: RwSignal<Option<Need>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let regions = use_regions();
    let deadline = n
        .dispatch
        .as_ref()
        .map(|d| when(&d.answer_by))
        .unwrap_or_default();
    let address = n.place.as_ref().map(|p| p.address.clone());
    let id = n.id.clone();
    let accept = move |_| {
        let token = session.token.get_untracked().unwrap_or_default();
        let id = id.clone();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token).accept_need(&id).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let decline_button = format!("decline-{}", n.id);
    let code = n.region_code.clone();
    let need = n.clone();
    view! {
        <li class="card need-card dispatched-item">
            <A href=AppRoute::Need(n.id.clone()).href() attr:class="station-link">{n.title.clone()}</A>
            <span class="station-meta">{tr("dispatched_to_org")} " " {org}</span>
            <span class="station-meta">
                {move || target_label(lang.get(), n.service_target)} " · " {n.when.clone()}
            </span>
            <span class="station-meta">
                {address.unwrap_or_else(|| regions.with(|r| region_name(lang.get(), r, &code)))}
            </span>
            <span class="station-meta">{tr("dispatch_answer_by")} " " {deadline}</span>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="actions">
                <button type="button" class="primary" data-testid="dispatched-accept"
                    disabled=move || busy.get() on:click=accept>{tr("dispatched_accept")}</button>
                " "
                <button type="button" class="secondary" id=decline_button data-testid="dispatched-decline"
                    disabled=move || busy.get()
                    on:click=move |_| declining.set(Some(need.clone()))>{tr("dispatched_decline")}</button>
            </div>
        </li>
    }
}

/// 拒绝: a modal dialog asking why. It takes the focus when it opens (the reason field),
/// keeps Tab inside, closes on Escape and gives the focus back to the 拒绝 button.
#[component]
fn DeclineDialog(declining: RwSignal<Option<Need>>, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let close = move || {
        let back = declining
            .get_untracked()
            .map(|n| format!("decline-{}", n.id))
            .unwrap_or_default();
        declining.set(None);
        reason.set(String::new());
        error.set(None);
        request_animation_frame(move || focus_id(&back));
    };
    Effect::new(move |_| {
        if declining.with(Option::is_some) {
            request_animation_frame(|| focus_field("reason"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let Some(n) = declining.get_untracked() else {
            return;
        };
        let body = DeclineRequest {
            reason: reason.get_untracked(),
        };
        if let Err(e) = body.validate() {
            error.set(Some(FormError::new(e.field, field_message(l, e.field))));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token).decline_need(&n.id, &body.reason).await {
                Ok(_) => {
                    declining.set(None);
                    reason.set(String::new());
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    let on_key =
        move |ev: leptos::ev::KeyboardEvent| dialog_key(&ev, "f-reason", "decline-cancel", close);
    move || {
        declining.get().map(|n| {
            view! {
                <div class="recheck-backdrop">
                    <div class="recheck-dialog decline-dialog" role="dialog" aria-modal="true"
                        aria-labelledby="decline-title" aria-describedby="decline-intro"
                        data-testid="decline-dialog" on:keydown=on_key>
                        <h2 id="decline-title">{tr("dispatched_decline")} " · " {n.title.clone()}</h2>
                        <p id="decline-intro">{move || t(lang.get(), "dispatched_decline_intro")}</p>
                        <form class="form-stack" on:submit=submit novalidate>
                            <FormAlert error=error />
                            <TextField field="reason" label="dispatched_decline_reason" value=reason
                                error=error multiline=true />
                            <div class="recheck-actions">
                                <button type="submit" class="primary" data-testid="decline-submit"
                                    disabled=move || busy.get()>{tr("dispatched_decline")}</button>
                                <button type="button" class="link" id="decline-cancel"
                                    on:click=move |_| close()>{tr("dispatched_decline_cancel")}</button>
                            </div>
                        </form>
                    </div>
                </div>
            }
        })
    }
}

/// The need page's line about a dispatch in progress: to whom and by when.
pub fn dispatch_line(lang: Lang, n: &Need) -> Option<String> {
    n.dispatch.as_ref().map(|d| {
        format!(
            "{} {} · {} {}",
            t(lang, "dispatched_to_org"),
            d.org_name,
            t(lang, "dispatch_answer_by"),
            when(&d.answer_by)
        )
    })
}
