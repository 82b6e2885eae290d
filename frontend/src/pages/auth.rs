//! Sign in (by password or by a code sent to the phone; a region admin by the password and
//! then a code) and register (the phone proved by a code).

use crate::api;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, from_api,
};
use crate::components::send_code::{CodeVia, SendCodeButton, check_code_input, code_form_error};
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::{ENDED_IDLE, ENDED_QUERY, NEXT_QUERY, after_sign_in, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use zhiyuan_shared::account::{LoginRequest, RegisterRequest};
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::identity::Phone;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // 密码登录 or 验证码登录.
    let by_code = RwSignal::new(false);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    // A region admin's second step: the password was right and a code is on its way.
    let second_step = RwSignal::new(false);
    let query = use_query_map();
    let ended = move || query.with(|q| q.get(ENDED_QUERY).is_some_and(|v| v == ENDED_IDLE));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        if Phone::parse(&phone.get_untracked()).is_err() {
            error.set(Some(FormError::new("phone", field_message(l, "phone"))));
            focus_field("phone");
            return;
        }
        let second = second_step.get_untracked();
        let with_code = by_code.get_untracked() || second;
        if with_code && let Err(fe) = check_code_input(l, &code.get_untracked()) {
            error.set(Some(fe));
            focus_field("code");
            return;
        }
        let req = LoginRequest {
            phone: phone.get_untracked(),
            password: if with_code && !second {
                String::new()
            } else {
                password.get_untracked()
            },
            code: with_code.then(|| code.get_untracked()),
        };
        busy.set(true);
        let navigate = navigate.clone();
        let next = query.with_untracked(|q| q.get(NEXT_QUERY));
        spawn_local(async move {
            match api::login(&req).await {
                Ok(r) => {
                    error.set(None);
                    session.sign_in(r.token, Some(r.user));
                    navigate(&after_sign_in(next), Default::default());
                }
                Err(e) if e.code() == Some("second_factor_required") => {
                    error.set(None);
                    code.set(String::new());
                    second_step.set(true);
                    request_animation_frame(|| focus_field("code"));
                }
                Err(e) if e.code() == Some("password_required") => {
                    // An admin signs in with the password, then a code.
                    by_code.set(false);
                    error.set(Some(FormError::new("password", e.message(l))));
                    request_animation_frame(|| focus_field("password"));
                }
                Err(e) if with_code && e.code() == Some("unauthorized") => {
                    error.set(Some(FormError::new("code", t(l, "err_sms_code"))));
                    focus_field("code");
                }
                Err(e) => error.set(Some(code_form_error(l, &e))),
            }
            busy.set(false);
        });
    };
    let switch = move |to_code: bool| {
        by_code.set(to_code);
        second_step.set(false);
        error.set(None);
    };
    let back = move |_| {
        second_step.set(false);
        error.set(None);
        request_animation_frame(|| focus_field("password"));
    };
    view! {
        <section class="page narrow">
            <h1>{tr("login_title")}</h1>
            {move || ended().then(|| view! {
                <p class="notice session-ended" role="status" data-testid="session-ended">
                    {tr("login_ended_idle")}
                </p>
            })}
            // The second step has one way on: the code (its "back" link returns here).
            {move || (!second_step.get()).then(|| view! {
                <fieldset class="segmented login-mode">
                    <legend class="visually-hidden">{tr("login_mode")}</legend>
                    <label><input type="radio" name="login-mode" data-testid="login-by-password"
                        checked=move || !by_code.get() on:change=move |_| switch(false) />{tr("login_by_password")}</label>
                    <label><input type="radio" name="login-mode" data-testid="login-by-code"
                        checked=move || by_code.get() on:change=move |_| switch(true) />{tr("login_by_code")}</label>
                </fieldset>
            })}
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="phone" label="phone" value=phone error=error input_type="tel"
                    autocomplete="tel" inputmode="numeric" hint="phone_hint" />
                {move || if second_step.get() {
                    view! {
                        <p class="notice second-factor" role="status" data-testid="second-factor">
                            {tr("login_second_step")}
                        </p>
                        <SendCodeButton phone=phone purpose=CodePurpose::SecondFactor error=error
                            via=CodeVia::SecondFactor { password } started=true />
                        <TextField field="code" label="sms_code" value=code error=error
                            autocomplete="one-time-code" inputmode="numeric" hint="sms_code_hint" />
                        <button type="button" class="link" on:click=back>{tr("login_second_back")}</button>
                    }.into_any()
                } else if by_code.get() {
                    view! {
                        <SendCodeButton phone=phone purpose=CodePurpose::Login error=error />
                        <TextField field="code" label="sms_code" value=code error=error
                            autocomplete="one-time-code" inputmode="numeric" hint="sms_code_hint" />
                    }.into_any()
                } else {
                    view! {
                        <TextField field="password" label="password" value=password error=error
                            input_type="password" autocomplete="current-password" />
                    }.into_any()
                }}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("login_submit")() }}
                </button>
            </form>
            <p><A href=AppRoute::Reset.href() attr:data-testid="forgot-password">{tr("forgot_password")}</A></p>
            <p><A href=AppRoute::Takeover.href() attr:data-testid="takeover-link">{tr("takeover_link")}</A></p>
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
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let req = RegisterRequest {
            phone: phone.get_untracked(),
            code: code.get_untracked(),
            password: password.get_untracked(),
            display_name: name.get_untracked(),
        };
        // The same rules the server applies, checked first so the message is translated.
        if let Err(e) = req.validate() {
            let fe = if e.field == "code" {
                FormError::new("code", t(l, "err_sms_code"))
            } else {
                FormError::new(e.field, field_message(l, e.field))
            };
            focus_field(&fe.field);
            error.set(Some(fe));
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
                    let fe = if e.field() == Some("code") {
                        code_form_error(l, &e)
                    } else {
                        from_api(l, &e, &[("phone_taken", "phone")])
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
            <h1>{tr("register_title")}</h1>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="phone" label="phone" value=phone error=error input_type="tel"
                    autocomplete="tel" inputmode="numeric" hint="phone_hint" />
                <SendCodeButton phone=phone purpose=CodePurpose::Register error=error />
                <TextField field="code" label="sms_code" value=code error=error
                    autocomplete="one-time-code" inputmode="numeric" hint="sms_code_hint" />
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
