//! 代注册: a station manager or an organizer registers an older resident who has no
//! smartphone — with the code the resident reads out from their phone, or on signed
//! paper consent — and sees what the resident can do next.

use crate::api::Authorized;
use crate::components::form::{
    CheckboxGroup, FormAlert, FormError, RegionSelect, TextField, field_message, focus_field,
    from_api,
};
use crate::components::send_code::{CodeVia, SendCodeButton};
use crate::components::signed_in::SignedIn;
use crate::components::time::today;
use crate::i18n::{field_label, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::{Me, ServiceField};
use zhiyuan_shared::assisted::{AssistedRegistration, AssistedRegistrationRequest};
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::identity::IdNumber;

#[component]
pub fn AssistedPage() -> impl IntoView {
    let session = use_session();
    view! {
        <SignedIn render=move |_: Me| {
            if session.may_assist() {
                view! { <AssistedForm /> }.into_any()
            } else {
                view! {
                    <section class="page narrow">
                        <h1>{tr("assisted_title")}</h1>
                        <p role="alert">{tr("assisted_not_allowed")}</p>
                    </section>
                }
                .into_any()
            }
        } />
    }
}

#[component]
fn AssistedForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let display_name = RwSignal::new(String::new());
    let real_name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let fields = RwSignal::new(Vec::<String>::new());
    let has_phone = RwSignal::new(true);
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let paper_consent = RwSignal::new(false);
    let consent_note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<(AssistedRegistration, bool)>);
    let regions_res = LocalResource::new(crate::api::regions);
    let regions = Signal::derive(move || {
        regions_res
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect::<Vec<_>>()
    });
    let start_over = move |_| {
        for s in [
            display_name,
            real_name,
            id_number,
            phone,
            code,
            consent_note,
        ] {
            s.set(String::new());
        }
        consent.set(false);
        paper_consent.set(false);
        error.set(None);
        done.set(None);
        focus_field("display_name");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let with_phone = has_phone.get_untracked();
        let req = AssistedRegistrationRequest {
            display_name: display_name.get_untracked(),
            real_name: real_name.get_untracked(),
            id_number: id_number.get_untracked(),
            region_code: region.get_untracked(),
            service_fields: fields.get_untracked(),
            phone: with_phone.then(|| phone.get_untracked()),
            code: with_phone.then(|| code.get_untracked()),
            consent: consent.get_untracked(),
            paper_consent: !with_phone && paper_consent.get_untracked(),
            consent_note: if with_phone {
                String::new()
            } else {
                consent_note.get_untracked()
            },
        };
        if let Err(e) = req.validate(today()) {
            let message = match (e.field, IdNumber::parse(&req.id_number, today())) {
                ("id_number", Err(id_err)) => crate::pages::me::id_message(l, &id_err),
                ("id_number", Ok(_)) => t(l, "err_assisted_adult").to_string(),
                ("code", _) => t(l, "err_sms_code").to_string(),
                (f, _) => field_message(l, f),
            };
            error.set(Some(FormError::new(e.field, message)));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token).register_resident(&req).await {
                Ok(r) => {
                    error.set(None);
                    done.set(Some((r, with_phone)));
                    // Once the success view is drawn, so a screen reader lands on it.
                    request_animation_frame(|| focus_field("assisted-done"));
                }
                Err(e) => {
                    let fe = if e.field() == Some("code") {
                        FormError::new("code", t(l, "err_sms_code"))
                    } else {
                        from_api(
                            l,
                            &e,
                            &[("id_number_taken", "id_number"), ("phone_taken", "phone")],
                        )
                    };
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    let form = move || {
        view! {
            <form class="form-stack assisted-form" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="display_name" label="assisted_display_name" value=display_name error=error
                    hint="assisted_display_name_hint" />
                <TextField field="real_name" label="real_name" value=real_name error=error />
                <TextField field="id_number" label="id_number" value=id_number error=error hint="id_number_hint" />
                <RegionSelect field="region_code" label="org_region" value=region error=error regions=regions />
                <CheckboxGroup field="service_fields" legend="service_fields" options=ServiceField::ALL
                    label=field_label slug=ServiceField::slug chosen=fields error=error />
                <fieldset class="form-field assisted-phone-choice">
                    <legend>{tr("assisted_phone_legend")}</legend>
                    <label class="check">
                        <input type="radio" name="assisted-phone" id="f-has_phone" data-testid="assisted-with-phone"
                            prop:checked=move || has_phone.get()
                            on:change=move |_| has_phone.set(true) />
                        <span>{tr("assisted_with_phone")}</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="assisted-phone" data-testid="assisted-without-phone"
                            prop:checked=move || !has_phone.get()
                            on:change=move |_| has_phone.set(false) />
                        <span>{tr("assisted_without_phone")}</span>
                    </label>
                </fieldset>
                <Show when=move || has_phone.get()
                    fallback=move || view! {
                        <div class="form-field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "paper_consent"))>
                            <label class="check consent">
                                <input type="checkbox" id="f-paper_consent"
                                    aria-describedby="f-paper_consent-err"
                                    prop:checked=move || paper_consent.get()
                                    on:change=move |ev| paper_consent.set(event_target_checked(&ev)) />
                                <span>{tr("assisted_paper_consent")}</span>
                            </label>
                            <p class="field-error" id="f-paper_consent-err"
                                hidden=move || error.with(|e| e.as_ref().is_none_or(|e| e.field != "paper_consent"))>
                                {move || error.get().filter(|e| e.field == "paper_consent").map(|e| e.message).unwrap_or_default()}
                            </p>
                        </div>
                        <TextField field="consent_note" label="assisted_consent_note" value=consent_note error=error
                            hint="assisted_consent_note_hint" />
                    }>
                    <TextField field="phone" label="assisted_phone" value=phone error=error input_type="tel"
                        inputmode="numeric" hint="phone_hint" />
                    <SendCodeButton phone=phone purpose=CodePurpose::AssistedRegister error=error via=CodeVia::Assisted />
                    <TextField field="code" label="assisted_code" value=code error=error
                        autocomplete="one-time-code" inputmode="numeric" hint="assisted_code_hint" />
                </Show>
                <div class="form-field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "consent"))>
                    <label class="check consent">
                        <input type="checkbox" id="f-consent" aria-describedby="f-consent-err"
                            prop:checked=move || consent.get()
                            on:change=move |ev| consent.set(event_target_checked(&ev)) />
                        <span>{tr("assisted_consent")}</span>
                    </label>
                    <p class="field-error" id="f-consent-err"
                        hidden=move || error.with(|e| e.as_ref().is_none_or(|e| e.field != "consent"))>
                        {move || error.get().filter(|e| e.field == "consent").map(|e| e.message).unwrap_or_default()}
                    </p>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("assisted_submit")() }}
                </button>
            </form>
        }
    };
    view! {
        <section class="page narrow">
            <h1>{tr("assisted_title")}</h1>
            <p class="muted">{tr("assisted_intro")}</p>
            {move || match done.get() {
                None => form().into_any(),
                Some((r, with_phone)) => view! {
                    <div class="assisted-done" data-testid="assisted-done">
                        <h2 id="f-assisted-done" tabindex="-1" role="status">{tr("assisted_done_title")}</h2>
                        <dl class="assisted-facts">
                            <dt>{tr("assisted_display_name")}</dt><dd>{r.display_name.clone()}</dd>
                            <dt>{tr("volunteer_no")}</dt><dd data-testid="assisted-volunteer-no">{r.volunteer_no.clone()}</dd>
                            <dt>{tr("assisted_phone")}</dt>
                            <dd>{r.phone_masked.clone().unwrap_or_else(|| t(lang.get_untracked(), "assisted_no_phone").to_string())}</dd>
                        </dl>
                        <h3>{tr("assisted_next_title")}</h3>
                        {if with_phone {
                            view! {
                                <ul class="assisted-next">
                                    <li>{tr("assisted_next_takeover")}</li>
                                    <li>{tr("assisted_next_code_login")}</li>
                                    <li>{tr("assisted_next_helper")}</li>
                                </ul>
                            }.into_any()
                        } else {
                            view! {
                                <ul class="assisted-next">
                                    <li>{tr("assisted_next_no_phone")}</li>
                                    <li>{tr("assisted_next_keep_paper")}</li>
                                </ul>
                            }.into_any()
                        }}
                        <p class="assisted-actions">
                            <button type="button" class="primary" on:click=start_over>{tr("assisted_another")}</button>
                            " "
                            <A href=AppRoute::Me.href()>{tr("nav_me")}</A>
                        </p>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
