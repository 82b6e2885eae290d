//! Zhiyuan's single-page app: Leptos 0.8, client-side rendered, built by Trunk.
//!
//! Two entry points share this library: the full app (`src/main.rs`, `app.html`) and the
//! public pages (`src/bin/zhiyuan-public.rs`, `index.html`). The linker keeps in each wasm
//! only what its routes reach, so the map, a station page or the activities list load
//! without the organizer, admin, records, statistics and account code.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod prefs;
mod session;

pub use app::{App, PublicApp};

/// Mounts an app in place of the shell `index.html` / `app.html` painted while the wasm
/// loaded.
pub fn start<F, V>(app: F)
where
    F: FnOnce() -> V + 'static,
    V: leptos::IntoView,
{
    console_error_panic_hook::set_once();
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-shell"))
    {
        shell.remove();
    }
    app::arrived();
    leptos::mount::mount_to_body(app);
}
