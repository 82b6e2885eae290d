//! ID number already taken (身份证被占用): the real owner files an appeal with a photo of
//! the ID card and follows it; the region admin's queue shows the photo and decides.

use crate::api::{self, ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, from_api,
};
use crate::components::names::RegionName;
use crate::components::signed_in::SignedIn;
use crate::components::time::{today, when};
use crate::i18n::{Lang, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::appeal::{
    AppealDecision, AppealPhotoRequest, AppealRequest, AppealStatus, IdentityAppeal,
};
use zhiyuan_shared::archive::FileType;

fn status_label(lang: Lang, s: AppealStatus) -> &'static str {
    t(
        lang,
        match s {
            AppealStatus::Pending => "appeal_status_pending",
            AppealStatus::Approved => "appeal_status_approved",
            AppealStatus::Refused => "appeal_status_refused",
            AppealStatus::Withdrawn => "appeal_status_withdrawn",
        },
    )
}

thread_local! {
    /// The name and ID number typed on the real-name form, carried to the appeal form in
    /// memory only (never into storage or the URL), so they are not typed twice.
    static CARRIED: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// Hands the real-name form's name and ID number to the appeal form.
pub fn carry_over(real_name: String, id_number: String) {
    CARRIED.with(|c| *c.borrow_mut() = Some((real_name, id_number)));
}

/// What the appellant's bad field means, in their words.
fn appeal_field_message(lang: Lang, field: &str) -> String {
    match field {
        "photo_id" | "photo" => t(lang, "err_photo_id").to_string(),
        f => field_message(lang, f),
    }
}

#[component]
pub fn AppealPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| view! {
            <section class="page narrow appeal-page">
                <h1>{tr("appeal_title")}</h1>
                <p>{tr("appeal_intro")}</p>
                <MyAppeals />
                {match me.volunteer {
                    Some(_) => view! { <p class="callout" role="status">{tr("appeal_already_volunteer")}</p> }.into_any(),
                    None => view! { <AppealForm /> }.into_any(),
                }}
                <p><A href=AppRoute::Me.href()>{tr("nav_me")}</A></p>
            </section>
        }.into_any() />
    }
}

