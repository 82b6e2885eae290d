//! 我的账号: change the password, download my data (我的数据), close the account (注销账号).

use crate::api::{ApiError, Authorized};
use crate::components::closed::CLOSED_QUERY;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, from_api,
};
use crate::components::recheck::{use_recheck, with_recheck};
use crate::components::send_code::{CodeVia, SendCodeButton, check_code_input, code_form_error};
use crate::components::signed_in::SignedIn;
use crate::components::time::today;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::my_account::{ChangePasswordRequest, CloseRequest, export_file_name};

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| view! {
            <section class="page narrow account-page">
                <h1 data-testid="account-title">{tr("account_title")}</h1>
                <p><A href=AppRoute::Me.href()>{tr("account_back")}</A></p>
                <ChangePassword />
                <MyData />
                <crate::pages::audit::MyDataViews />
                <CloseAccount phone_masked=me.phone_masked.clone() />
            </section>
        }.into_any() />
    }
}

/// A wrong password answers 400 on the password field: say so plainly.
fn recheck_error(lang: Lang, e: &ApiError, field: &str) -> FormError {
    match e {
        ApiError::Api {
            status: 400,
            field: Some(f),
            ..
        } if f == field => FormError::new(field, t(lang, "account_password_wrong")),
        ApiError::Api { status: 429, .. } => FormError::new("_form", e.message(lang)),
        _ => from_api(lang, e, &[]),
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        done.set(false);
        let req = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        if let Err(e) = req.validate() {
            error.set(Some(FormError::new(e.field, field_message(l, e.field))));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token).change_password(&req).await {
                Ok(r) => {
                    error.set(None);
                    current.set(String::new());
                    new.set(String::new());
                    // This device stays signed in under the new token; the others ended.
                    session.renew(r.token);
                    done.set(true);
                }
                Err(e) => {
                    let fe = recheck_error(l, &e, "current_password");
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="account-part" aria-labelledby="password-title">
            <h2 id="password-title">{tr("account_password_title")}</h2>
            <form class="form-stack" on:submit=submit novalidate data-testid="password-form">
                <FormAlert error=error />
                <TextField field="current_password" label="account_current_password" value=current
                    error=error input_type="password" autocomplete="current-password" />
                <TextField field="new_password" label="account_new_password" value=new
                    error=error input_type="password" autocomplete="new-password" hint="account_new_password_hint" />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("account_password_submit")() }}
                </button>
            </form>
            <p role="status" class="account-status" data-testid="password-status">
                {move || done.get().then(|| t(lang.get(), "account_password_done"))}
            </p>
        </section>
    }
}

#[component]
fn MyData() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let gate = use_recheck();
    let download = move |_| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match with_recheck(
                gate,
                session,
                |t| async move { Authorized(&t).my_data().await },
            )
            .await
            {
                Ok(data) => {
                    let d = today();
                    let name =
                        export_file_name(&format!("{:04}{:02}{:02}", d.year, d.month, d.day));
                    let text = serde_json::to_string_pretty(&data).unwrap_or_default();
                    crate::components::download::offer(&name, "application/json", &text);
                    message.set(Some(t(l, "account_data_done").to_string()));
                }
                Err(e) => message.set(Some(e.message(l))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="account-part" aria-labelledby="data-title">
            <h2 id="data-title">{tr("account_data_title")}</h2>
            <p>{tr("account_data_intro")}</p>
            <button type="button" data-testid="download-data" on:click=download disabled=move || busy.get()>
                {tr("account_data_download")}
            </button>
            <p role="status" class="account-status">{move || message.get()}</p>
        </section>
    }
}

