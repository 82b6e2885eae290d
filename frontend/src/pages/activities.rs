//! Activities: the list (by field, banner, station, organisation), an activity's page with
//! its shifts (sign up, join the waitlist, cancel; for organizers the roster and cancelling
//! the activity), publishing one, and "my activities".

use crate::api::{self, ActivityFilter, Authorized};
use crate::components::enum_select::EnumSelect;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    CheckboxGroup, FormAlert, FormError, RegionSelect, TextField, field_message, focus_field,
    from_api,
};
use crate::components::signed_in::SignedIn;
use crate::components::time::{self, local_to_rfc3339, span, when};
use crate::i18n::{field_label, t, target_label, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use zhiyuan_shared::account::{Me, ServiceField};
use zhiyuan_shared::activity::{
    Activity, ActivityInput, ActivityStatus, MyShift, ServiceTarget, Shift, ShiftInput,
    SignupStatus,
};
use zhiyuan_shared::region::Region;

/// The translation key of a sign-up's status.
fn status_key(s: SignupStatus) -> &'static str {
    match s {
        SignupStatus::Confirmed => "status_confirmed",
        SignupStatus::Waitlisted => "status_waitlisted",
    }
}

fn places_left(s: &Shift) -> u32 {
    s.capacity.saturating_sub(s.taken)
}

fn use_banners() -> Signal<Vec<Region>> {
    let res = LocalResource::new(api::regions);
    Signal::derive(move || {
        res.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect()
    })
}

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

