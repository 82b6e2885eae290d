//! Organisations: the public list, registration, and an organisation's page (join; for
//! its organizers and region admins: join requests, roster, approval).

use crate::api::{self, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    CheckboxGroup, FormAlert, FormError, RegionSelect, TextField, field_message, focus_field,
    from_api,
};
use crate::components::names::{region_name, use_regions};
use crate::components::signed_in::SignedIn;
use crate::i18n::{Lang, field_label, org_type_label, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use zhiyuan_shared::account::Me;
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::org::{Org, OrgInput, OrgStatus, OrgType};
use zhiyuan_shared::region::{Region, RegionCode};

#[component]
pub fn OrgsPage() -> impl IntoView {
    let lang = use_lang();
    let region = RwSignal::new("150600".to_string());
    let regions = use_regions();
    let list = LocalResource::new(move || {
        let r = region.get();
        async move { api::orgs(&r).await }
    });
    let no_error = RwSignal::new(None::<FormError>);
    let choices = Signal::derive(move || {
        regions
            .get()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect::<Vec<_>>()
    });
    view! {
        <section class="page">
            <h1>{tr("orgs_title")}</h1>
            <div class="filters">
                <RegionSelect field="region" label="filter_region" value=region error=no_error regions=choices />
                <A href=AppRoute::NewOrg.href() attr:class="button primary">{tr("register_org")}</A>
            </div>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="muted">{tr("orgs_none")}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="card-list">
                        {page.items.into_iter().map(|o| view! { <OrgCard org=o regions=regions lang=lang /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn OrgCard(org: Org, regions: Signal<Vec<Region>>, lang: ReadSignal<Lang>) -> impl IntoView {
    let code = org.region_code.clone();
    view! {
        <li class="card">
            <A href=AppRoute::Org(org.id.clone()).href() attr:class="station-link">{org.name.clone()}</A>
            <span class="station-meta">
                {move || org_type_label(lang.get(), org.org_type)} " · "
                {move || region_name(lang.get(), &regions.get(), &code)} " · "
                {org.member_count} " " {tr("member_count")}
            </span>
        </li>
    }
}

#[component]
pub fn NewOrgPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| match me {
            me if me.volunteer.is_none() => view! {
                <section class="page narrow">
                    <p role="alert">{tr("code_volunteer_required")}</p>
                    <A href=AppRoute::BecomeVolunteer.href()>{tr("become_volunteer")}</A>
                </section>
            }.into_any(),
            _ => view! { <NewOrgForm /> }.into_any(),
        } />
    }
}

#[component]
fn NewOrgForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let org_type = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let fields = RwSignal::new(Vec::<String>::new());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let regions = use_regions();
    let choices = Signal::derive(move || {
        regions
            .get()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let input = OrgInput {
            name: name.get_untracked(),
            org_type: org_type.get_untracked(),
            region_code: region.get_untracked(),
            service_fields: fields.get_untracked(),
            description: description.get_untracked(),
        };
        if let Err(e) = input.validate() {
            error.set(Some(FormError::new(e.field, field_message(l, e.field))));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            match Authorized(&token).create_org(&input).await {
                Ok(org) => {
                    session.refresh();
                    navigate(&AppRoute::Org(org.id).href(), Default::default());
                }
                Err(e) => {
                    let fe = from_api(l, &e, &[("org_name_taken", "name")]);
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    let type_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == "org_type")
                .map(|e| e.message.clone())
        })
    });
    view! {
        <section class="page narrow">
            <h1>{tr("register_org")}</h1>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="name" label="org_name" value=name error=error />
                <div class="form-field" class:invalid=move || type_error.with(Option::is_some)>
                    <label for="f-org_type">{tr("org_type")}</label>
                    <select id="f-org_type" aria-describedby="f-org_type-err"
                        on:change=move |ev| org_type.set(event_target_value(&ev))>
                        <option value="">{tr("choose")}</option>
                        {OrgType::ALL.iter().map(|o| {
                            let o = *o;
                            view! { <option value=o.slug()>{move || org_type_label(lang.get(), o)}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="f-org_type-err" hidden=move || type_error.with(Option::is_none)>
                        {move || type_error.get().unwrap_or_default()}
                    </p>
                </div>
                <RegionSelect field="region_code" label="org_region" value=region error=error regions=choices />
                <CheckboxGroup field="service_fields" legend="service_fields" options=ServiceField::ALL
                    label=field_label slug=ServiceField::slug chosen=fields error=error />
                <TextField field="description" label="description" value=description error=error multiline=true />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("org_submit")() }}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn OrgPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let lang = use_lang();
    let id = move || params.read().get("id").unwrap_or_default();
    let version = RwSignal::new(0u32);
    let org = LocalResource::new(move || {
        let id = id();
        let token = session.token.get();
        version.track();
        async move {
            match token {
                Some(t) => Authorized(&t).org(&id).await,
                None => api::org(&id).await,
            }
        }
    });
    let regions = use_regions();
    view! {
        <section class="page narrow">
            <A href=AppRoute::Orgs.href() attr:class="back">{tr("nav_orgs")}</A>
            {move || match org.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(o)) => view! { <OrgDetails org=o regions=regions lang=lang version=version /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn OrgDetails(
    org: Org,
    regions: Signal<Vec<Region>>,
    lang: ReadSignal<Lang>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let code = org.region_code.clone();
    let org_id = org.id.clone();
    let manages = {
        let org_id = org_id.clone();
        let code = org.region_code.clone();
        move || {
            session.organizes(&org_id)
                || session.me.with(|m| {
                    m.as_ref().is_some_and(|m| {
                        let Ok(code) = RegionCode::parse(&code) else {
                            return false;
                        };
                        m.admin_regions()
                            .filter_map(|s| RegionCode::parse(s).ok())
                            .any(|scope| scope.covers(&code))
                    })
                })
        }
    };
    let status = org.status;
    let notice = RwSignal::new(None::<String>);
    let err = RwSignal::new(None::<api::ApiError>);
    let join = {
        let org_id = org_id.clone();
        move |_| {
            let token = session.token.get_untracked().unwrap_or_default();
            let org_id = org_id.clone();
            spawn_local(async move {
                match Authorized(&token).join_org(&org_id).await {
                    Ok(_) => {
                        err.set(None);
                        notice.set(Some(t(lang.get_untracked(), "join_sent").to_string()));
                        session.refresh();
                    }
                    Err(e) => err.set(Some(e)),
                }
            });
        }
    };
    let is_member = {
        let org_id = org_id.clone();
        let mine = LocalResource::new(move || {
            let token = session.token.get();
            async move {
                match token {
                    Some(t) => Authorized(&t).my_orgs().await.unwrap_or_default(),
                    None => vec![],
                }
            }
        });
        move || {
            mine.get()
                .is_some_and(|l| l.iter().any(|m| m.org_id == org_id))
        }
    };
    let can_join = {
        let is_member = is_member.clone();
        move || {
            status == OrgStatus::Approved
                && session
                    .me
                    .with(|m| m.as_ref().is_some_and(|m| m.volunteer.is_some()))
                && !is_member()
        }
    };
    let decide_view = (status == OrgStatus::Pending).then(|| {
        let manages = manages.clone();
        let org_id = org_id.clone();
        view! { <Show when=move || session.is_admin() && manages()><Decide org_id=org_id.clone() version=version /></Show> }
    });
    let members_view = {
        let org_id = org_id.clone();
        let manages = manages.clone();
        view! { <Show when=move || manages()><Members org_id=org_id.clone() /></Show> }
    };
    view! {
        <h1>{org.name.clone()}</h1>
        <dl class="facts">
            <dt>{tr("org_type")}</dt><dd>{move || org_type_label(lang.get(), org.org_type)}</dd>
            <dt>{tr("org_region")}</dt><dd>{move || region_name(lang.get(), &regions.get(), &code)}</dd>
            <dt>{tr("service_fields")}</dt>
            <dd>{move || org.service_fields.iter().map(|f| field_label(lang.get(), *f)).collect::<Vec<_>>().join("、")}</dd>
            <dt>{tr("members")}</dt><dd>{org.member_count}</dd>
            <dt>{tr("org_status")}</dt>
            <dd class="org-status">{move || t(lang.get(), &format!("status_{}", status.slug()))}</dd>
        </dl>
        {(!org.description.is_empty()).then(|| view! { <p>{org.description.clone()}</p> })}
        {org.rejection_reason.clone().map(|r| view! { <p class="notice">{tr("reject_reason")} ": " {r}</p> })}
        {(status == OrgStatus::Approved).then(|| view! {
            <p class="actions">
                <A href=format!("{}?org_id={}", AppRoute::Activities.href(), org.id)>{tr("org_activities")}</A>
                // Reactive: the profile (and with it the organizer role) may arrive after
                // this page first renders.
                {let org_id = org.id.clone(); move || session.organizes(&org_id).then(|| view! {
                    " · " <A href=AppRoute::NewActivity(org_id.clone()).href() attr:class="button primary">{tr("publish_activity")}</A>
                    " · " <A href=AppRoute::OrgBackfills(org_id.clone()).href() attr:data-testid="org-backfills">{tr("backfill_review_title")}</A>
                })}
            </p>
        })}
        <Show when=can_join.clone()>
            <button type="button" class="primary" data-testid="join" on:click=join.clone()>{tr("join")}</button>
        </Show>
        {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {move || err.get().map(|e| view! { <ErrorNotice error=e /> })}
        {(status == OrgStatus::Approved).then(|| view! {
            <crate::pages::need_rating::OrgRatingsSummary org_id=org.id.clone() />
        })}
        {decide_view}
        {members_view}
    }
}

/// A region admin approves or rejects a pending organisation.
#[component]
pub fn Decide(org_id: String, version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    // Each decision box needs its own field id (the admin queue shows several); the
    // form components take 'static names, and one short string per rendered box is fine.
    let field: &'static str = Box::leak(format!("reason-{org_id}").into_boxed_str());
    let approve = {
        let org_id = org_id.clone();
        move |_| {
            let token = session.token.get_untracked().unwrap_or_default();
            let org_id = org_id.clone();
            spawn_local(async move {
                match Authorized(&token).approve_org(&org_id).await {
                    Ok(_) => version.update(|v| *v += 1),
                    Err(e) => error.set(Some(from_api(lang.get_untracked(), &e, &[]))),
                }
            });
        }
    };
    let reject = move |_| {
        if reason.get_untracked().trim().is_empty() {
            error.set(Some(FormError::new(
                field,
                field_message(lang.get_untracked(), "reason"),
            )));
            focus_field(field);
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        let org_id = org_id.clone();
        spawn_local(async move {
            match Authorized(&token)
                .reject_org(&org_id, &reason.get_untracked())
                .await
            {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(from_api(lang.get_untracked(), &e, &[]))),
            }
        });
    };
    view! {
        <div class="decide" role="group">
            <FormAlert error=error />
            <button type="button" class="primary approve" on:click=approve>{tr("approve")}</button>
            <TextField field=field label="reject_reason" value=reason error=error />
            <button type="button" class="reject" on:click=reject>{tr("reject")}</button>
        </div>
    }
}

#[component]
fn Members(org_id: String) -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    // "Who is trained": members with at least one training attended.
    let trained_only = RwSignal::new(false);
    let oid = org_id.clone();
    let load = move |status: &'static str| {
        let org_id = org_id.clone();
        LocalResource::new(move || {
            version.track();
            let min = u32::from(status == "approved" && trained_only.get());
            let token = session.token.get().unwrap_or_default();
            let org_id = org_id.clone();
            async move { Authorized(&token).members(&org_id, status, min).await }
        })
    };
    let approved = load("approved");
    let pending = load("pending");
    let err = RwSignal::new(None::<api::ApiError>);
    view! {
        <h2>{tr("join_requests")}</h2>
        {move || match pending.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("join_requests_none")}</p> }.into_any(),
            Some(Ok(p)) => view! {
                <ul class="plain join-requests">
                    {p.items.into_iter().map(|m| {
                        let user = m.user_id.clone();
                        let org_id = oid.clone();
                        let approve = move |_| {
                            let token = session.token.get_untracked().unwrap_or_default();
                            let user = user.clone();
                            let org_id = org_id.clone();
                            spawn_local(async move {
                                match Authorized(&token).approve_member(&org_id, &user).await {
                                    Ok(_) => version.update(|v| *v += 1),
                                    Err(e) => err.set(Some(e)),
                                }
                            });
                        };
                        view! {
                            <li>
                                <span>{m.real_name.clone()} " (" {m.volunteer_no.clone()} ")"</span>
                                <button type="button" class="primary" on:click=approve>
                                    {tr("approve")} <span class="visually-hidden">{m.real_name.clone()}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        {move || err.get().map(|e| view! { <ErrorNotice error=e /> })}
        <h2>{tr("members")}</h2>
        <p class="hint">{tr("names_only_note")}</p>
        <label class="switch">
            <input type="checkbox" id="trained-only" prop:checked=move || trained_only.get()
                on:change=move |ev| trained_only.set(event_target_checked(&ev)) />
            <span>{tr("members_trained_only")}</span>
        </label>
        {move || match approved.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(p)) => view! {
                <table class="roster">
                    <thead><tr><th scope="col">{tr("real_name")}</th><th scope="col">{tr("volunteer_no")}</th><th scope="col">{tr("roles")}</th><th scope="col">{tr("trainings_done")}</th></tr></thead>
                    <tbody>
                        {p.items.into_iter().map(|m| view! {
                            <tr><td>{m.real_name.clone()}</td><td>{m.volunteer_no.clone()}</td>
                            <td>{if m.organizer { tr("organizer_badge")() } else { tr("role_volunteer")() }}</td>
                            <td>{m.trainings_done}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
