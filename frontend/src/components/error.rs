use crate::api::ApiError;
use crate::i18n::use_lang;
use leptos::prelude::*;

/// An error a person can act on: the message in their language, announced to screen
/// readers (role=alert).
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="notice error" role="alert">{move || error.message(lang.get())}</p> }
}
