//! The guardian-consent form a volunteer aged 14 to 17 fills in once, when signing up
//! first meets `guardian_consent_required` (志愿服务条例 Art. 14).

use crate::api::Authorized;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, from_api,
};
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::guardian::GuardianConsentRequest;

/// The form's own name for a field the API names.
fn local_field(api_field: &str) -> &'static str {
    match api_field {
        "name" => "guardian.name",
        "phone" => "guardian.phone",
        "relationship" => "guardian.relation",
        "consent" => "guardian_consent",
        _ => "_form",
    }
}

/// Asks for the guardian's name, phone and relationship and their consent; `on_saved`
/// runs once it is on record (the caller then retries the sign-up), `on_cancel` when the
/// volunteer closes the form.
#[component]
pub fn GuardianConsentForm(on_saved: Callback<()>, on_cancel: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let relation = RwSignal::new(String::new());
    let agreed = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let req = GuardianConsentRequest {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            relationship: relation.get_untracked(),
            consent: agreed.get_untracked(),
        };
        if let Err(e) = req.validate() {
            let f = local_field(e.field);
            error.set(Some(FormError::new(f, field_message(l, f))));
            focus_field(f);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token).guardian_consent(&req).await {
                Ok(_) => {
                    error.set(None);
                    session.refresh();
                    on_saved.run(());
                }
                Err(e) => {
                    let mut fe = from_api(l, &e, &[]);
                    if let Some(f) = e.field() {
                        fe.field = local_field(f).to_string();
                    }
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    // The form opens in answer to a tap elsewhere: take keyboard and screen-reader focus
    // to its first field.
    Effect::new(move |_| focus_field("guardian.name"));
    let consent_invalid =
        move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "guardian_consent"));
    view! {
        <form class="guardian-consent form-stack" on:submit=submit novalidate
            aria-labelledby="guardian-consent-title" data-testid="guardian-consent-form">
            <h3 id="guardian-consent-title">{tr("guardian_consent_title")}</h3>
            <p class="hint">{tr("guardian_consent_intro")}</p>
            <FormAlert error=error />
            <TextField field="guardian.name" label="guardian_name" value=name error=error autocomplete="off" />
            <TextField field="guardian.phone" label="guardian_phone" value=phone error=error input_type="tel" inputmode="numeric" />
            <TextField field="guardian.relation" label="guardian_relation" value=relation error=error hint="guardian_relation_hint" />
            <div class="form-field" class:invalid=consent_invalid>
                <label class="check">
                    <input type="checkbox" id="f-guardian_consent" prop:checked=move || agreed.get()
                        aria-invalid=move || consent_invalid().to_string()
                        on:change=move |ev| {
                            agreed.set(event_target_checked(&ev));
                            if consent_invalid() {
                                error.set(None);
                            }
                        } />
                    <span>{tr("guardian_consent_check")}</span>
                </label>
                {move || error.get().filter(|e| e.field == "guardian_consent").map(|e| view! { <p class="field-error">{e.message}</p> })}
            </div>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("guardian_consent_submit")() }}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{tr("guardian_consent_cancel")}</button>
            </div>
        </form>
    }
}
