//! The organizer's check-in screen of a shift: rotating code and QR code, hand entry,
//! review and confirmation.

use super::{hours_text, qr_svg, record_status_key};
use crate::api::{self, ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::components::time::{local_to_rfc3339, now_rfc3339, span, to_local_input, when};
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::record::{
    AttendanceRequest, CorrectRequest, DisputeStatus, RecordStatus, ServiceRecord,
};

/// Runs `tick` every `ms` milliseconds while the page is shown.
fn every(ms: u64, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_millis(ms)) {
        on_cleanup(move || handle.clear());
    }
}

#[component]
pub fn CheckinScreenPage() -> impl IntoView {
    let params = use_params_map();
    let shift = move || params.with(|p| p.get("id").unwrap_or_default());
    view! { <SignedIn render=move |_me: Me| view! { <CheckinScreen shift=shift() /> }.into_any() /> }
}

#[component]
fn CheckinScreen(shift: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let token = session.token.get_untracked().unwrap_or_default();
    let activity_id: String = shift.chars().take(26).collect();
    let activity = {
        let id = activity_id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            async move { api::activity(&id).await }
        })
    };
    let code_tick = RwSignal::new(0u32);
    let records_version = RwSignal::new(0u32);
    every(5_000, move || code_tick.update(|v| *v += 1));
    every(15_000, move || records_version.update(|v| *v += 1));
    let code = {
        let (token, shift) = (token.clone(), shift.clone());
        LocalResource::new(move || {
            code_tick.track();
            let (token, shift) = (token.clone(), shift.clone());
            async move { Authorized(&token).checkin_code(&shift).await }
        })
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let shift_for_qr = shift.clone();
    let message = RwSignal::new(None::<String>);
    let confirm_all = {
        let (token, shift) = (token.clone(), shift.clone());
        move |_| {
            let (token, shift) = (token.clone(), shift.clone());
            spawn_local(async move {
                let l = lang.get_untracked();
                match Authorized(&token).confirm_shift(&shift).await {
                    Ok(r) => {
                        let mut said = t(l, "confirmed_n")
                            .replace("{n}", &r.confirmed.to_string())
                            .replace("{open}", &r.still_open.to_string());
                        // One's own record waits for another organizer.
                        if r.skipped_own > 0 {
                            let own = t(l, "records_skipped_own")
                                .replace("{n}", &r.skipped_own.to_string());
                            said = format!("{said}{own}");
                        }
                        message.set(Some(said))
                    }
                    Err(e) => message.set(Some(e.message(l))),
                }
                records_version.update(|v| *v += 1);
            });
        }
    };
    view! {
        <section class="page">
            <h1>{tr("checkin_screen")}</h1>
            {move || activity.get().and_then(Result::ok).map(|a| {
                let when = a.shifts.iter().find(|s| s.id == shift_for_qr).map(|s| span(&s.starts_at, &s.ends_at)).unwrap_or_default();
                view! {
                    <p><A href=AppRoute::Activity(a.id.clone()).href()>{a.title.clone()}</A> " · " {when}</p>
                }
            })}
            <div class="checkin-code" aria-live="polite">
                {move || match code.get() {
                    None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(c)) => {
                        let url = format!("{origin}{}?code={}", AppRoute::Checkin(c.shift_id.clone()).href(), c.code);
                        view! {
                            <p class="code-label">{tr("checkin_code")}</p>
                            <p class="code" data-testid="checkin-code">{c.code.clone()}</p>
                            <div class="qr" role="img" aria-label=tr("qr_label") inner_html=qr_svg(&url)></div>
                            <p class="hint">{move || t(lang.get(), "code_changes").replace("{time}", &when(&c.changes_at))}</p>
                        }.into_any()
                    }
                }}
            </div>
            <p role="status" aria-live="polite">{move || message.get()}</p>
            <h2>{tr("records_review")}</h2>
            <button type="button" class="primary" on:click=confirm_all>{tr("confirm_all")}</button>
            <ShiftRecords shift=shift.clone() version=records_version message=message />
        </section>
    }
}

