//! Service records: the organizer's check-in screen (rotating code and QR code, hand
//! entry, review and confirmation), the volunteer's check-in page, "my hours" with stars
//! and perks, one record with its audit trail and dispute, the printable certificate, the
//! public verification page and the perks catalogue.

use crate::api::{self, ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::components::time::{local_to_rfc3339, now_rfc3339, span, to_local_input, when};
use crate::i18n::{Lang, field_label, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use wasm_bindgen::JsCast;
use zhiyuan_shared::account::{Me, ServiceField};
use zhiyuan_shared::record::{
    AttendanceRequest, AuditAction, CheckinAction, CheckinRequest, CorrectRequest, DisputeStatus,
    PerkKind, RecordStatus, ServiceRecord, TransferFile,
};

pub fn record_status_key(s: RecordStatus) -> &'static str {
    match s {
        RecordStatus::Pending => "record_pending",
        RecordStatus::Confirmed => "record_confirmed",
        RecordStatus::Corrected => "record_corrected",
        RecordStatus::Void => "record_void",
    }
}

fn action_key(a: AuditAction) -> &'static str {
    match a {
        AuditAction::CheckIn => "audit_check_in",
        AuditAction::CheckOut => "audit_check_out",
        AuditAction::HandEntry => "audit_hand_entry",
        AuditAction::AutoClose => "audit_auto_close",
        AuditAction::Confirm => "audit_confirm",
        AuditAction::Correct => "audit_correct",
        AuditAction::Void => "audit_void",
        AuditAction::Dispute => "audit_dispute",
        AuditAction::Answer => "audit_answer",
        AuditAction::Import => "audit_import",
    }
}

fn perk_label(lang: Lang, p: PerkKind) -> &'static str {
    let key = match p {
        PerkKind::Insurance => "perk_insurance",
        PerkKind::Bus => "perk_bus",
        PerkKind::ScenicSpots => "perk_scenic_spots",
        PerkKind::HealthCheck => "perk_health_check",
        PerkKind::Shows => "perk_shows",
        PerkKind::PriorityService => "perk_priority_service",
        PerkKind::Recognition => "perk_recognition",
    };
    t(lang, key)
}

/// A record's content: the service field's name, or the words another deployment sent.
fn content(lang: Lang, raw: &str) -> String {
    ServiceField::from_slug(raw).map_or_else(|| raw.to_string(), |f| field_label(lang, f).into())
}

fn hours_text(lang: Lang, h: f64) -> String {
    format!("{h} {}", t(lang, "hours_unit"))
}

/// ★★★☆☆, read out as "3 星".
#[component]
fn Stars(level: u8) -> impl IntoView {
    let lang = use_lang();
    let stars: String = (0..5).map(|i| if i < level { '★' } else { '☆' }).collect();
    view! {
        <span class="stars" role="img" aria-label=move || format!("{} {level}", t(lang.get(), "star_level"))>{stars}</span>
    }
}

/// Runs `tick` every `ms` milliseconds while the page is shown.
fn every(ms: u64, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_millis(ms)) {
        on_cleanup(move || handle.clear());
    }
}

/// A QR code of `text` as inline SVG.
fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// The organizer's check-in screen.

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
                    Ok(r) => message.set(Some(
                        t(l, "confirmed_n")
                            .replace("{n}", &r.confirmed.to_string())
                            .replace("{open}", &r.still_open.to_string()),
                    )),
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

// ---------------------------------------------------------------------------------------
// The volunteer's check-in.

#[component]
pub fn CheckinPage() -> impl IntoView {
    let params = use_params_map();
    let shift = move || params.with(|p| p.get("shift").unwrap_or_default());
    view! { <SignedIn render=move |_me: Me| view! { <VolunteerCheckin shift=shift() /> }.into_any() /> }
}

/// The browser's position, once (None when refused or unavailable).
async fn position() -> Option<(f64, f64)> {
    let geo = web_sys::window()?.navigator().geolocation().ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = geo.get_current_position_with_error_callback(&resolve, Some(&reject));
    });
    let pos: web_sys::Position = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let c = pos.coords();
    Some((c.latitude(), c.longitude()))
}