/// The caller's appeals and where each stands.
#[component]
fn MyAppeals() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let list = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).my_appeals().await }
    });
    view! {
        {move || match list.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => ().into_any(),
            Some(Ok(l)) => view! {
                <h2>{tr("appeal_mine")}</h2>
                <ul class="card-list appeal-list" data-testid="my-appeals">
                    {l.items.into_iter().map(|a| {
                        let status = a.status;
                        view! {
                            <li class="card">
                                <span class=format!("badge appeal-{}", status.slug())>{move || status_label(lang.get(), status)}</span>
                                " " <span class="pii">{a.id_number_masked.clone()}</span>
                                <span class="muted">" · " {when(&a.filed_at)}</span>
                                {a.verdict.clone().map(|v| view! {
                                    <p>
                                        {v.reason.clone().map(|r| view! { {tr("reason_prefix")} {r} })}
                                        {v.approved.then(|| view! { {tr("appeal_moved_hours")} " " {v.hours_moved} " " {tr("hours")} })}
                                    </p>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// The photo's file input, read when the form is sent.
fn chosen_photo() -> Option<web_sys::File> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("f-photo_id"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

/// Uploads the photo, then files the appeal naming it.
async fn send_appeal(
    token: &str,
    mut req: AppealRequest,
    file: web_sys::File,
    photo: AppealPhotoRequest,
) -> Result<IdentityAppeal, ApiError> {
    let api = Authorized(token);
    let ticket = api.appeal_photo(&photo).await?;
    api::put_file(&ticket.upload, &file).await?;
    req.photo_id = ticket.photo_id;
    api.file_appeal(&req).await
}

#[component]
fn AppealForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (name0, id0) = CARRIED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    let real_name = RwSignal::new(name0);
    let id_number = RwSignal::new(id0);
    let reason = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let filed = RwSignal::new(None::<IdentityAppeal>);
    let photo_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == "photo_id")
                .map(|e| e.message.clone())
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let fail = |field: &str, message: String| {
            error.set(Some(FormError::new(field, message)));
            focus_field(field);
        };
        let file = chosen_photo();
        let req = AppealRequest {
            real_name: real_name.get_untracked(),
            id_number: id_number.get_untracked(),
            // Named once the photo is uploaded; the other fields are checked first.
            photo_id: if file.is_some() {
                "-".into()
            } else {
                String::new()
            },
            reason: reason.get_untracked(),
            consent: consent.get_untracked(),
        };
        if let Err(e) = req.validate(today()) {
            fail(e.field, appeal_field_message(l, e.field));
            return;
        }
        let Some(file) = file else { return };
        let browser_type = file.type_();
        let photo = AppealPhotoRequest {
            name: file.name(),
            content_type: if FileType::by_mime(&browser_type).is_some() {
                browser_type
            } else {
                String::new()
            },
            size: file.size() as u64,
        };
        if let Err(e) = photo.validate() {
            let rule = t(l, &format!("err_upload_{}", e.field));
            fail("photo_id", format!("{} {}", t(l, "err_photo_id"), rule));
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match send_appeal(&token, req, file, photo).await {
                Ok(a) => {
                    error.set(None);
                    filed.set(Some(a));
                }
                Err(e) => {
                    let fe = match e.field() {
                        Some("photo_id" | "name" | "content_type" | "size") => FormError::new(
                            "photo_id",
                            format!("{} ({})", t(l, "err_photo_id"), e.message(l)),
                        ),
                        _ => from_api(l, &e, &[]),
                    };
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    view! {
        {move || match filed.get() {
            Some(a) => view! {
                <p class="notice success" role="status" data-testid="appeal-filed">
                    {tr("appeal_filed")} " " <span class="pii">{a.id_number_masked.clone()}</span>
                </p>
            }.into_any(),
            None => view! {
                <form class="form-stack" on:submit=submit novalidate>
                    <FormAlert error=error />
                    <TextField field="real_name" label="real_name" value=real_name error=error autocomplete="name" />
                    <TextField field="id_number" label="id_number" value=id_number error=error hint="id_number_hint" />
                    <div class="form-field" class:invalid=move || photo_error.with(Option::is_some)>
                        <label for="f-photo_id">{tr("appeal_photo")}</label>
                        <p class="hint" id="f-photo_id-hint">{tr("appeal_photo_hint")}</p>
                        <input id="f-photo_id" type="file" accept="image/jpeg,image/png,image/webp,image/heic"
                            aria-describedby="f-photo_id-hint f-photo_id-err"
                            aria-invalid=move || photo_error.with(Option::is_some).to_string() />
                        <p class="field-error" id="f-photo_id-err" hidden=move || photo_error.with(Option::is_none)>
                            {move || photo_error.get().unwrap_or_default()}
                        </p>
                    </div>
                    <TextField field="reason" label="appeal_reason" value=reason error=error hint="appeal_reason_hint" multiline=true />
                    <div class="form-field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "consent"))>
                        <label class="check consent">
                            <input type="checkbox" id="f-consent" prop:checked=move || consent.get()
                                on:change=move |ev| consent.set(event_target_checked(&ev)) />
                            <span>{tr("appeal_consent")}</span>
                        </label>
                        {move || error.get().filter(|e| e.field == "consent").map(|e| view! { <p class="field-error">{e.message}</p> })}
                    </div>
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { tr("submitting")() } else { tr("appeal_submit")() }}
                    </button>
                </form>
            }.into_any(),
        }}
    }
}

/// A region admin's pending appeals, each with the ID card photo and a decision.
#[component]
pub fn AppealQueue(scope: String) -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let s = scope.clone();
    let queue = LocalResource::new(move || {
        version.track();
        let token = session.token.get().unwrap_or_default();
        let s = s.clone();
        async move { Authorized(&token).pending_appeals(&s).await }
    });
    view! {
        <h2>{tr("appeal_queue")} " · " {tr("admin_scope")} " " <RegionName code=scope.clone() /></h2>
        {move || match queue.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="muted">{tr("appeal_queue_empty")}</p> }.into_any(),
            Some(Ok(l)) => view! {
                <ul class="card-list appeal-queue" data-testid="appeal-queue">
                    {l.items.into_iter().map(|a| view! { <AppealCard appeal=a version=version /> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn AppealCard(appeal: IdentityAppeal, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(appeal.id.clone());
    let reason_id = format!("f-appeal-reason-{}", appeal.id);
    let decide = move |approve: bool| {
        let l = lang.get_untracked();
        let decision = AppealDecision {
            approve,
            reason: reason.get_untracked(),
        };
        if decision.validate().is_err() {
            status.set(Some(t(l, "appeal_refuse_needs_reason").to_string()));
            focus_field(&format!("appeal-reason-{}", id.get_value()));
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token)
                .decide_appeal(&id.get_value(), &decision)
                .await
            {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => status.set(Some(e.message(l))),
            }
            busy.set(false);
        });
    };
    let photo_alt = format!(
        "{} {}",
        t(lang.get_untracked(), "appeal_photo"),
        appeal.real_name
    );
    view! {
        <li class="card appeal-card">
            {appeal.photo_url.clone().map(|u| view! {
                <img class="appeal-photo" src=u alt=photo_alt />
            })}
            <dl class="facts">
                <dt>{tr("real_name")}</dt><dd>{appeal.real_name.clone()}</dd>
                <dt>{tr("id_number")}</dt><dd class="pii">{appeal.id_number_masked.clone()}</dd>
                <dt>{tr("appeal_appellant_phone")}</dt><dd class="pii">{appeal.appellant_phone_masked.clone().unwrap_or_default()}</dd>
                <dt>{tr("appeal_holder_phone")}</dt><dd class="pii">{appeal.holder_phone_masked.clone().unwrap_or_default()}</dd>
                <dt>{tr("volunteer_no")}</dt><dd>{appeal.holder_volunteer_no.clone().unwrap_or_default()}</dd>
                <dt>{tr("total_hours")}</dt><dd>{appeal.holder_hours.unwrap_or_default()} " " {tr("hours")}</dd>
                <dt>{tr("appeal_reason")}</dt><dd class="appeal-text">{appeal.reason.clone()}</dd>
                <dt>{tr("appeal_filed_at")}</dt><dd>{when(&appeal.filed_at)}</dd>
            </dl>
            <div class="form-field">
                <label for=reason_id.clone()>{tr("appeal_decision_reason")}</label>
                <textarea id=reason_id rows="2" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <div class="actions">
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| decide(true)>{tr("appeal_approve")}</button>
                <button type="button" disabled=move || busy.get() on:click=move |_| decide(false)>{tr("appeal_refuse")}</button>
            </div>
            <p role="status" aria-live="polite">{move || status.get()}</p>
        </li>
    }
}