#[component]
fn ShiftRecords(
    shift: String,
    version: RwSignal<u32>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let token = session.token.get_untracked().unwrap_or_default();
    let data = {
        let (token, shift) = (token.clone(), shift.clone());
        LocalResource::new(move || {
            version.track();
            let (token, shift) = (token.clone(), shift.clone());
            async move {
                let a = Authorized(&token);
                let (records, roster) = (a.shift_records(&shift).await, a.roster(&shift).await);
                records.and_then(|r| roster.map(|ro| (r.items, ro.items)))
            }
        })
    };
    view! {
        {move || match data.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok((records, roster))) => {
                let waiting: Vec<_> = roster.into_iter()
                    .filter(|r| r.status == zhiyuan_shared::activity::SignupStatus::Confirmed)
                    .filter(|r| !records.iter().any(|rec| rec.user_id == r.user_id))
                    .collect();
                view! {
                    <ul class="card-list records">
                        {records.into_iter().map(|r| view! {
                            <ReviewRow record=r shift=shift.clone() version=version message=message />
                        }).collect_view()}
                    </ul>
                    {(!waiting.is_empty()).then(|| view! {
                        <h3>{tr("not_checked_in")}</h3>
                        <ul class="card-list">
                            {waiting.into_iter().map(|r| {
                                let (token, shift, user) = (token.clone(), shift.clone(), r.user_id.clone());
                                let check_in = move |_| {
                                    let (token, shift, user) = (token.clone(), shift.clone(), user.clone());
                                    spawn_local(async move {
                                        let req = AttendanceRequest { user_id: user, check_in: Some(now_rfc3339()), check_out: None };
                                        if let Err(e) = Authorized(&token).attendance(&shift, &req).await {
                                            message.set(Some(e.message(lang.get_untracked())));
                                        }
                                        version.update(|v| *v += 1);
                                    });
                                };
                                view! {
                                    <li class="card">
                                        <strong>{r.real_name.clone()}</strong>
                                        <span class="station-meta">{r.volunteer_no.clone()}</span>
                                        <button type="button" on:click=check_in>{tr("hand_check_in")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any()
            }
        }}
    }
}

#[component]
fn ReviewRow(
    record: ServiceRecord,
    shift: String,
    version: RwSignal<u32>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let token = session.token.get_untracked().unwrap_or_default();
    let r = record.clone();
    let open = r.check_in.is_some() && r.check_out.is_none();
    let dispute_open = r
        .dispute
        .as_ref()
        .is_some_and(|d| d.status == DisputeStatus::Open);
    let editing = RwSignal::new(false);
    // Both actions end the same way: show a refusal, then reload the list.
    let finish = move |result: Result<ServiceRecord, ApiError>| {
        if let Err(e) = result {
            message.set(Some(e.message(lang.get_untracked())));
        }
        version.update(|v| *v += 1);
    };
    let confirm = {
        let (token, id) = (token.clone(), r.id.clone());
        move |_| {
            let (token, id) = (token.clone(), id.clone());
            spawn_local(async move { finish(Authorized(&token).confirm_record(&id).await) });
        }
    };
    let check_out = {
        let (token, user, shift) = (token.clone(), r.user_id.clone(), shift.clone());
        move |_| {
            let (token, shift) = (token.clone(), shift.clone());
            let req = AttendanceRequest {
                user_id: user.clone(),
                check_in: None,
                check_out: Some(now_rfc3339()),
            };
            spawn_local(async move { finish(Authorized(&token).attendance(&shift, &req).await) });
        }
    };
    view! {
        <li class="card" class:flagged=r.auto_closed || dispute_open>
            <strong>{r.real_name.clone()}</strong>
            <span class="station-meta">{r.volunteer_no.clone()}</span>
            <span>
                {tr("check_in")} " " {r.check_in.as_deref().map(when).unwrap_or_else(|| "—".into())}
                " · " {tr("check_out")} " " {r.check_out.as_deref().map(when).unwrap_or_else(|| "—".into())}
            </span>
            <span>{move || hours_text(lang.get(), r.hours)}</span>
            <span class="badge">{move || t(lang.get(), record_status_key(r.status))}</span>
            {r.training.then(|| view! { <span class="badge">{tr("training")}</span> })}
            {r.auto_closed.then(|| view! { <span class="badge warn">{tr("auto_closed")}</span> })}
            {r.dispute.clone().filter(|d| d.status == DisputeStatus::Open).map(|d| view! {
                <p class="notice">{tr("dispute_from_volunteer")} {d.reason}</p>
            })}
            {(r.status == RecordStatus::Pending && !open && r.check_in.is_some()).then(|| view! {
                <button type="button" class="primary" on:click=confirm>{tr("confirm_hours")}</button>
            })}
            {open.then(|| view! { <button type="button" on:click=check_out>{tr("hand_check_out")}</button> })}
            {(r.status != RecordStatus::Void).then(|| view! {
                <button type="button" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>{tr("correct")}</button>
            })}
            <A href=AppRoute::Record(r.id.clone()).href()>{tr("audit_trail")}</A>
            {move || editing.get().then(|| view! {
                <CorrectForm record=record.clone() dispute_open=dispute_open version=version message=message />
            })}
        </li>
    }
}

#[component]
fn CorrectForm(
    record: ServiceRecord,
    dispute_open: bool,
    version: RwSignal<u32>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let check_in = RwSignal::new(
        record
            .check_in
            .as_deref()
            .map(to_local_input)
            .unwrap_or_default(),
    );
    let check_out = RwSignal::new(
        record
            .check_out
            .as_deref()
            .map(to_local_input)
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(String::new());
    let void = RwSignal::new(false);
    let answer_only = RwSignal::new(false);
    let id = record.id.clone();
    let prefix = format!("c-{}", record.user_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = session.token.get_untracked().unwrap_or_default();
        let id = id.clone();
        spawn_local(async move {
            let a = Authorized(&token);
            let l = lang.get_untracked();
            let result = if answer_only.get_untracked() {
                a.record_reason(&id, "answer", &reason.get_untracked())
                    .await
            } else {
                let opt = |s: String| (!s.is_empty()).then(|| local_to_rfc3339(&s));
                let req = CorrectRequest {
                    check_in: opt(check_in.get_untracked()),
                    check_out: opt(check_out.get_untracked()),
                    void: void.get_untracked(),
                    reason: reason.get_untracked(),
                };
                a.correct_record(&id, &req).await
            };
            match result {
                Ok(_) => message.set(Some(t(l, "saved").to_string())),
                Err(e) => message.set(Some(e.message(l))),
            }
            version.update(|v| *v += 1);
        });
    };
    let p = prefix.clone();
    view! {
        <form class="inline-form" on:submit=submit>
            <label for=format!("{p}-in")>{tr("check_in")}</label>
            <input id=format!("{p}-in") type="datetime-local" prop:value=move || check_in.get()
                on:input=move |ev| check_in.set(event_target_value(&ev)) />
            <label for=format!("{p}-out")>{tr("check_out")}</label>
            <input id=format!("{p}-out") type="datetime-local" prop:value=move || check_out.get()
                on:input=move |ev| check_out.set(event_target_value(&ev)) />
            <label class="check"><input type="checkbox" on:change=move |ev| void.set(event_target_checked(&ev)) />{tr("void_record")}</label>
            {dispute_open.then(|| view! {
                <label class="check"><input type="checkbox" on:change=move |ev| answer_only.set(event_target_checked(&ev)) />{tr("answer_only")}</label>
            })}
            <label for=format!("{p}-reason")>{tr("correction_reason")}</label>
            <input id=format!("{p}-reason") type="text" required prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev)) />
            <button type="submit">{tr("save")}</button>
        </form>
    }
}