#[component]
fn VolunteerCheckin(shift: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let query = use_query_map();
    let code = RwSignal::new(query.with_untracked(|q| q.get("code").unwrap_or_default()));
    let activity_id: String = shift.chars().take(26).collect();
    let activity = LocalResource::new(move || {
        let id = activity_id.clone();
        async move { api::activity(&id).await }
    });
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<zhiyuan_shared::record::CheckinResult, ApiError>>);
    let submit = {
        let shift = shift.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let token = session.token.get_untracked().unwrap_or_default();
            let shift = shift.clone();
            let needs_place = activity
                .get_untracked()
                .and_then(Result::ok)
                .is_some_and(|a| a.checkin_radius_m.is_some());
            busy.set(true);
            spawn_local(async move {
                let at = if needs_place { position().await } else { None };
                let req = CheckinRequest {
                    code: code.get_untracked(),
                    lat: at.map(|p| p.0),
                    lng: at.map(|p| p.1),
                };
                result.set(Some(Authorized(&token).check_in(&shift, &req).await));
                busy.set(false);
            });
        }
    };
    view! {
        <section class="page narrow">
            <h1>{tr("checkin_title")}</h1>
            {move || activity.get().and_then(Result::ok).map(|a| view! {
                <p><strong>{a.title.clone()}</strong> " · " {a.address.clone()}</p>
                {a.checkin_radius_m.map(|m| view! { <p class="hint">{move || t(lang.get(), "checkin_needs_location").replace("{m}", &m.to_string())}</p> })}
            })}
            <form class="form-stack" on:submit=submit novalidate>
                <div class="form-field">
                    <label for="f-code">{tr("checkin_code")}</label>
                    <input id="f-code" class="code-input" type="text" inputmode="numeric" autocomplete="one-time-code"
                        maxlength="7" aria-describedby="f-code-hint" prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                    <p class="hint" id="f-code-hint">{tr("checkin_code_hint")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr("checkin_submit")}</button>
            </form>
            <div role="status" aria-live="polite">
                {move || result.get().map(|r| match r {
                    Ok(r) => {
                        let key = if r.action == CheckinAction::CheckedIn { "checked_in_at" } else { "checked_out_at" };
                        let time = if r.action == CheckinAction::CheckedIn { r.record.check_in.clone() } else { r.record.check_out.clone() };
                        let hours = r.record.hours;
                        let out = r.action == CheckinAction::CheckedOut;
                        view! {
                            <p class="notice success">{move || t(lang.get(), key).replace("{time}", &time.as_deref().map(when).unwrap_or_default())}</p>
                            {out.then(|| view! { <p>{move || t(lang.get(), "hours_pending").replace("{h}", &hours.to_string())}</p> })}
                            <A href=AppRoute::MyRecords.href()>{tr("my_records")}</A>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                })}
            </div>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// My hours, one record, certificate, verification, perks.

#[component]
pub fn MyRecordsPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <MyRecordsView /> }.into_any() /> }
}

