//! Says so when the app shows what the service worker kept from an earlier visit, and
//! what still works then. pwa.js keeps `window.zhiyuanOffline` and announces changes.

use crate::i18n::tr;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

fn offline_now() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("zhiyuanOffline")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

#[component]
pub fn OfflineNotice() -> impl IntoView {
    let (offline, set_offline) = signal(offline_now());
    // The app lives as long as the page: the listener is never removed.
    let _ = window_event_listener_untyped("zhiyuan-connectivity", move |_| {
        set_offline.set(offline_now())
    });
    view! {
        <Show when=move || offline.get()>
            <p class="notice offline-notice" role="status" data-testid="offline-notice">{tr("offline_notice")}</p>
        </Show>
    }
}

/// Clears what this device kept (caches, stored items but the language and large-text
/// choices) through pwa.js, so a shared phone shows nothing of the last person.
pub fn forget_device_data() {
    let Some(w) = web_sys::window() else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&w, &JsValue::from_str("zhiyuanForget"))
        && let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&f)
    {
        let _ = f.call0(&w);
    }
}
