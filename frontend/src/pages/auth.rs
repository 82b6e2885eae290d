//! Sign in and register.

use crate::api;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, from_api,
};
use crate::i18n::{tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use zhiyuan_shared::account::{LoginRequest, RegisterRequest};
use zhiyuan_shared::identity::Phone;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if Phone::parse(&phone.get_untracked()).is_err() {
            error.set(Some(FormError::new(
                "phone",
                field_message(lang.get_untracked(), "phone"),
            )));
            focus_field("phone");
            return;
        }
        let req = LoginRequest {
            phone: phone.get_untracked(),
            password: password.get_untracked(),
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(&req).await {
                Ok(r) => {
                    error.set(None);
                    session.sign_in(r.token, Some(r.user));
                    navigate(&AppRoute::Me.href(), Default::default());
                }
                Err(e) => error.set(Some(from_api(lang.get_untracked(), &e, &[]))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("login_title")}</h1>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="phone" label="phone" value=phone error=error input_type="tel"
                    autocomplete="tel" inputmode="numeric" hint="phone_hint" />
                <TextField field="password" label="password" value=password error=error
                    input_type="password" autocomplete="current-password" />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("login_submit")() }}
                </button>
            </form>
            <p>{tr("no_account")} " " <A href=AppRoute::Register.href()>{tr("nav_register")}</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = RegisterRequest {
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            display_name: name.get_untracked(),
        };
        // The same rules the server applies, checked first so the message is translated.
        if let Err(e) = req.validate() {
            error.set(Some(FormError::new(
                e.field,
                field_message(lang.get_untracked(), e.field),
            )));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(&req).await {
                Ok(r) => {
                    error.set(None);
                    session.sign_in(r.token, None);
                    navigate(&AppRoute::Me.href(), Default::default());
                }
                Err(e) => {
                    let fe = from_api(lang.get_untracked(), &e, &[("phone_taken", "phone")]);
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("register_title")}</h1>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="phone" label="phone" value=phone error=error input_type="tel"
                    autocomplete="tel" inputmode="numeric" hint="phone_hint" />
                <TextField field="password" label="password" value=password error=error
                    input_type="password" autocomplete="new-password" hint="password_hint" />
                <TextField field="display_name" label="display_name" value=name error=error
                    autocomplete="nickname" />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("register_submit")() }}
                </button>
            </form>
            <p>{tr("have_account")} " " <A href=AppRoute::Login.href()>{tr("nav_login")}</A></p>
        </section>
    }
}
