//! The re-check (再次验证身份): before the whole ID number is shown or a file with it is
//! handed out, the API wants the password or an SMS code entered within the last 5
//! minutes (403 `recheck_required`). [`with_recheck`] runs such a call; on that answer it
//! opens the one dialog of the app ([`RecheckDialog`], placed once in the frame), and once
//! the person has re-checked, stores the stamped token and runs the call again.

use crate::api::{ApiError, Authorized};
use crate::components::form::{FormAlert, FormError, TextField, focus_field};
use crate::components::send_code::{CodeVia, SendCodeButton, check_code_input};
use crate::i18n::{t, tr, use_lang};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::my_account::{RECHECK_REQUIRED, RecheckRequest};

/// Opens the dialog and hears how it ended. Provided as context by the frame.
#[derive(Clone, Copy)]
pub struct RecheckGate {
    open: RwSignal<bool>,
    /// Resolves the promise [`RecheckGate::ask`] waits on: `true` once re-checked.
    resolve: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// The element that had the keyboard before the dialog opened.
    return_focus: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl RecheckGate {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            resolve: StoredValue::new_local(None),
            return_focus: StoredValue::new_local(None),
        }
    }

    /// Opens the dialog; true once the person re-checked, false if they closed it.
    async fn ask(self) -> bool {
        // One dialog at a time: a second ask ends the first as cancelled.
        self.finish(false);
        let active = document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        self.return_focus.set_value(active);
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            self.resolve.set_value(Some(resolve));
        });
        self.open.set(true);
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    fn finish(&self, rechecked: bool) {
        let was_open = self.open.get_untracked();
        self.open.set(false);
        if let Some(f) = self.resolve.try_update_value(Option::take).flatten() {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_bool(rechecked));
        }
        if was_open && let Some(el) = self.return_focus.try_update_value(Option::take).flatten() {
            let _ = el.focus();
        }
    }
}

impl Default for RecheckGate {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_recheck() -> RecheckGate {
    expect_context::<RecheckGate>()
}

/// Whether an answer asks for a re-check.
pub fn needs_recheck(e: &ApiError) -> bool {
    matches!(e, ApiError::Api { status: 403, code, .. } if code == RECHECK_REQUIRED)
}

/// Runs `call` with the session's token; if the API asks for a re-check, asks the person
/// (the dialog) and runs it once more with the re-checked token. Closing the dialog gives
/// back the `recheck_required` answer.
pub async fn with_recheck<T, F, Fut>(
    gate: RecheckGate,
    session: Session,
    call: F,
) -> Result<T, ApiError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let token = || session.token.get_untracked().unwrap_or_default();
    match call(token()).await {
        Err(e) if needs_recheck(&e) => {
            if gate.ask().await {
                call(token()).await
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

/// The dialog: the password, or a code sent to the account's own phone.
#[component]
pub fn RecheckDialog(session: Session) -> impl IntoView {
    let gate = use_recheck();
    let lang = use_lang();
    let by_code = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Unused by the own-phone sender, which needs no number typed.
    let phone = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    // Each opening starts clean, with the keyboard in the first field.
    Effect::new(move |_| {
        if gate.open.get() {
            password.set(String::new());
            code.set(String::new());
            error.set(None);
            busy.set(false);
            request_animation_frame(move || {
                focus_field(if by_code.get_untracked() {
                    "recheck_code"
                } else {
                    "recheck_password"
                })
            });
        }
    });
    let cancel = move || gate.finish(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let with_code = by_code.get_untracked();
        let req = if with_code {
            if check_code_input(l, &code.get_untracked()).is_err() {
                error.set(Some(FormError::new("recheck_code", t(l, "err_sms_code"))));
                focus_field("recheck_code");
                return;
            }
            RecheckRequest {
                password: None,
                code: Some(code.get_untracked()),
            }
        } else {
            if password.get_untracked().is_empty() {
                error.set(Some(FormError::new(
                    "recheck_password",
                    t(l, "account_password_required"),
                )));
                focus_field("recheck_password");
                return;
            }
            RecheckRequest {
                password: Some(password.get_untracked()),
                code: None,
            }
        };
        busy.set(true);
        spawn_local(async move {
            let token = session.token.get_untracked().unwrap_or_default();
            match Authorized(&token).recheck(&req).await {
                Ok(r) => {
                    session.renew_quietly(r.token);
                    gate.finish(true);
                }
                Err(e) => {
                    let fe = match e.field() {
                        Some("code") => FormError::new("recheck_code", t(l, "err_sms_code")),
                        Some("password") => {
                            FormError::new("recheck_password", t(l, "recheck_wrong_password"))
                        }
                        _ => FormError::new("_form", e.message(l)),
                    };
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    let switch = move |to_code: bool| {
        by_code.set(to_code);
        error.set(None);
    };
    // Escape closes; Tab stays inside the dialog (from its last control to its first,
    // and Shift+Tab the other way), as a modal dialog's keyboard should.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let first = if by_code.get_untracked() {
            "recheck-mode-code"
        } else {
            "recheck-mode-password"
        };
        crate::components::dialog::dialog_key(&ev, first, "recheck-cancel", cancel);
    };
    move || {
        gate.open.get().then(|| {
            view! {
                <div class="recheck-backdrop">
                    <div class="recheck-dialog" role="dialog" aria-modal="true"
                        aria-labelledby="recheck-title" aria-describedby="recheck-intro"
                        data-testid="recheck-dialog" on:keydown=on_key>
                        <h2 id="recheck-title">{tr("recheck_title")}</h2>
                        <p id="recheck-intro">{tr("recheck_intro")}</p>
                        <fieldset class="segmented recheck-mode">
                            <legend class="visually-hidden">{tr("recheck_how")}</legend>
                            <label><input type="radio" name="recheck-mode" id="recheck-mode-password" data-testid="recheck-by-password"
                                checked=move || !by_code.get() on:change=move |_| switch(false) />{tr("recheck_by_password")}</label>
                            <label><input type="radio" name="recheck-mode" id="recheck-mode-code" data-testid="recheck-by-code"
                                checked=move || by_code.get() on:change=move |_| switch(true) />{tr("recheck_by_code")}</label>
                        </fieldset>
                        <form class="form-stack" on:submit=submit novalidate>
                            <FormAlert error=error />
                            {move || if by_code.get() {
                                view! {
                                    <SendCodeButton phone=phone purpose=CodePurpose::Login error=error
                                        via=CodeVia::OwnPhone code_field="recheck_code" />
                                    <TextField field="recheck_code" label="sms_code" value=code error=error
                                        autocomplete="one-time-code" inputmode="numeric" hint="sms_code_hint" />
                                }.into_any()
                            } else {
                                view! {
                                    <TextField field="recheck_password" label="password" value=password
                                        error=error input_type="password" autocomplete="current-password" />
                                }.into_any()
                            }}
                            <div class="recheck-actions">
                                <button type="submit" class="primary" data-testid="recheck-submit"
                                    disabled=move || busy.get()>
                                    {move || if busy.get() { tr("submitting")() } else { tr("recheck_submit")() }}
                                </button>
                                <button type="button" class="link" id="recheck-cancel" data-testid="recheck-cancel"
                                    on:click=move |_| cancel()>
                                    {tr("recheck_cancel")}
                                </button>
                            </div>
                        </form>
                    </div>
                </div>
            }
        })
    }
}
