//! "获取验证码": asks for a verification code for the phone typed in the form, then waits
//! out the resend minute with a countdown on the button. Shared by registration,
//! sign-in by code, 忘记密码, an admin's second sign-in step and the re-check (the last
//! two send to the account's own phone, see [`CodeVia`]).

use crate::api;
use crate::components::form::{FormError, field_message, focus_field, from_api, show_api_error};
use crate::i18n::{Lang, t, use_lang};
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::codes::{CodePurpose, CodeRequest, RESEND_SECONDS};
use zhiyuan_shared::identity::Phone;

/// An API error on a code form as a form error: a refused code reads as a verification
/// code message (the `code` field elsewhere is the check-in code).
pub fn code_form_error(lang: Lang, e: &api::ApiError) -> FormError {
    if e.field() == Some("code") {
        return FormError::new("code", t(lang, "err_sms_code"));
    }
    from_api(lang, e, &[])
}

/// The browser-side check of a typed code, before anything is sent.
pub fn check_code_input(lang: Lang, code: &str) -> Result<(), FormError> {
    zhiyuan_shared::codes::VerificationCode::parse(code)
        .map(|_| ())
        .map_err(|_| FormError::new("code", t(lang, "err_sms_code")))
}

/// Where a code is asked for.
#[derive(Clone, Copy, Default)]
pub enum CodeVia {
    /// `POST /api/auth/codes` for the phone typed in the form.
    #[default]
    Public,
    /// An admin's second sign-in step: the password is given again, and its answer
    /// (`second_factor_required`) means a new code was sent.
    SecondFactor { password: RwSignal<String> },
    /// The signed-in account's own phone (`POST /api/me/recheck/code`).
    OwnPhone,
    /// A helper's code for the resident's phone typed in the form (代注册,
    /// `POST /api/assisted-registrations/codes`).
    Assisted,
}

#[component]
pub fn SendCodeButton(
    phone: RwSignal<String>,
    purpose: CodePurpose,
    error: RwSignal<Option<FormError>>,
    #[prop(optional)] via: CodeVia,
    /// The code was just sent (the countdown starts at once).
    #[prop(optional)]
    started: bool,
    /// The id stem of the code field the keyboard goes to once a code is sent.
    #[prop(default = "code")]
    code_field: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let left = RwSignal::new(if started { RESEND_SECONDS } else { 0 });
    let sending = RwSignal::new(false);
    let sent = RwSignal::new(started);
    // One ticking interval for the page's life; it only counts while there is time left.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if left.get_untracked() > 0 {
                left.update(|l| *l -= 1);
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let send = move |_| {
        let l = lang.get_untracked();
        if matches!(via, CodeVia::Public | CodeVia::Assisted)
            && Phone::parse(&phone.get_untracked()).is_err()
        {
            error.set(Some(FormError::new("phone", field_message(l, "phone"))));
            focus_field("phone");
            return;
        }
        let req = CodeRequest {
            phone: phone.get_untracked(),
            purpose: purpose.slug().to_string(),
        };
        sending.set(true);
        spawn_local(async move {
            let answer = match via {
                CodeVia::Public => api::request_code(&req).await,
                CodeVia::SecondFactor { password } => {
                    let login = zhiyuan_shared::account::LoginRequest {
                        phone: req.phone.clone(),
                        password: password.get_untracked(),
                        code: None,
                    };
                    match api::login(&login).await {
                        Err(e) if e.code() == Some("second_factor_required") => Ok(()),
                        Err(e) => Err(e),
                        // The account is no admin any more: nothing to send.
                        Ok(_) => Ok(()),
                    }
                }
                CodeVia::OwnPhone => {
                    let token = crate::session::current_token().unwrap_or_default();
                    api::Authorized(&token).recheck_code().await
                }
                CodeVia::Assisted => {
                    let token = crate::session::current_token().unwrap_or_default();
                    let req = zhiyuan_shared::assisted::AssistedCodeRequest { phone: req.phone };
                    api::Authorized(&token).assisted_code(&req).await
                }
            };
            match answer {
                Ok(()) => {
                    error.set(None);
                    sent.set(true);
                    left.set(RESEND_SECONDS);
                    focus_field(code_field);
                }
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            sending.set(false);
        });
    };
    view! {
        <div class="send-code">
            <button type="button" class="send-code-button" data-testid="send-code" on:click=send
                disabled=move || { sending.get() || left.get() > 0 }>
                {move || {
                    let l = lang.get();
                    match left.get() {
                        0 if sending.get() => t(l, "sms_sending").to_string(),
                        0 => t(l, "sms_send").to_string(),
                        n => t(l, "sms_resend_in").replace("{n}", &n.to_string()),
                    }
                }}
            </button>
            <p class="hint" role="status">
                {move || sent.get().then(|| t(lang.get(), "sms_sent"))}
            </p>
        </div>
    }
}
