//! The region admin's import of a transfer file.

use crate::api::Authorized;
use crate::i18n::{t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::record::TransferFile;

/// The region admin's import of a transfer file (on the admin page).
#[component]
pub fn ImportTransfer() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        spawn_local(async move {
            if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.set(t.as_string().unwrap_or_default());
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = session.token.get_untracked().unwrap_or_default();
        let l = lang.get_untracked();
        let Ok(file) = serde_json::from_str::<TransferFile>(&text.get_untracked()) else {
            message.set(Some(t(l, "transfer_not_a_file").to_string()));
            return;
        };
        spawn_local(async move {
            match Authorized(&token).import_transfer(&file).await {
                Ok(r) => message.set(Some(
                    t(l, "transfer_result")
                        .replace("{no}", &r.volunteer_no)
                        .replace("{n}", &r.imported.to_string())
                        .replace("{dup}", &r.already_present.to_string())
                        .replace("{overlap}", &r.overlapping.to_string())
                        .replace("{h}", &r.total_hours.to_string()),
                )),
                Err(e) => message.set(Some(e.message(l))),
            }
        });
    };
    view! {
        <section aria-labelledby="import-title">
            <h2 id="import-title">{tr("import_transfer")}</h2>
            <form class="form-stack" on:submit=submit>
                <div class="form-field">
                    <label for="f-transfer-file">{tr("transfer_file")}</label>
                    <input id="f-transfer-file" type="file" accept="application/json,.json" on:change=on_file />
                </div>
                <div class="form-field">
                    <label for="f-transfer-text">{tr("transfer_paste")}</label>
                    <textarea id="f-transfer-text" rows="4" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="primary">{tr("import")}</button>
            </form>
            <p role="status" aria-live="polite">{move || message.get()}</p>
        </section>
    }
}
