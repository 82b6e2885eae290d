//! Zhiyuan's single-page app: Leptos 0.8, client-side rendered, built by Trunk.
//!
//! Four builds share this library (`zhiyuan_shared::entry`): the first screen, the map and
//! station pages (`src/bin/zhiyuan-map.rs`, `index.html` and `station.html`); the
//! activities list (`src/bin/zhiyuan-activities.rs`, `activities.html`); the other public
//! pages (`src/bin/zhiyuan-public.rs`, `public.html`); and the full app (`src/main.rs`,
//! `app.html`), every page. The linker keeps in each wasm only what its routes reach, so
//! the map loads without the sign-up forms, and no public page carries the organizer,
//! admin, records, statistics and account code. A new page goes in the full app only.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod prefs;
mod session;

pub use app::{ActivitiesApp, App, MapApp, PublicApp};

/// Mounts an app in place of the shell the entry page (`index.html`, `station.html`,
/// `activities.html`, `public.html`, `app.html`) painted while the wasm loaded.
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
