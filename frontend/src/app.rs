use crate::i18n::{Lang, tr};
use crate::pages::{self, AppRoute};
use crate::prefs;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let (lang, set_lang) = signal(prefs::load_lang());
    let (large, set_large) = signal(prefs::load_large_text());
    provide_context(lang);
    Effect::new(move |_| prefs::apply(lang.get(), large.get()));
    let toggle_lang =
        move |_| set_lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh });

    view! {
        <Router>
            <a class="skip-link" href="#main">{tr("skip_to_content")}</a>
            <header class="site-header">
                <A href=AppRoute::Home.href() attr:class="brand">
                    <span class="brand-name">{tr("app_name")}</span>
                    <span class="brand-tagline">{tr("app_tagline")}</span>
                </A>
                <nav class="header-actions" aria-label=tr("app_name")>
                    <label class="switch">
                        <input type="checkbox" prop:checked=move || large.get()
                            on:change=move |ev| set_large.set(event_target_checked(&ev)) />
                        <span>{tr("large_text")}</span>
                    </label>
                    <button type="button" class="lang-switch" on:click=toggle_lang
                        aria-label=tr("switch_language_label") lang=move || if lang.get() == Lang::Zh { "en" } else { "zh-CN" }>
                        {tr("switch_language")}
                    </button>
                </nav>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home />
                    <Route path=path!("/stations/:id") view=pages::station::StationPage />
                </Routes>
            </main>
            <footer class="site-footer">{tr("footer")}</footer>
        </Router>
    }
}
