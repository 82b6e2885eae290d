//! 忘记密码: phone → code → new password; every other session ends and this device is
//! signed in. 接管代注册账户 is the same form: an account a helper registered has no
//! password until its owner sets one this way, which marks it taken over.

use crate::api;
use crate::components::form::{FormAlert, FormError, TextField, field_message, focus_field};
use crate::components::send_code::{SendCodeButton, code_form_error};
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use zhiyuan_shared::codes::{CodePurpose, ResetRequest};

#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <ResetForm takeover=false /> }
}

/// 接管代注册账户: reached from the login page.
#[component]
pub fn TakeoverPage() -> impl IntoView {
    view! { <ResetForm takeover=true /> }
}

#[component]
fn ResetForm(takeover: bool) -> impl IntoView {
    let (title, explained) = if takeover {
        ("takeover_title", "takeover_explained")
    } else {
        ("reset_title", "reset_explained")
    };
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let req = ResetRequest {
            phone: phone.get_untracked(),
            code: code.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        if let Err(e) = req.validate() {
            let fe = match e.field {
                "code" => FormError::new("code", t(l, "err_sms_code")),
                "new_password" => FormError::new("new_password", field_message(l, "new_password")),
                f => FormError::new(f, field_message(l, f)),
            };
            focus_field(&fe.field);
            error.set(Some(fe));
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::reset_password(&req).await {
                Ok(r) => {
                    error.set(None);
                    session.sign_in(r.token, Some(r.user));
                    navigate(&AppRoute::Me.href(), Default::default());
                }
                Err(e) => {
                    let fe = if e.field() == Some("new_password") {
                        FormError::new("new_password", t(l, "err_new_password_same"))
                    } else {
                        code_form_error(l, &e)
                    };
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr(title)}</h1>
            <p class="muted">{tr(explained)}</p>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="phone" label="phone" value=phone error=error input_type="tel"
                    autocomplete="tel" inputmode="numeric" hint="phone_hint" />
                <SendCodeButton phone=phone purpose=CodePurpose::Reset error=error />
                <TextField field="code" label="sms_code" value=code error=error
                    autocomplete="one-time-code" inputmode="numeric" hint="sms_code_hint" />
                <TextField field="new_password" label="new_password" value=new_password error=error
                    input_type="password" autocomplete="new-password" hint="password_hint" />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("reset_submit")() }}
                </button>
            </form>
            <p><A href=AppRoute::Login.href()>{tr("back_to_login")}</A></p>
        </section>
    }
}
