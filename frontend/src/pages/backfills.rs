//! Hours with evidence (补录): the volunteer applies for hours of a past shift of one of
//! their organisations with evidence (a photo or the paper sign-in sheet, uploaded to the
//! activity's archive by its upload rules) and follows their applications; the
//! organisation's organizers review the queue, see the evidence, approve or refuse with a
//! reason.

use super::archive::{rule_of, size_label, upload, upload_error};
use crate::api::{self, ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::form::{FormAlert, FormError, TextField, focus_field, from_api};
use crate::components::signed_in::SignedIn;
use crate::components::time::{now, span, when};
use crate::i18n::{Lang, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::activity::Shift;
use zhiyuan_shared::archive::{
    Attachment, AttachmentKind, FileType, UploadRequest, accept_attribute,
};
use zhiyuan_shared::backfill::{
    BACKFILL_DAYS, Backfill, BackfillRequest, BackfillStatus, MAX_EVIDENCE,
};
use zhiyuan_shared::org::MemberStatus;
use zhiyuan_shared::time::Timestamp;

fn status_label(lang: Lang, s: BackfillStatus) -> &'static str {
    t(
        lang,
        match s {
            BackfillStatus::Pending => "backfill_status_pending",
            BackfillStatus::Approved => "backfill_status_approved",
            BackfillStatus::Refused => "backfill_status_refused",
        },
    )
}

/// `2026-06-10T09:00:00+08:00` from a shift's start and a `HH:MM` on its day.
fn on_shift_day(shift_starts: &str, hm: &str) -> String {
    if hm.len() != 5 {
        return String::new();
    }
    let day = shift_starts.get(..10).unwrap_or_default();
    format!("{day}T{hm}:00+08:00")
}

/// `HH:MM` of an RFC 3339 time, in China time.
fn hm_of(raw: &str) -> String {
    Timestamp::parse(raw)
        .map(|t| {
            let (h, m) = t.cst_hm();
            format!("{h:02}:{m:02}")
        })
        .unwrap_or_default()
}

fn by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// One application's facts, for both its applicant and its reviewers.
#[component]
fn BackfillFacts(b: Backfill) -> impl IntoView {
    let lang = use_lang();
    view! {
        <dl class="facts backfill-facts">
            <dt>{tr("backfill_activity")}</dt>
            <dd>{b.activity_title.clone()} " · " {b.org_name.clone()}</dd>
            <dt>{tr("backfill_times")}</dt>
            <dd>{span(&b.check_in, &b.check_out)}</dd>
            <dt>{tr("backfill_hours")}</dt>
            <dd>{move || crate::pages::records::hours_text(lang.get(), b.hours)}</dd>
            <dt>{tr("backfill_content")}</dt>
            <dd class="backfill-content">{b.content.clone()}</dd>
            <dt>{tr("backfill_evidence")}</dt>
            <dd>
                <ul class="backfill-evidence">
                    {b.evidence.into_iter().map(|f| {
                        let url = f.download_url.clone().unwrap_or_default();
                        view! {
                            <li>
                                <a href=url download=f.name.clone()>{f.name.clone()}</a>
                                <span class="muted">" " {size_label(f.size)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </dd>
        </dl>
    }
}

#[component]
pub fn MyBackfillsPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| {
            let lang = use_lang();
            // Bumped when an application is filed, so the list reloads.
            let version = RwSignal::new(0u32);
            view! {
                <section class="page narrow backfill-page">
                    <h1>{tr("backfill_title")}</h1>
                    <p>{move || t(lang.get(), "backfill_intro").replace("{days}", &BACKFILL_DAYS.to_string())}</p>
                    {if me.volunteer.is_some() {
                        view! { <BackfillForm version=version /> }.into_any()
                    } else {
                        view! { <p class="callout">{tr("backfill_volunteers_only")}</p> }.into_any()
                    }}
                    <MyBackfills version=version />
                    <p><A href=AppRoute::MyRecords.href()>{tr("my_records")}</A></p>
                </section>
            }.into_any()
        } />
    }
}

/// The caller's applications and where each stands.
#[component]
fn MyBackfills(version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let list = LocalResource::new(move || {
        version.track();
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).my_backfills().await }
    });
    view! {
        <section class="backfill-mine" aria-labelledby="backfill-mine-title">
            <h2 id="backfill-mine-title">{tr("backfill_mine")}</h2>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! { <p class="muted">{tr("backfill_none")}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="card-list" data-testid="my-backfills">
                        {l.items.into_iter().map(|b| {
                            let status = b.status;
                            let reason = b.reason.clone();
                            view! {
                                <li class="card">
                                    <span class="badge" class:warn=status == BackfillStatus::Refused>
                                        {move || status_label(lang.get(), status)}
                                    </span>
                                    <BackfillFacts b=b />
                                    {reason.map(|r| view! { <p class="notice">{tr("reason_prefix")} {r}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// The application form: organisation, activity and shift, times, what was done, and
/// evidence uploaded as it is chosen.
#[component]
fn BackfillForm(version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let org = RwSignal::new(String::new());
    let activity = RwSignal::new(String::new());
    let shift = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let evidence = RwSignal::new(Vec::<Attachment>::new());
    let error = RwSignal::new(None::<FormError>);
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let orgs = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).my_orgs().await }
    });
    let activities = LocalResource::new(move || {
        let org = org.get();
        async move {
            if org.is_empty() {
                return Ok(Vec::new());
            }
            let since = now().plus(-BACKFILL_DAYS * 24 * 3600).rfc3339_cst();
            api::org_activities_since(&org, &since)
                .await
                .map(|p| p.items)
        }
    });
    // The organisation's activities of the last 30 days and later (a listing's times may
    // lag an edit); the chosen one's shifts as they stand (its own page's data), past ones
    // only.
    let shifts = LocalResource::new(move || {
        let id = activity.get();
        async move {
            if id.is_empty() {
                return Ok::<Vec<Shift>, ApiError>(Vec::new());
            }
            let a = api::activity(&id).await?;
            let now = now();
            Ok(a.shifts
                .into_iter()
                .filter(|s| Timestamp::parse(&s.ends_at).is_ok_and(|e| e <= now))
                .collect())
        }
    });
    let chosen_shift = move || {
        let id = shift.get();
        shifts
            .get()
            .and_then(Result::ok)
            .and_then(|l| l.into_iter().find(|s| s.id == id))
    };
    // Choosing a shift fills in its times, to be narrowed to the hours served.
    Effect::new(move |_| {
        if let Some(s) = chosen_shift() {
            from.set(hm_of(&s.starts_at));
            to.set(hm_of(&s.ends_at));
        }
    });

    let add_evidence = move |ev: leptos::ev::Event| {
        let l = lang.get_untracked();
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        let act = activity.get_untracked();
        if act.is_empty() {
            error.set(Some(FormError::new(
                "activity",
                t(l, "backfill_choose_activity"),
            )));
            focus_field("activity");
            return;
        }
        if evidence.with_untracked(Vec::len) >= MAX_EVIDENCE {
            error.set(Some(FormError::new(
                "evidence",
                t(l, "backfill_evidence_full"),
            )));
            return;
        }
        let browser_type = file.type_();
        let req = UploadRequest {
            kind: AttachmentKind::Evidence.slug().to_string(),
            name: file.name(),
            content_type: if FileType::by_mime(&browser_type).is_some() {
                browser_type
            } else {
                String::new()
            },
            size: file.size() as u64,
        };
        if let Err(e) = req.validate() {
            error.set(Some(FormError::new(
                "evidence",
                rule_of(l, e.field).unwrap_or(e.reason),
            )));
            focus_field("evidence");
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        status.set(Some(t(l, "archive_uploading").to_string()));
        busy.set(true);
        spawn_local(async move {
            match upload(&token, &act, req, file).await {
                Ok(a) => {
                    status.set(Some(t(l, "archive_uploaded").replace("{name}", &a.name)));
                    evidence.update(|v| v.push(a));
                    error.set(None);
                }
                Err(e) => {
                    status.set(None);
                    error.set(Some(FormError::new("evidence", upload_error(l, &e))));
                }
            }
            if let Some(i) = input {
                i.set_value("");
            }
            busy.set(false);
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let need = |field: &str, key: &str| {
            error.set(Some(FormError::new(field, t(l, key))));
            focus_field(field);
        };
        if org.get_untracked().is_empty() {
            return need("org", "backfill_choose_org");
        }
        if activity.get_untracked().is_empty() {
            return need("activity", "backfill_choose_activity");
        }
        let Some(s) = chosen_shift() else {
            return need("shift_id", "backfill_choose_shift");
        };
        let req = BackfillRequest {
            shift_id: s.id.clone(),
            check_in: on_shift_day(&s.starts_at, &from.get_untracked()),
            check_out: on_shift_day(&s.starts_at, &to.get_untracked()),
            content: content.get_untracked(),
            evidence: evidence.with_untracked(|v| v.iter().map(|a| a.id.clone()).collect()),
        };
        // The same rules as the server's, before anything is sent.
        if let Err(e) = req.validate(now()) {
            let field = match e.field {
                "check_in" => "from",
                "check_out" => "to",
                f => f,
            };
            error.set(Some(FormError::new(
                field,
                format!("{} ({})", t(l, &format!("backfill_err_{field}")), e.reason),
            )));
            focus_field(field);
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        let org_id = org.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token).apply_backfill(&org_id, &req).await {
                Ok(_) => {
                    error.set(None);
                    status.set(Some(t(l, "backfill_sent").to_string()));
                    content.set(String::new());
                    evidence.set(Vec::new());
                    shift.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let mut fe = from_api(l, &e, &[]);
                    fe.field = match fe.field.as_str() {
                        "check_in" => "from".into(),
                        "check_out" => "to".into(),
                        _ => fe.field,
                    };
                    // The server's reason names what clashes: show it as it is.
                    if let ApiError::Api {
                        message,
                        field: Some(_),
                        ..
                    } = &e
                    {
                        fe.message = message.clone();
                    }
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };

    let field_error = move |field: &'static str| {
        move || {
            error.get().filter(|e| e.field == field).map(
                |e| view! { <p class="field-error" id=format!("f-{field}-err")>{e.message}</p> },
            )
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|e| e.field == field))
                .to_string()
        }
    };

    view! {
        <form class="form-stack backfill-form" on:submit=submit novalidate aria-labelledby="backfill-form-title">
            <h2 id="backfill-form-title">{tr("backfill_apply")}</h2>
            <FormAlert error=error />
            <div class="form-field">
                <label for="f-org">{tr("backfill_org")}</label>
                <select id="f-org" aria-invalid=invalid("org") prop:value=move || org.get()
                    on:change=move |ev| { org.set(event_target_value(&ev)); activity.set(String::new()); shift.set(String::new()); evidence.set(Vec::new()); }>
                    <option value="">{tr("backfill_choose_org")}</option>
                    {move || orgs.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .filter(|m| m.status == MemberStatus::Approved)
                        .map(|m| view! { <option value=m.org_id.clone()>{m.org_name.clone()}</option> })
                        .collect_view()}
                </select>
                {field_error("org")}
            </div>
            <div class="form-field">
                <label for="f-activity">{tr("backfill_activity")}</label>
                <select id="f-activity" aria-invalid=invalid("activity") prop:value=move || activity.get()
                    disabled=move || org.get().is_empty()
                    on:change=move |ev| { activity.set(event_target_value(&ev)); shift.set(String::new()); evidence.set(Vec::new()); }>
                    <option value="">{tr("backfill_choose_activity")}</option>
                    {move || activities.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|a| view! { <option value=a.id.clone()>{a.title.clone()}</option> })
                        .collect_view()}
                </select>
                {field_error("activity")}
            </div>
            <div class="form-field">
                <label for="f-shift_id">{tr("backfill_shift")}</label>
                <select id="f-shift_id" aria-invalid=invalid("shift_id") prop:value=move || shift.get()
                    disabled=move || activity.get().is_empty()
                    on:change=move |ev| shift.set(event_target_value(&ev))>
                    <option value="">{tr("backfill_choose_shift")}</option>
                    {move || shifts.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|s| view! { <option value=s.id.clone()>{span(&s.starts_at, &s.ends_at)}</option> })
                        .collect_view()}
                </select>
                {field_error("shift_id")}
            </div>
            <div class="backfill-times">
                <div class="form-field">
                    <label for="f-from">{tr("backfill_from")}</label>
                    <input id="f-from" type="time" aria-invalid=invalid("from") prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev)) />
                    {field_error("from")}
                </div>
                <div class="form-field">
                    <label for="f-to">{tr("backfill_to")}</label>
                    <input id="f-to" type="time" aria-invalid=invalid("to") prop:value=move || to.get()
                        on:input=move |ev| to.set(event_target_value(&ev)) />
                    {field_error("to")}
                </div>
            </div>
            <TextField field="content" label="backfill_content" value=content error=error multiline=true hint="backfill_content_hint" />
            <div class="form-field">
                <label for="f-evidence">{tr("backfill_evidence")}</label>
                <p class="hint" id="f-evidence-hint">{tr("backfill_evidence_hint")}</p>
                <input id="f-evidence" type="file" accept=accept_attribute()
                    aria-describedby="f-evidence-hint" aria-invalid=invalid("evidence")
                    disabled=move || busy.get() || activity.get().is_empty()
                    on:change=add_evidence />
                {field_error("evidence")}
                <ul class="backfill-evidence" aria-live="polite">
                    {move || evidence.get().into_iter().map(|a| {
                        let id = a.id.clone();
                        let label = format!("{} {}", t(lang.get_untracked(), "archive_remove"), a.name);
                        view! {
                            <li>
                                {a.name.clone()} <span class="muted">" " {size_label(a.size)}</span> " "
                                <button type="button" class="link" aria-label=label
                                    on:click=move |_| evidence.update(|v| v.retain(|x| x.id != id))>{tr("archive_remove")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <button type="submit" class="primary" data-testid="backfill-submit" disabled=move || busy.get()>
                {move || if busy.get() { tr("submitting")() } else { tr("backfill_submit")() }}
            </button>
            <p role="status" aria-live="polite">{move || status.get()}</p>
        </form>
    }
}

/// The organisation's queue for its organizers.
#[component]
pub fn OrgBackfillsPage() -> impl IntoView {
    let params = use_params_map();
    let org = move || params.with(|p| p.get("id").unwrap_or_default());
    view! {
        <SignedIn render=move |_me: Me| {
            let org_id = org();
            view! {
                <section class="page narrow backfill-page">
                    <h1>{tr("backfill_review_title")}</h1>
                    <p>{tr("backfill_review_intro")}</p>
                    <ReviewQueue org_id=org_id.clone() />
                    <p><A href=AppRoute::Org(org_id).href()>{tr("backfill_back_to_org")}</A></p>
                </section>
            }.into_any()
        } />
    }
}

#[component]
fn ReviewQueue(org_id: String) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let status = RwSignal::new(None::<String>);
    let org = StoredValue::new(org_id);
    let queue = LocalResource::new(move || {
        version.track();
        let token = session.token.get().unwrap_or_default();
        let org = org.get_value();
        async move { Authorized(&token).org_backfills(&org).await }
    });
    // The application whose refusal is being written, and the button to return focus to.
    let refusing = RwSignal::new(None::<(String, String)>);
    let approve = move |id: String, who: String| {
        let l = lang.get_untracked();
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token).approve_backfill(&id).await {
                Ok(_) => {
                    status.set(Some(t(l, "backfill_approved_msg").replace("{name}", &who)));
                    version.update(|v| *v += 1);
                }
                Err(e) => status.set(Some(e.message(l))),
            }
        });
    };
    view! {
        <p role="status" aria-live="polite" data-testid="backfill-review-status">{move || status.get()}</p>
        {move || match queue.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="muted">{tr("backfill_queue_empty")}</p> }.into_any(),
            Some(Ok(l)) => view! {
                <ul class="card-list" data-testid="backfill-queue">
                    {l.items.into_iter().map(|b| {
                        let (id, who) = (b.id.clone(), b.real_name.clone());
                        let refuse_id = format!("refuse-{}", b.id);
                        let heading = format!("{} · {}", b.real_name, b.volunteer_no);
                        let open = {
                            let (id, refuse_id) = (id.clone(), refuse_id.clone());
                            move |_| refusing.set(Some((id.clone(), refuse_id.clone())))
                        };
                        view! {
                            <li class="card backfill-card">
                                <h2 class="card-title">{heading}</h2>
                                <p class="muted">{tr("backfill_applied_at")} " " {when(&b.applied_at)}</p>
                                <BackfillFacts b=b />
                                <p class="actions">
                                    <button type="button" class="primary" data-testid="backfill-approve"
                                        on:click=move |_| approve(id.clone(), who.clone())>{tr("backfill_approve")}</button>
                                    <button type="button" id=refuse_id data-testid="backfill-refuse" on:click=open>{tr("backfill_refuse")}</button>
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        <RefuseDialog refusing=refusing status=status version=version />
    }
}

/// The refusal's reason, in a modal dialog: focus moves to the reason when it opens,
/// stays inside while it is open (Tab cycles), Escape or 取消 closes it, and focus
/// returns to the 拒绝 button it was opened from.
#[component]
fn RefuseDialog(
    refusing: RwSignal<Option<(String, String)>>,
    status: RwSignal<Option<String>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let close = move || {
        let back = refusing.get_untracked().map(|(_, b)| b);
        refusing.set(None);
        reason.set(String::new());
        error.set(None);
        if let Some(b) = back {
            request_animation_frame(move || {
                if let Some(el) = by_id(&b) {
                    let _ = el.focus();
                }
            });
        }
    };
    Effect::new(move |_| {
        if refusing.get().is_some() {
            request_animation_frame(|| focus_field("refuse_reason"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let Some((id, _)) = refusing.get_untracked() else {
            return;
        };
        if reason.get_untracked().trim().is_empty() {
            error.set(Some(FormError::new(
                "refuse_reason",
                t(l, "backfill_reason_required"),
            )));
            focus_field("refuse_reason");
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        let text = reason.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token).refuse_backfill(&id, &text).await {
                Ok(_) => {
                    status.set(Some(t(l, "backfill_refused_msg").to_string()));
                    refusing.set(None);
                    reason.set(String::new());
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    error.set(Some(FormError::new("refuse_reason", e.message(l))));
                    focus_field("refuse_reason");
                }
            }
            busy.set(false);
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
            return;
        }
        if ev.key() != "Tab" {
            return;
        }
        let active = document()
            .active_element()
            .map(|e| e.id())
            .unwrap_or_default();
        let target = match (ev.shift_key(), active.as_str()) {
            (false, "refuse-cancel") => "f-refuse_reason",
            (true, "f-refuse_reason") => "refuse-cancel",
            _ => return,
        };
        if let Some(el) = by_id(target) {
            ev.prevent_default();
            let _ = el.focus();
        }
    };
    move || {
        refusing.get().is_some().then(|| view! {
            <div class="recheck-backdrop">
                <div class="recheck-dialog backfill-dialog" role="dialog" aria-modal="true"
                    aria-labelledby="refuse-title" data-testid="refuse-dialog" on:keydown=on_key>
                    <h2 id="refuse-title">{tr("backfill_refuse_title")}</h2>
                    <form class="form-stack" on:submit=submit novalidate>
                        <TextField field="refuse_reason" label="backfill_reason" value=reason error=error multiline=true />
                        <div class="recheck-actions">
                            <button type="submit" class="primary" data-testid="refuse-submit" disabled=move || busy.get()>
                                {tr("backfill_refuse")}
                            </button>
                            <button type="button" class="link" id="refuse-cancel" on:click=move |_| close()>
                                {tr("recheck_cancel")}
                            </button>
                        </div>
                    </form>
                </div>
            </div>
        })
    }
}