#[component]
fn CloseAccount(phone_masked: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    // Step one shows what closing does; step two asks for the confirmation and a re-check:
    // the password, or a code sent to the account's own phone (for a person who no longer
    // knows the password).
    let confirming = RwSignal::new(false);
    let understood = RwSignal::new(false);
    let by_code = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    // Unused: the code goes to the account's own phone, which the app never holds whole.
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        if !understood.get_untracked() {
            error.set(Some(FormError::new(
                "understood",
                t(l, "account_close_tick"),
            )));
            focus_field("understood");
            return;
        }
        let with_code = by_code.get_untracked();
        let req = if with_code {
            if let Err(fe) = check_code_input(l, &code.get_untracked()) {
                focus_field(&fe.field);
                error.set(Some(fe));
                return;
            }
            CloseRequest {
                password: None,
                code: Some(code.get_untracked()),
            }
        } else {
            CloseRequest {
                password: Some(password.get_untracked()),
                code: None,
            }
        };
        if let Err(e) = req.recheck() {
            error.set(Some(FormError::new(
                e.field,
                t(l, "account_password_required"),
            )));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            match Authorized(&token).close_account(&req).await {
                Ok(()) => {
                    session.forget();
                    navigate(
                        &format!("{}?{CLOSED_QUERY}=1", AppRoute::Home.href()),
                        Default::default(),
                    );
                }
                Err(e) => {
                    let fe = match &e {
                        ApiError::Api { status: 429, .. } => FormError::new("_form", e.message(l)),
                        _ if with_code => code_form_error(l, &e),
                        _ => recheck_error(l, &e, "password"),
                    };
                    focus_field(&fe.field);
                    error.set(Some(fe));
                    busy.set(false);
                }
            }
        });
    };
    let switch = move |to_code: bool| {
        by_code.set(to_code);
        error.set(None);
    };
    let start = move |_| {
        confirming.set(true);
        // Once the form is shown, the keyboard goes to its first field.
        request_animation_frame(|| focus_field("understood"));
    };
    // Keeping the account hides the form: the keyboard goes back to the button that opened it.
    let keep = move |_| {
        confirming.set(false);
        error.set(None);
        request_animation_frame(|| {
            use wasm_bindgen::JsCast;
            if let Some(el) = document()
                .get_element_by_id("close-start")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    };
    view! {
        <section class="account-part account-close" aria-labelledby="close-title">
            <h2 id="close-title">{tr("account_close_title")}</h2>
            <div class="callout" data-testid="close-warning">
                <p><strong>{tr("account_close_warning")}</strong></p>
                <p>{tr("account_close_deleted_title")}</p>
                <ul>
                    <li>{tr("account_close_deleted_1")}</li>
                    <li>{tr("account_close_deleted_2")}</li>
                    <li>{tr("account_close_deleted_3")}</li>
                    <li>{tr("account_close_deleted_4")}</li>
                </ul>
                <p>{tr("account_close_kept_title")}</p>
                <ul>
                    <li>{tr("account_close_kept_1")}</li>
                    <li>{tr("account_close_kept_2")}</li>
                </ul>
                <p>{tr("account_close_again")}</p>
            </div>
            <button type="button" id="close-start" data-testid="close-start" on:click=start hidden=move || confirming.get()>
                {tr("account_close_start")}
            </button>
                <form class="form-stack" on:submit=submit novalidate data-testid="close-form" hidden=move || !confirming.get()>
                    <FormAlert error=error />
                    <div class="form-field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "understood"))>
                        <label class="check">
                            <input type="checkbox" id="f-understood" prop:checked=move || understood.get()
                                aria-describedby="f-understood-err"
                                on:change=move |ev| understood.set(event_target_checked(&ev)) />
                            <span>{tr("account_close_understood")}</span>
                        </label>
                        <p class="field-error" id="f-understood-err"
                            hidden=move || error.with(|e| e.as_ref().is_none_or(|e| e.field != "understood"))>
                            {move || error.get().filter(|e| e.field == "understood").map(|e| e.message)}
                        </p>
                    </div>
                    <fieldset class="segmented close-recheck">
                        <legend>{tr("account_close_how")}</legend>
                        <label><input type="radio" name="close-recheck" data-testid="close-by-password"
                            checked=move || !by_code.get() on:change=move |_| switch(false) />{tr("account_close_by_password")}</label>
                        <label><input type="radio" name="close-recheck" data-testid="close-by-code"
                            checked=move || by_code.get() on:change=move |_| switch(true) />{tr("account_close_by_code")}</label>
                    </fieldset>
                    {move || if by_code.get() {
                        let to = phone_masked.clone();
                        view! {
                            <p class="hint" data-testid="close-code-to">
                                {move || t(lang.get(), "account_close_code_to").replace("{phone}", &to)}
                            </p>
                            <SendCodeButton phone=phone purpose=CodePurpose::Login error=error via=CodeVia::OwnPhone />
                            <TextField field="code" label="sms_code" value=code error=error
                                autocomplete="one-time-code" inputmode="numeric" hint="sms_code_hint" />
                        }.into_any()
                    } else {
                        view! {
                            <TextField field="password" label="account_close_password" value=password
                                error=error input_type="password" autocomplete="current-password" />
                        }.into_any()
                    }}
                    <button type="submit" class="danger" disabled=move || busy.get()>
                        {move || if busy.get() { tr("submitting")() } else { tr("account_close_submit")() }}
                    </button>
                    <button type="button" class="link" on:click=keep>
                        {tr("account_close_cancel")}
                    </button>
                </form>
        </section>
    }
}
