//! "订阅我的日历": makes the private feed address, shows it with a copy button and a
//! `webcal://` link a phone opens in its calendar app, and regenerates it (the old one
//! stops working) after a confirmation.

use crate::api::{ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::i18n::{t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::calendar::{CalendarFeed, webcal};

/// Copies `text` with the asynchronous clipboard API where the browser has it (it needs a
/// secure context); returns whether the copy was started.
fn copy_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok();
    let write = clipboard.as_ref().and_then(|c| {
        js_sys::Reflect::get(c, &"writeText".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    });
    match (clipboard, write) {
        (Some(c), Some(f)) => f.call1(&c, &text.into()).is_ok(),
        _ => false,
    }
}

#[component]
pub fn CalendarFeedCard() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let feed = RwSignal::new(None::<CalendarFeed>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let make = move || {
        let token = session.token.get_untracked().unwrap_or_default();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token).new_calendar_feed().await {
                Ok(f) => {
                    feed.set(Some(f));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            confirming.set(false);
            copied.set(false);
            busy.set(false);
        });
    };
    let copy = move |_| {
        if let Some(f) = feed.get_untracked() {
            copied.set(copy_to_clipboard(&f.url));
            if !copied.get_untracked() {
                // No clipboard here: select the address so the reader can copy it.
                use wasm_bindgen::JsCast;
                if let Some(input) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("calendar-feed-url"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.select();
                }
            }
        }
    };
    view! {
        <section class="calendar-feed" aria-labelledby="calendar-feed-title">
            <h2 id="calendar-feed-title">{tr("calendar_title")}</h2>
            <p class="hint">{tr("calendar_intro")}</p>
            {move || match feed.get() {
                None => view! {
                    <button type="button" class="primary" data-testid="calendar-make"
                        on:click=move |_| make() disabled=move || busy.get()>
                        {tr("calendar_make")}
                    </button>
                }.into_any(),
                Some(f) => {
                    let cal_link = webcal(&f.url);
                    view! {
                        <label for="calendar-feed-url">{tr("calendar_url_label")}</label>
                        <div class="calendar-feed-row">
                            <input id="calendar-feed-url" type="text" readonly
                                prop:value=f.url.clone() aria-describedby="calendar-feed-private" />
                            <button type="button" on:click=copy>{tr("calendar_copy")}</button>
                        </div>
                        <p role="status" aria-live="polite" class="hint">
                            {move || copied.get().then(|| t(lang.get(), "calendar_copied"))}
                        </p>
                        <p id="calendar-feed-private" class="hint">{tr("calendar_private")}</p>
                        <p><a class="button primary" href=cal_link data-testid="calendar-webcal">{tr("calendar_add_to_phone")}</a></p>
                        <p class="hint">{tr("calendar_how_to")}</p>
                        {move || if confirming.get() {
                            view! {
                                <div class="calendar-feed-confirm" role="group" aria-labelledby="calendar-regen-q">
                                    <p id="calendar-regen-q">{tr("calendar_regenerate_confirm")}</p>
                                    <div class="actions">
                                        <button type="button" class="primary" data-testid="calendar-regenerate-yes"
                                            on:click=move |_| make() disabled=move || busy.get()>
                                            {tr("calendar_regenerate_yes")}
                                        </button>
                                        <button type="button" on:click=move |_| confirming.set(false)>{tr("calendar_regenerate_no")}</button>
                                    </div>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" data-testid="calendar-regenerate"
                                    on:click=move |_| confirming.set(true)>{tr("calendar_regenerate")}</button>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
        </section>
    }
}