#[component]
fn MyRecordsView() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let token = session.token.get_untracked().unwrap_or_default();
    let data = {
        let token = token.clone();
        LocalResource::new(move || {
            let token = token.clone();
            async move { Authorized(&token).my_records().await }
        })
    };
    let message = RwSignal::new(None::<String>);
    let export = move |_| {
        let token = token.clone();
        spawn_local(async move {
            match Authorized(&token).transfer_file().await {
                Ok(f) => {
                    let text = serde_json::to_string_pretty(&f).unwrap_or_default();
                    crate::components::download::offer(
                        "zhiyuan-transfer.json",
                        "application/json",
                        &text,
                    );
                    message.set(Some(
                        t(lang.get_untracked(), "transfer_downloaded").to_string(),
                    ));
                }
                Err(e) => message.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("my_records")}</h1>
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(m)) => view! {
                    <div class="summary card">
                        <p class="big" data-testid="total-hours">{move || hours_text(lang.get(), m.total_hours)}</p>
                        <Stars level=m.star_level />
                        {m.hours_to_next_star.map(|h| view! { <p class="hint">{move || t(lang.get(), "to_next_star").replace("{h}", &h.to_string())}</p> })}
                        <h2>{tr("my_perks")}</h2>
                        {if m.perks.is_empty() {
                            view! { <p class="muted">{tr("no_perks_yet")}</p> }.into_any()
                        } else {
                            view! { <ul>{m.perks.iter().map(|p| { let k = p.id; view! { <li>{move || perk_label(lang.get(), k)}</li> } }).collect_view()}</ul> }.into_any()
                        }}
                        <A href=AppRoute::Perks.href()>{tr("perks_catalogue")}</A>
                    </div>
                    <p class="actions">
                        <A href=AppRoute::Certificate.href() attr:class="button primary">{tr("certificate")}</A>
                        <button type="button" on:click=export.clone()>{tr("export_transfer")}</button>
                    </p>
                    <p role="status" aria-live="polite">{move || message.get()}</p>
                    {
                        // Service and training apart: trainings are history, not hours.
                        let (trainings, service): (Vec<_>, Vec<_>) =
                            m.items.into_iter().partition(|r| r.training);
                        view! {
                            {if service.is_empty() {
                                view! { <p class="muted">{tr("no_records")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="card-list">
                                        {service.into_iter().map(|r| view! { <RecordCard record=r /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 id="training-history">{tr("training_history")}</h2>
                            {if trainings.is_empty() {
                                view! { <p class="muted">{tr("training_history_none")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="card-list" aria-labelledby="training-history" data-testid="training-history">
                                        {trainings.into_iter().map(|r| view! { <RecordCard record=r /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }
                    }
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RecordCard(record: ServiceRecord) -> impl IntoView {
    let lang = use_lang();
    let r = record;
    let title = r.activity_title.clone();
    let link = (!r.activity_id.is_empty()).then(|| AppRoute::Record(r.id.clone()).href());
    view! {
        <li class="card">
            {match link {
                Some(href) => view! { <A href=href attr:class="station-link">{title}</A> }.into_any(),
                None => view! { <strong>{title}</strong> }.into_any(),
            }}
            <span class="station-meta">{r.date.clone()} " · " {r.org_name.clone()}</span>
            <span>{move || hours_text(lang.get(), r.hours)}</span>
            <span class="badge">{move || t(lang.get(), record_status_key(r.status))}</span>
            {r.training.then(|| view! { <span class="badge">{tr("training")}</span> })}
            {r.transferred_from.clone().map(|o| view! { <span class="badge">{tr("transferred_in")} " " {o}</span> })}
            {r.dispute.clone().filter(|d| d.status == DisputeStatus::Open).map(|_| view! { <span class="badge warn">{tr("dispute_waiting")}</span> })}
        </li>
    }
}

#[component]
pub fn RecordPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    view! { <SignedIn render=move |me: Me| view! { <RecordView id=id() me=me /> }.into_any() /> }
}

#[component]
fn RecordView(id: String, me: Me) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let data = {
        let id = id.clone();
        LocalResource::new(move || {
            version.track();
            let token = session.token.get_untracked().unwrap_or_default();
            let id = id.clone();
            async move { Authorized(&token).record(&id).await }
        })
    };
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let dispute = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = session.token.get_untracked().unwrap_or_default();
        let id = id.clone();
        spawn_local(async move {
            let l = lang.get_untracked();
            match Authorized(&token)
                .record_reason(&id, "dispute", &reason.get_untracked())
                .await
            {
                Ok(_) => message.set(Some(t(l, "dispute_sent").to_string())),
                Err(e) => message.set(Some(e.message(l))),
            }
            version.update(|v| *v += 1);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("record")}</h1>
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(d)) => {
                    let r = d.record.clone();
                    let mine = r.user_id == me.user_id;
                    let can_dispute = mine && r.status != RecordStatus::Void
                        && r.dispute.as_ref().is_none_or(|d| d.status != DisputeStatus::Open);
                    let field = r.content.clone();
                    view! {
                        <dl class="facts">
                            <dt>{tr("activity")}</dt><dd>{r.activity_title.clone()}</dd>
                            <dt>{tr("organisation")}</dt><dd>{r.org_name.clone()}</dd>
                            <dt>{tr("service_content")}</dt><dd>{move || content(lang.get(), &field)}</dd>
                            <dt>{tr("address")}</dt><dd>{r.address.clone()}</dd>
                            <dt>{tr("shift")}</dt><dd>{span(&r.shift_starts_at, &r.shift_ends_at)}</dd>
                            <dt>{tr("check_in")}</dt><dd>{r.check_in.as_deref().map(when).unwrap_or_else(|| "—".into())}</dd>
                            <dt>{tr("check_out")}</dt><dd>{r.check_out.as_deref().map(when).unwrap_or_else(|| "—".into())}</dd>
                            <dt>{tr("hours")}</dt><dd>{move || hours_text(lang.get(), r.hours)}</dd>
                            <dt>{tr("status")}</dt><dd>{move || t(lang.get(), record_status_key(r.status))}</dd>
                            <dt>{tr("recorded_by")}</dt><dd>{r.recorded_by.clone()} " · " {when(&r.recorded_at)}</dd>
                        </dl>
                        {r.dispute.clone().map(|d| view! {
                            <div class="card">
                                <p>{tr("dispute")} ": " {d.reason.clone()}</p>
                                {d.answer.clone().map(|a| view! { <p>{tr("answer")} ": " {a}</p> })}
                            </div>
                        })}
                        <h2>{tr("audit_trail")}</h2>
                        <table class="audit">
                            <thead><tr><th scope="col">{tr("when")}</th><th scope="col">{tr("what")}</th><th scope="col">{tr("who")}</th><th scope="col">{tr("before_after")}</th><th scope="col">{tr("reason")}</th></tr></thead>
                            <tbody>
                                {d.audit.into_iter().map(|a| {
                                    let before = a.before.as_ref().map(|b| b.hours);
                                    let after = a.after.hours;
                                    view! {
                                        <tr>
                                            <td>{when(&a.at)}</td>
                                            <td>{move || t(lang.get(), action_key(a.action))}</td>
                                            <td>{a.by.clone()}</td>
                                            <td>{before.map(|b| format!("{b} → {after}")).unwrap_or_else(|| after.to_string())}</td>
                                            <td>{a.reason.clone().unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {can_dispute.then(|| view! {
                            <form class="form-stack" on:submit=dispute.clone()>
                                <div class="form-field">
                                    <label for="f-reason">{tr("dispute_reason")}</label>
                                    <textarea id="f-reason" required prop:value=move || reason.get()
                                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                                </div>
                                <button type="submit">{tr("send_dispute")}</button>
                            </form>
                        })}
                        <p role="status" aria-live="polite">{move || message.get()}</p>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
pub fn CertificatePage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <CertificateView /> }.into_any() /> }
}

#[component]
fn CertificateView() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let query = use_query_map();
    let data = LocalResource::new(move || {
        let token = session.token.get_untracked().unwrap_or_default();
        let org = query.with(|q| q.get("org").unwrap_or_default());
        async move { Authorized(&token).certificate(&org).await }
    });
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let dash = |s: String| if s.is_empty() { "—".to_string() } else { s };
    view! {
        <section class="page certificate">
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(c)) => {
                    let verify = format!("{origin}{}", AppRoute::Verify(c.verification_code.clone()).href());
                    let issuer_org = c.issuer.organisation.clone();
                    view! {
                        <h1>{tr("certificate_title")}</h1>
                        <p class="cert-no">{tr("certificate_no")} " " <span data-testid="cert-number">{c.number.clone()}</span></p>
                        <h2>{tr("cert_identity")}</h2>
                        <dl class="facts">
                            <dt>{tr("real_name")}</dt><dd>{c.holder.real_name.clone()}</dd>
                            <dt>{tr("id_type")}</dt><dd>{tr("resident_id")}</dd>
                            <dt>{tr("id_number")}</dt><dd>{c.holder.id_masked.clone()}</dd>
                            <dt>{tr("volunteer_no")}</dt><dd>{c.holder.volunteer_no.clone()}</dd>
                        </dl>
                        <h2>{tr("cert_service")}</h2>
                        <table class="audit">
                            <thead><tr><th scope="col">{tr("date")}</th><th scope="col">{tr("organisation")}</th><th scope="col">{tr("activity")}</th><th scope="col">{tr("service_content")}</th><th scope="col">{tr("hours")}</th></tr></thead>
                            <tbody>
                                {c.records.iter().map(|l| {
                                    let field = l.content.clone();
                                    view! {
                                        <tr><td>{l.date.clone()}</td><td>{l.org_name.clone()}</td><td>{l.activity_title.clone()}</td>
                                            <td>{move || content(lang.get(), &field)}</td><td>{l.hours}</td></tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="big">{tr("total_hours")} " " <span data-testid="cert-total">{move || hours_text(lang.get(), c.total_hours)}</span></p>
                        <h2>{tr("cert_issuer")}</h2>
                        <dl class="facts">
                            <dt>{tr("issuing_org")}</dt>
                            <dd>{move || if issuer_org.is_empty() { t(lang.get(), "platform_issuer").to_string() } else { issuer_org.clone() }}</dd>
                            <dt>{tr("person_in_charge")}</dt><dd>{dash(c.issuer.person_in_charge.clone())}</dd>
                            <dt>{tr("handling_officer")}</dt><dd>{dash(c.issuer.handling_officer.clone())}</dd>
                            <dt>{tr("contact")}</dt><dd>{dash(c.issuer.contact.clone())}</dd>
                            <dt>{tr("issued_on")}</dt><dd>{c.issued_on.clone()}</dd>
                            <dt>{tr("verification_code")}</dt><dd data-testid="cert-code">{c.verification_code.clone()}</dd>
                        </dl>
                        <div class="qr" role="img" aria-label=tr("qr_verify_label") inner_html=qr_svg(&verify)></div>
                        <p class="hint">{tr("verify_hint")} " " <A href=AppRoute::Verify(c.verification_code.clone()).href()>{verify.clone()}</A></p>
                        <button type="button" class="primary no-print" on:click=print>{tr("print")}</button>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let navigate = use_navigate();
    let typed = RwSignal::new(params.with_untracked(|p| p.get("code").unwrap_or_default()));
    let result = LocalResource::new(move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        async move {
            if code.is_empty() {
                None
            } else {
                Some(api::verify_certificate(&code).await)
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = typed.get_untracked().trim().to_string();
        if !code.is_empty() {
            navigate(&AppRoute::Verify(code).href(), Default::default());
        }
    };
    view! {
        <section class="page narrow">
            <h1>{tr("verify_title")}</h1>
            <form class="form-stack" on:submit=submit>
                <div class="form-field">
                    <label for="f-verify">{tr("verification_code")}</label>
                    <input id="f-verify" type="text" autocomplete="off" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{tr("verify")}</button>
            </form>
            <div role="status" aria-live="polite">
                {move || result.get().flatten().map(|r| match r {
                    Ok(c) => {
                        let issuer = c.issuer.clone();
                        view! {
                            <div class="notice success" data-testid="verified">
                                <p><strong>{tr("certificate_valid")}</strong></p>
                                <dl class="facts">
                                    <dt>{tr("certificate_no")}</dt><dd>{c.number.clone()}</dd>
                                    <dt>{tr("real_name")}</dt><dd>{c.holder_name.clone()}</dd>
                                    <dt>{tr("volunteer_no")}</dt><dd>{c.volunteer_no.clone()}</dd>
                                    <dt>{tr("total_hours")}</dt><dd>{move || hours_text(lang.get(), c.total_hours)}</dd>
                                    <dt>{tr("record_count")}</dt><dd>{c.record_count}</dd>
                                    <dt>{tr("issuing_org")}</dt>
                                    <dd>{move || if issuer.is_empty() { t(lang.get(), "platform_issuer").to_string() } else { issuer.clone() }}</dd>
                                    <dt>{tr("issued_on")}</dt><dd>{c.issued_on.clone()}</dd>
                                </dl>
                            </div>
                        }.into_any()
                    }
                    Err(e) if e.is_not_found() => view! { <p class="notice error" role="alert">{tr("certificate_unknown")}</p> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
pub fn PerksPage() -> impl IntoView {
    let lang = use_lang();
    let data = LocalResource::new(|| async { api::perks().await });
    view! {
        <section class="page narrow">
            <h1>{tr("perks_catalogue")}</h1>
            <p class="hint">{tr("perks_intro")}</p>
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(perks)) => view! {
                    <table class="audit">
                        <thead><tr><th scope="col">{tr("perk")}</th><th scope="col">{tr("from_star")}</th></tr></thead>
                        <tbody>
                            {perks.into_iter().map(|p| { let k = p.id; view! {
                                <tr><td>{move || perk_label(lang.get(), k)}</td><td><Stars level=p.min_star /></td></tr>
                            } }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

/// The region admin's import of a transfer file (on the admin page).
#[component]
pub fn ImportTransfer() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        spawn_local(async move {
            if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.set(t.as_string().unwrap_or_default());
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = session.token.get_untracked().unwrap_or_default();
        let l = lang.get_untracked();
        let Ok(file) = serde_json::from_str::<TransferFile>(&text.get_untracked()) else {
            message.set(Some(t(l, "transfer_not_a_file").to_string()));
            return;
        };
        spawn_local(async move {
            match Authorized(&token).import_transfer(&file).await {
                Ok(r) => message.set(Some(
                    t(l, "transfer_result")
                        .replace("{no}", &r.volunteer_no)
                        .replace("{n}", &r.imported.to_string())
                        .replace("{dup}", &r.already_present.to_string())
                        .replace("{overlap}", &r.overlapping.to_string())
                        .replace("{h}", &r.total_hours.to_string()),
                )),
                Err(e) => message.set(Some(e.message(l))),
            }
        });
    };
    view! {
        <section aria-labelledby="import-title">
            <h2 id="import-title">{tr("import_transfer")}</h2>
            <form class="form-stack" on:submit=submit>
                <div class="form-field">
                    <label for="f-transfer-file">{tr("transfer_file")}</label>
                    <input id="f-transfer-file" type="file" accept="application/json,.json" on:change=on_file />
                </div>
                <div class="form-field">
                    <label for="f-transfer-text">{tr("transfer_paste")}</label>
                    <textarea id="f-transfer-text" rows="4" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="primary">{tr("import")}</button>
            </form>
            <p role="status" aria-live="polite">{move || message.get()}</p>
        </section>
    }
}