#[component]
pub fn ActivityPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let id = move || params.read().get("id").unwrap_or_default();
    let version = RwSignal::new(0u32);
    // Outlives the reload that follows a sign-up, so its answer stays on screen.
    let message = RwSignal::new(None::<String>);
    let activity = LocalResource::new(move || {
        let id = id();
        version.track();
        async move { api::activity(&id).await }
    });
    let mine = LocalResource::new(move || {
        let token = session.token.get();
        version.track();
        async move {
            match token {
                Some(t) => Authorized(&t)
                    .my_activities()
                    .await
                    .map(|p| p.items)
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    view! {
        <section class="page narrow">
            <A href=AppRoute::Activities.href() attr:class="back">{tr("activities_title")}</A>
            {move || match activity.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(a)) => {
                    let mine = Signal::derive(move || mine.get().unwrap_or_default());
                    view! { <ActivityDetails a=a mine=mine version=version message=message /> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ActivityDetails(
    a: Activity,
    mine: Signal<Vec<MyShift>>,
    version: RwSignal<u32>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let manages = session.organizes(&a.org_id);
    let cancelled = a.status == ActivityStatus::Cancelled;
    let field = a.service_field;
    let targets = a.service_targets.clone();
    view! {
        <article aria-labelledby="activity-title">
            <h1 id="activity-title">{a.title.clone()}</h1>
            {a.is_training.then(|| view! { <p><span class="badge">{tr("training")}</span> {tr("training_explained")}</p> })}
            {cancelled.then(|| view! {
                <p class="alert" role="alert">{tr("activity_cancelled")} " " {a.cancel_reason.clone().unwrap_or_default()}</p>
            })}
            <dl class="facts">
                <dt>{tr("organisation")}</dt>
                <dd><A href=AppRoute::Org(a.org_id.clone()).href()>{a.org_name.clone()}</A></dd>
                <dt>{tr("place")}</dt>
                <dd>
                    {a.station_id.clone().map(|s| view! {
                        <A href=AppRoute::Station(s).href()>{a.station_name.clone().unwrap_or_default()}</A> " · "
                    })}
                    {a.address.clone()}
                </dd>
                <dt>{tr("service_field")}</dt>
                <dd>{move || field_label(lang.get(), field)}</dd>
                <dt>{tr("service_targets")}</dt>
                <dd>{move || targets.iter().map(|x| target_label(lang.get(), *x)).collect::<Vec<_>>().join("、")}</dd>
                <dt>{tr("deadline")}</dt>
                <dd>{when(&a.deadline)}</dd>
                {(a.min_age > 0).then(|| view! { <dt>{tr("min_age")}</dt><dd>{a.min_age}</dd> })}
                {(!a.requirements.is_empty()).then(|| view! { <dt>{tr("requirements")}</dt><dd>{a.requirements.clone()}</dd> })}
            </dl>
            <p class="description">{a.description.clone()}</p>
            <p role="status" aria-live="polite" class:notice=move || message.with(Option::is_some)>{move || message.get()}</p>
            <h2>{tr("shifts")}</h2>
            <ul class="card-list shifts">
                {a.shifts.iter().cloned().map(|s| view! {
                    <ShiftRow shift=s mine=mine version=version cancelled=cancelled manages=manages message=message />
                }).collect_view()}
            </ul>
            {(manages || session.is_admin()).then(|| view! {
                <crate::pages::archive::ActivityArchive activity_id=a.id.clone() />
            })}
            {(manages && !cancelled).then(|| view! { <CancelActivity id=a.id.clone() version=version /> })}
        </article>
    }
}

#[component]
fn ShiftRow(
    shift: Shift,
    mine: Signal<Vec<MyShift>>,
    version: RwSignal<u32>,
    cancelled: bool,
    manages: bool,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let busy = RwSignal::new(false);
    let sid = shift.id.clone();
    let checkin_href = AppRoute::ShiftCheckin(sid.clone()).href();
    let my_status = {
        let sid = sid.clone();
        Signal::derive(move || {
            mine.get()
                .into_iter()
                .find(|m| m.shift_id == sid)
                .map(|m| m.status)
        })
    };
    let full = places_left(&shift) == 0;
    let sign_up = {
        let sid = sid.clone();
        move |_| {
            let Some(token) = session.token.get_untracked() else {
                message.set(Some(
                    t(lang.get_untracked(), "sign_in_to_sign_up").to_string(),
                ));
                return;
            };
            busy.set(true);
            let sid = sid.clone();
            // One token per tap: if the answer is lost and the tap retried, it books once.
            let tap = format!("{}{}", sid, js_sys::Date::now() as u64);
            spawn_local(async move {
                let l = lang.get_untracked();
                match Authorized(&token).sign_up(&sid, &tap).await {
                    Ok(r) => message.set(Some(
                        t(
                            l,
                            if r.status == SignupStatus::Confirmed {
                                "signed_up"
                            } else {
                                "waitlisted_msg"
                            },
                        )
                        .to_string(),
                    )),
                    Err(e) => message.set(Some(e.message(l))),
                }
                busy.set(false);
                version.update(|v| *v += 1);
            });
        }
    };
    let cancel = {
        let sid = sid.clone();
        move |_| {
            let token = session.token.get_untracked().unwrap_or_default();
            busy.set(true);
            let sid = sid.clone();
            spawn_local(async move {
                let l = lang.get_untracked();
                match Authorized(&token).cancel_signup(&sid).await {
                    Ok(()) => message.set(Some(t(l, "signup_cancelled").to_string())),
                    Err(e) => message.set(Some(e.message(l))),
                }
                busy.set(false);
                version.update(|v| *v += 1);
            });
        }
    };
    let roster_open = RwSignal::new(false);
    view! {
        <li class="card">
            <strong>{span(&shift.starts_at, &shift.ends_at)}</strong>
            <span class="station-meta">
                {move || format!("{} {} / {} · {} {}", t(lang.get(), "places_left"), places_left(&shift), shift.capacity,
                    t(lang.get(), "waitlist"), shift.waitlist)}
            </span>
            {move || match (my_status.get(), cancelled) {
                (_, true) => ().into_any(),
                (Some(st), false) => view! {
                    <span class="badge">{move || t(lang.get(), status_key(st))}</span>
                    <button type="button" on:click=cancel.clone() disabled=move || busy.get()>{tr("cancel_signup")}</button>
                }.into_any(),
                (None, false) => view! {
                    <button type="button" class="primary" on:click=sign_up.clone() disabled=move || busy.get()>
                        {move || t(lang.get(), if full { "join_waitlist" } else { "sign_up" })}
                    </button>
                }.into_any(),
            }}
            {manages.then(|| view! {
                <button type="button" aria-expanded=move || roster_open.get().to_string()
                    on:click=move |_| roster_open.update(|o| *o = !*o)>{tr("roster")}</button>
                {move || roster_open.get().then(|| view! { <Roster shift=sid.clone() /> })}
                <A href=checkin_href.clone()>{tr("checkin_screen")}</A>
            })}
        </li>
    }
}

#[component]
fn Roster(shift: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let roster = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        let shift = shift.clone();
        async move { Authorized(&token).roster(&shift).await }
    });
    view! {
        {move || match roster.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("roster_empty")}</p> }.into_any(),
            Some(Ok(p)) => view! {
                <table class="roster">
                    <caption class="visually-hidden">{tr("roster")}</caption>
                    <thead><tr><th scope="col">{tr("real_name")}</th><th scope="col">{tr("volunteer_no")}</th><th scope="col">{tr("status")}</th></tr></thead>
                    <tbody>
                        {p.items.into_iter().map(|r| {
                            let st = r.status;
                            view! { <tr><td>{r.real_name}</td><td>{r.volunteer_no}</td>
                                <td>{move || t(lang.get(), status_key(st))}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

#[component]
fn CancelActivity(id: String, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        if reason.get_untracked().trim().is_empty() {
            error.set(Some(FormError::new("reason", field_message(l, "reason"))));
            focus_field("reason");
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        let (id, r) = (id.clone(), reason.get_untracked());
        spawn_local(async move {
            match Authorized(&token).cancel_activity(&id, &r).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(from_api(l, &e, &[]))),
            }
        });
    };
    view! {
        <form class="danger-zone form-stack" on:submit=submit novalidate>
            <h2>{tr("cancel_activity")}</h2>
            <FormAlert error=error />
            <TextField field="reason" label="cancel_reason" value=reason error=error />
            <button type="submit">{tr("cancel_activity")}</button>
        </form>
    }
}

#[component]
pub fn NewActivityPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| {
            let orgs: Vec<String> = me.roles.iter()
                .filter(|g| g.role == zhiyuan_shared::account::Role::Organizer)
                .map(|g| g.scope.clone())
                .collect();
            if orgs.is_empty() {
                view! { <section class="page narrow"><p role="alert">{tr("organizers_only")}</p></section> }.into_any()
            } else {
                view! { <NewActivityForm /> }.into_any()
            }
        } />
    }
}

#[derive(Clone, Copy)]
struct ShiftFields {
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    places: RwSignal<String>,
}

#[component]
fn NewActivityForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let my_orgs = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).my_orgs().await.unwrap_or_default() }
    });
    let org = RwSignal::new(query.read_untracked().get("org").unwrap_or_default());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let targets = RwSignal::new(Vec::<String>::new());
    let region = RwSignal::new(String::new());
    let station = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let min_age = RwSignal::new(String::new());
    let requirements = RwSignal::new(String::new());
    let radius = RwSignal::new(String::new());
    let training = RwSignal::new(false);
    let shifts = RwSignal::new(vec![ShiftFields {
        starts: RwSignal::new(String::new()),
        ends: RwSignal::new(String::new()),
        places: RwSignal::new("10".to_string()),
    }]);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let banners = use_banners();
    // Made from a claimed need (供需对接): its words, place and people fill the form.
    let need_id = query.read_untracked().get("need").unwrap_or_default();
    let need_at = RwSignal::new(None::<(f64, f64)>);
    if !need_id.is_empty() {
        let id = need_id.clone();
        spawn_local(async move {
            if let Ok(n) = api::need(&id).await {
                title.set(n.title.clone());
                description.set(format!("{}\n{}", n.description, n.when));
                address.set(n.address.clone());
                region.set(n.region_code.clone());
                targets.set(vec![n.service_target.slug().to_string()]);
                need_at.set(Some((n.lat, n.lng)));
            }
        });
    }
    let stations = LocalResource::new(move || {
        let r = region.get();
        async move {
            if r.is_empty() {
                return Vec::new();
            }
            let f = api::StationFilter {
                region: r,
                ..Default::default()
            };
            api::stations_in_region(&f).await.unwrap_or_default()
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let st = station.get_untracked();
        // A station gives the place; without one the address is placed at the banner's seat.
        let seat = banners
            .get_untracked()
            .into_iter()
            .find(|b| b.code.as_str() == region.get_untracked());
        let input = ActivityInput {
            org_id: org.get_untracked(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            service_field: field.get_untracked(),
            service_targets: targets.get_untracked(),
            station_id: (!st.is_empty()).then_some(st),
            address: address.get_untracked(),
            lat: need_at
                .get_untracked()
                .map(|p| p.0)
                .or(seat.as_ref().map(|b| b.lat)),
            lng: need_at
                .get_untracked()
                .map(|p| p.1)
                .or(seat.as_ref().map(|b| b.lng)),
            region_code: region.get_untracked(),
            deadline: String::new(),
            min_age: min_age.get_untracked().trim().parse().ok(),
            skills: vec![],
            requirements: requirements.get_untracked(),
            is_training: training.get_untracked(),
            checkin_radius_m: radius.get_untracked().trim().parse().ok(),
            shifts: shifts
                .get_untracked()
                .iter()
                .map(|s| ShiftInput {
                    starts_at: local_to_rfc3339(&s.starts.get_untracked()),
                    ends_at: local_to_rfc3339(&s.ends.get_untracked()),
                    capacity: s.places.get_untracked().trim().parse().unwrap_or(0),
                })
                .collect(),
            need_id: (!need_id.is_empty()).then(|| need_id.clone()),
        };
        if let Err(e) = input.validate(time::now()) {
            let msg = if e.field == "shifts" {
                format!("{} {}", field_message(l, e.field), e.reason)
            } else {
                field_message(l, e.field)
            };
            error.set(Some(FormError::new(e.field, msg)));
            focus_field(if e.field == "shifts" {
                "shift-0-starts"
            } else {
                e.field
            });
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            match Authorized(&token).create_activity(&input).await {
                Ok(a) => navigate(&AppRoute::Activity(a.id).href(), Default::default()),
                Err(e) => {
                    let fe = from_api(l, &e, &[]);
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    let add_shift = move |_| {
        shifts.update(|v| {
            if v.len() < zhiyuan_shared::activity::MAX_SHIFTS {
                v.push(ShiftFields {
                    starts: RwSignal::new(String::new()),
                    ends: RwSignal::new(String::new()),
                    places: RwSignal::new("10".to_string()),
                })
            }
        })
    };
    let shifts_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == "shifts")
                .map(|e| e.message.clone())
        })
    });
    view! {
        <section class="page narrow">
            <h1>{tr("publish_activity")}</h1>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <div class="form-field">
                    <label for="f-org_id">{tr("organisation")}</label>
                    <select id="f-org_id" on:change=move |ev| org.set(event_target_value(&ev))>
                        <option value="">{tr("choose")}</option>
                        {move || my_orgs.get().unwrap_or_default().into_iter().filter(|m| m.organizer).map(|m| {
                            let selected = m.org_id == org.get_untracked();
                            view! { <option value=m.org_id.clone() selected=selected>{m.org_name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <TextField field="title" label="activity_title" value=title error=error />
                <TextField field="description" label="description" value=description error=error multiline=true />
                <EnumSelect id="f-service_field" label="service_field" options=ServiceField::ALL
                    option_label=field_label slug=ServiceField::slug value=field empty="choose" />
                <CheckboxGroup field="service_targets" legend="service_targets" options=ServiceTarget::ALL
                    label=target_label slug=ServiceTarget::slug chosen=targets error=error />
                <RegionSelect field="region_code" label="activity_region" value=region error=error regions=banners />
                <div class="form-field">
                    <label for="f-station_id">{tr("station")}</label>
                    <select id="f-station_id" on:change=move |ev| station.set(event_target_value(&ev))>
                        <option value="">{tr("no_station")}</option>
                        {move || stations.get().unwrap_or_default().into_iter().map(|s| view! {
                            <option value=s.id.clone()>{s.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField field="address" label="address" value=address error=error hint="address_hint" />
                <fieldset class="form-field" class:invalid=move || shifts_error.with(Option::is_some)>
                    <legend>{tr("shifts")}</legend>
                    {move || shifts.get().into_iter().enumerate().map(|(i, s)| view! {
                        <div class="shift-fields" role="group" aria-label=move || format!("{} {}", t(lang.get(), "shift"), i + 1)>
                            <label for=format!("f-shift-{i}-starts")>{tr("starts_at")}</label>
                            <input id=format!("f-shift-{i}-starts") type="datetime-local" prop:value=move || s.starts.get()
                                on:input=move |ev| s.starts.set(event_target_value(&ev)) />
                            <label for=format!("f-shift-{i}-ends")>{tr("ends_at")}</label>
                            <input id=format!("f-shift-{i}-ends") type="datetime-local" prop:value=move || s.ends.get()
                                on:input=move |ev| s.ends.set(event_target_value(&ev)) />
                            <label for=format!("f-shift-{i}-places")>{tr("places")}</label>
                            <input id=format!("f-shift-{i}-places") type="number" min="1" max="10000" inputmode="numeric"
                                prop:value=move || s.places.get() on:input=move |ev| s.places.set(event_target_value(&ev)) />
                        </div>
                    }).collect_view()}
                    <p class="field-error" role="alert" hidden=move || shifts_error.with(Option::is_none)>{move || shifts_error.get().unwrap_or_default()}</p>
                    <button type="button" on:click=add_shift>{tr("add_shift")}</button>
                </fieldset>
                <TextField field="min_age" label="min_age" value=min_age error=error inputmode="numeric" />
                <TextField field="requirements" label="requirements" value=requirements error=error multiline=true />
                <div class="form-field">
                    <label class="check" for="f-is_training">
                        <input id="f-is_training" type="checkbox" aria-describedby="f-is_training-hint"
                            on:change=move |ev| training.set(event_target_checked(&ev)) />
                        {tr("is_training")}
                    </label>
                    <p class="hint" id="f-is_training-hint">{tr("training_explained")}</p>
                </div>
                <div class="form-field">
                    <label for="f-checkin_radius_m">{tr("checkin_radius")}</label>
                    <select id="f-checkin_radius_m" aria-describedby="f-checkin_radius_m-hint"
                        on:change=move |ev| radius.set(event_target_value(&ev))>
                        <option value="">{tr("no_distance_check")}</option>
                        {[300, 500, 1000, 3000].into_iter().map(|m| view! {
                            <option value=m.to_string()>{move || format!("{} {m} {}", t(lang.get(), "within"), t(lang.get(), "metres"))}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" id="f-checkin_radius_m-hint">{tr("checkin_radius_hint")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("publish_activity")() }}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn MyActivitiesPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <MyActivities /> }.into_any() /> }
}

#[component]
fn MyActivities() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        version.track();
        async move { Authorized(&token).my_activities().await }
    });
    let message = RwSignal::new(None::<String>);
    view! {
        <section class="page narrow">
            <h1>{tr("my_activities")}</h1>
            <p role="status" aria-live="polite">{move || message.get()}</p>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <p class="muted">{tr("my_activities_none")}</p>
                    <A href=AppRoute::Activities.href()>{tr("find_activities")}</A>
                }.into_any(),
                Some(Ok(p)) => view! {
                    <ul class="card-list">
                        {p.items.into_iter().map(|m| {
                            let sid = m.shift_id.clone();
                            let st = m.status;
                            let gone = m.activity_status == ActivityStatus::Cancelled;
                            let cancel = move |_| {
                                let token = session.token.get_untracked().unwrap_or_default();
                                let sid = sid.clone();
                                spawn_local(async move {
                                    let l = lang.get_untracked();
                                    match Authorized(&token).cancel_signup(&sid).await {
                                        Ok(()) => message.set(Some(t(l, "signup_cancelled").to_string())),
                                        Err(e) => message.set(Some(e.message(l))),
                                    }
                                    version.update(|v| *v += 1);
                                });
                            };
                            view! {
                                <li class="card">
                                    <A href=AppRoute::Activity(m.activity_id.clone()).href() attr:class="station-link">{m.title.clone()}</A>
                                    <span class="station-meta">{span(&m.starts_at, &m.ends_at)} " · " {m.address.clone()}</span>
                                    <span class="badge">{move || t(lang.get(), if gone { "activity_cancelled" } else { status_key(st) })}</span>
                                    {(!gone && st == SignupStatus::Confirmed).then(|| view! {
                                        <A href=AppRoute::Checkin(m.shift_id.clone()).href()>{tr("checkin_title")}</A>
                                    })}
                                    {(!gone).then(|| view! { <button type="button" on:click=cancel>{tr("cancel_signup")}</button> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
