//! An activity's page with its shifts: sign up, join the waitlist, cancel; for organizers
//! the roster and cancelling the activity.

use super::{places_left, status_key};
use crate::api::{self, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, from_api,
};
use crate::components::guardian::GuardianConsentForm;
use crate::components::time::{span, when};
use crate::i18n::{field_label, t, target_label, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use zhiyuan_shared::activity::{Activity, ActivityStatus, MyShift, Shift, SignupStatus};

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
            {move || {
                // The organizer's controls depend on the profile, and the activity may arrive
                // first (the shell asked for it before the wasm loaded): the page is drawn
                // once the stored sign-in is checked, not drawn again when it is.
                match activity.get().filter(|_| session.ready.get()) {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(a)) => {
                    let mine = Signal::derive(move || mine.get().unwrap_or_default());
                    view! { <ActivityDetails a=a mine=mine version=version message=message /> }.into_any()
                }
            }}}
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
                {a.series.as_ref().map(|r| {
                    let n = u32::from(r.index) + 1;
                    view! {
                        <dt>{tr("regular_activity")}</dt>
                        <dd>{move || t(lang.get(), "series_occurrence").replace("{n}", &n.to_string())}</dd>
                    }
                })}
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
            {(manages && !cancelled).then(|| view! {
                <p><A href=AppRoute::EditActivity(a.id.clone()).href() attr:class="button">{tr("edit")}</A></p>
            })}
            {(manages && !cancelled).then(|| view! { <CancelActivity id=a.id.clone() version=version series=a.series.is_some() /> })}
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
    // Shown when sign-up says a guardian's consent (14–17) is missing; once saved, the
    // sign-up is tried again and the consent is never asked for again.
    let asking_consent = RwSignal::new(false);
    let sign_up = {
        let sid = sid.clone();
        Callback::new(move |()| {
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
                    Err(e) if e.code() == Some("guardian_consent_required") => {
                        message.set(Some(t(l, "guardian_consent_needed").to_string()));
                        asking_consent.set(true);
                        busy.set(false);
                        return;
                    }
                    Err(e) => message.set(Some(e.message(l))),
                }
                busy.set(false);
                version.update(|v| *v += 1);
            });
        })
    };
    let consent_saved = Callback::new(move |()| {
        asking_consent.set(false);
        sign_up.run(());
    });
    let consent_closed = Callback::new(move |()| asking_consent.set(false));
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
            <div class="actions">
            {move || match (my_status.get(), cancelled) {
                (_, true) => ().into_any(),
                (Some(st), false) => view! {
                    <span class="badge">{move || t(lang.get(), status_key(st))}</span>
                    <button type="button" on:click=cancel.clone() disabled=move || busy.get()>{tr("cancel_signup")}</button>
                }.into_any(),
                (None, false) => view! {
                    <button type="button" class="primary" on:click=move |_| sign_up.run(())
                        disabled=move || busy.get() || asking_consent.get()>
                        {move || t(lang.get(), if full { "join_waitlist" } else { "sign_up" })}
                    </button>
                }.into_any(),
            }}
            {manages.then(|| view! {
                <button type="button" aria-expanded=move || roster_open.get().to_string()
                    on:click=move |_| roster_open.update(|o| *o = !*o)>{tr("roster")}</button>
                <A href=checkin_href.clone()>{tr("checkin_screen")}</A>
            })}
            </div>
            {move || asking_consent.get().then(|| view! {
                <GuardianConsentForm on_saved=consent_saved on_cancel=consent_closed />
            })}
            {manages.then(|| view! {
                {move || roster_open.get().then(|| view! { <Roster shift=sid.clone() /> })}
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
fn CancelActivity(id: String, version: RwSignal<u32>, series: bool) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    // An occurrence of a regular activity: this one only, or it and every later one.
    let future = RwSignal::new(false);
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
            let api = Authorized(&token);
            let done = if future.get_untracked() {
                api.cancel_series(&id, &r).await
            } else {
                api.cancel_activity(&id, &r).await
            };
            match done {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(from_api(l, &e, &[]))),
            }
        });
    };
    view! {
        <form class="danger-zone form-stack" on:submit=submit novalidate>
            <h2>{tr("cancel_activity")}</h2>
            <FormAlert error=error />
            {series.then(|| view! {
                <fieldset class="form-field repeat-scope">
                    <legend>{tr("series_cancel_scope")}</legend>
                    <label class="check">
                        <input type="radio" name="cancel-scope" id="f-cancel-scope" value="one"
                            prop:checked=move || !future.get() on:change=move |_| future.set(false) />
                        <span>{tr("series_this_one")}</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="cancel-scope" id="f-cancel-scope-future" value="future"
                            prop:checked=move || future.get() on:change=move |_| future.set(true) />
                        <span>{tr("series_this_and_later")}</span>
                    </label>
                </fieldset>
            })}
            <TextField field="reason" label="cancel_reason" value=reason error=error />
            <button type="submit">{tr("cancel_activity")}</button>
        </form>
    }
}
