use crate::components::nav::{MainNav, TabBar};
use crate::components::offline::OfflineNotice;
use crate::i18n::{Lang, tr};
use crate::pages::{self, AppRoute};
use crate::prefs;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

/// The full app: every page. Only its pages ask for a re-check (whole numbers shown, data
/// downloaded), so only it carries the re-check dialog.
#[component]
pub fn App() -> impl IntoView {
    provide_context(crate::components::recheck::RecheckGate::new());
    let recheck = || {
        view! { <crate::components::recheck::RecheckDialog session=crate::session::use_session() /> }
    };
    view! {
        <Frame overlay=recheck>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/stations/:id") view=pages::station::StationPage />
                <Route path=path!("/login") view=pages::auth::LoginPage />
                <Route path=path!("/register") view=pages::auth::RegisterPage />
                <Route path=path!("/reset") view=pages::reset::ResetPage />
                <Route path=path!("/me") view=pages::me::MePage />
                <Route path=path!("/me/volunteer") view=pages::me::VolunteerPage />
                <Route path=path!("/me/account") view=pages::account::AccountPage />
                <Route path=path!("/me/identity-appeal") view=pages::appeals::AppealPage />
                <Route path=path!("/orgs") view=pages::orgs::OrgsPage />
                <Route path=path!("/orgs/new") view=pages::orgs::NewOrgPage />
                <Route path=path!("/orgs/:id") view=pages::orgs::OrgPage />
                <Route path=path!("/admin") view=pages::admin::AdminPage />
                <Route path=path!("/activities") view=pages::activities::ActivitiesPage />
                <Route path=path!("/activities/new") view=pages::activities::NewActivityPage />
                <Route path=path!("/activities/:id") view=pages::activities::ActivityPage />
                <Route path=path!("/activities/:id/edit") view=pages::activities::EditActivityPage />
                <Route path=path!("/me/activities") view=pages::activities::MyActivitiesPage />
                <Route path=path!("/me/notices") view=pages::notices::NoticesPage />
                <Route path=path!("/me/notice-settings") view=pages::notice_settings::NoticeSettingsPage />
                <Route path=path!("/shifts/:id/checkin") view=pages::records::CheckinScreenPage />
                <Route path=path!("/checkin/:shift") view=pages::records::CheckinPage />
                <Route path=path!("/me/records") view=pages::records::MyRecordsPage />
                <Route path=path!("/records/:id") view=pages::records::RecordPage />
                <Route path=path!("/me/certificate") view=pages::records::CertificatePage />
                <Route path=path!("/verify") view=pages::records::VerifyPage />
                <Route path=path!("/verify/:code") view=pages::records::VerifyPage />
                <Route path=path!("/perks") view=pages::records::PerksPage />
                <Route path=path!("/stats") view=pages::stats::StatsPage />
                <Route path=path!("/needs") view=pages::needs::NeedsPage />
                <Route path=path!("/needs/new") view=pages::needs::NewNeedPage />
                <Route path=path!("/needs/:id") view=pages::needs::NeedPage />
                <Route path=path!("/me/needs") view=pages::needs::MyNeedsPage />
                <Route path=path!("/dispatch") view=pages::need_dispatch::DispatchQueuePage />
                <Route path=path!("/me/dispatched-needs") view=pages::need_dispatch::DispatchedToUsPage />
                <Route path=path!("/exemplary") view=pages::exemplary::ExemplaryPage />
                <Route path=path!("/me/backfills") view=pages::backfills::MyBackfillsPage />
                <Route path=path!("/orgs/:id/backfills") view=pages::backfills::OrgBackfillsPage />
                <Route path=path!("/assisted-registration") view=pages::assisted::AssistedPage />
                <Route path=path!("/takeover") view=pages::reset::TakeoverPage />
            </Routes>
        </Frame>
    }
}

/// The first screen: the map (`index.html`, `zhiyuan_shared::entry::Entry::Map`) and
/// station pages (`station.html`, the same without Leaflet: `Entry::Station`). Every other
/// path is another entry point's: a page load fetches it.
#[component]
pub fn MapApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=ToOtherEntry>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/stations/:id") view=pages::station::StationPage />
            </Routes>
        </Frame>
    }
}

/// The other public pages (`public.html`): activities and needs with their detail pages,
/// verification, perks and 选树典型 (`zhiyuan_shared::entry::Entry::Public`); the
/// activities list too, reached from an activity's page without a page load (a link to it
/// from elsewhere loads `activities.html`). Every other path, `…/new` and the map included,
/// is another entry point's: a page load fetches it.
#[component]
pub fn PublicApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=ToOtherEntry>
                <Route path=path!("/activities") view=pages::activities::ActivitiesPage />
                <Route path=path!("/activities/new") view=ToOtherEntry />
                <Route path=path!("/activities/:id") view=pages::activities::ActivityPage />
                <Route path=path!("/needs") view=pages::needs::NeedsPage />
                <Route path=path!("/needs/new") view=ToOtherEntry />
                <Route path=path!("/needs/:id") view=pages::needs::NeedPage />
                <Route path=path!("/verify") view=pages::records::VerifyPage />
                <Route path=path!("/verify/:code") view=pages::records::VerifyPage />
                <Route path=path!("/perks") view=pages::records::PerksPage />
                <Route path=path!("/exemplary") view=pages::exemplary::ExemplaryPage />
            </Routes>
        </Frame>
    }
}

/// The activities list (`activities.html`), what a link to 活动 opens: the list alone, so it
/// does not wait for the sign-up forms, needs, verification and 选树典型 the other public
/// pages carry (`zhiyuan_shared::entry::Entry::Activities`). Every other path, an
/// activity's own page included, is another entry point's: a page load fetches it.
#[component]
pub fn ActivitiesApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=ToOtherEntry>
                <Route path=path!("/activities") view=pages::activities::ActivitiesPage />
            </Routes>
        </Frame>
    }
}

/// The files of the entry the next page is likely to need, which `scripts/spa-full.sh`
/// names in a `<meta name="zhiyuan-next">` (activities.html: public.html's script and wasm,
/// for an activity's page), fetched into the cache at low priority once; nothing on a page
/// without that meta.
pub(crate) fn prefetch_next_entry() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if saving_data(&window) {
        return;
    }
    let Some(doc) = window.document() else {
        return;
    };
    let (Ok(Some(meta)), Ok(Some(head))) = (
        doc.query_selector("meta[name=zhiyuan-next]"),
        doc.query_selector("head"),
    ) else {
        return;
    };
    let files = meta.get_attribute("content").unwrap_or_default();
    // Once: the meta goes with its first use.
    meta.remove();
    for file in files.split_whitespace() {
        if let Ok(link) = doc.create_element("link") {
            let _ = link.set_attribute("rel", "prefetch");
            let _ = link.set_attribute("href", file);
            // As the page that uses them asks (Trunk's preloads), so that fetch is served
            // from this one.
            let _ = link.set_attribute("crossorigin", "anonymous");
            let _ = head.append_child(&link);
        }
    }
}

/// A person who asked their phone to save data (or is on a 2G link) is sent nothing ahead
/// of asking for it (`navigator.connection`, where the browser has it).
fn saving_data(window: &web_sys::Window) -> bool {
    use js_sys::Reflect;
    let Ok(connection) = Reflect::get(&window.navigator(), &"connection".into()) else {
        return false;
    };
    if !connection.is_object() {
        return false;
    }
    let save = Reflect::get(&connection, &"saveData".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let slow = Reflect::get(&connection, &"effectiveType".into())
        .ok()
        .and_then(|v| v.as_string())
        .is_some_and(|t| t.ends_with("2g"));
    save || slow
}

/// The path a public app last handed to another entry point (sessionStorage), so a server
/// that answers it with the same app again (a misconfigured fallback, or offline without a
/// kept copy of the other entry) shows "not found" instead of reloading for ever.
const HANDED_OVER: &str = "zhiyuan.handed-over";

thread_local! {
    static ARRIVED_FOR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Called as either app starts: takes the hand-over mark, so the next hand-over of the
/// same path (a later click) goes through.
pub(crate) fn arrived() {
    let Some(st) = session_storage() else { return };
    let mark = st.get_item(HANDED_OVER).ok().flatten();
    let _ = st.remove_item(HANDED_OVER);
    ARRIVED_FOR.with(|a| *a.borrow_mut() = mark);
}

/// A page of another entry point reached from a public one: the URL is loaded anew, and
/// the server answers it with the entry point that renders it.
#[component]
fn ToOtherEntry() -> impl IntoView {
    let location = use_location();
    // The router's `search` has no leading `?`: without one the query would join the path.
    let search = location.search.get_untracked();
    let here = if search.is_empty() {
        location.pathname.get_untracked()
    } else {
        format!("{}?{search}", location.pathname.get_untracked())
    };
    if ARRIVED_FOR.with(|a| a.borrow().as_deref() == Some(here.as_str())) {
        return pages::not_found::NotFound().into_any();
    }
    if let Some(st) = session_storage() {
        let _ = st.set_item(HANDED_OVER, &here);
    }
    // After the router has written the URL (a click renders the route before it pushes
    // the history entry): loading the same URL again then replaces that entry.
    set_timeout(
        move || {
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&here);
            }
        },
        std::time::Duration::ZERO,
    );
    view! { <p class="hint" role="status">{tr("loading")}</p> }.into_any()
}

/// Header, navigation, footer and tab bar around each app's routes; `overlay` (a dialog of
/// the full app's) is drawn after them, inside the router.
#[component]
fn Frame(children: Children, #[prop(optional, into)] overlay: Option<ViewFn>) -> impl IntoView {
    let (lang, set_lang) = signal(prefs::load_lang());
    let (large, set_large) = signal(prefs::load_large_text());
    provide_context(lang);
    let session = Session::start();
    provide_context(session);
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
                <MainNav />
                <div class="header-actions">
                    <label class="switch large-text-switch">
                        <input type="checkbox" prop:checked=move || large.get()
                            on:change=move |ev| set_large.set(event_target_checked(&ev)) />
                        <span>{tr("large_text")}</span>
                    </label>
                    <button type="button" class="lang-switch" on:click=toggle_lang
                        aria-label=tr("switch_language_label") lang=move || if lang.get() == Lang::Zh { "en" } else { "zh-CN" }>
                        {tr("switch_language")}
                    </button>
                </div>
            </header>
            <OfflineNotice />
            <main id="main" tabindex="-1">
                {children()}
            </main>
            <footer class="site-footer">
                <span>{tr("footer")}</span>
                " · " <A href=AppRoute::Verify(String::new()).href()>{tr("verify_title")}</A>
                " · " <A href=AppRoute::Perks.href()>{tr("perks_catalogue")}</A>
                " · " <A href=AppRoute::Stats.href()>{tr("nav_stats")}</A>
                " · " <A href=AppRoute::Exemplary.href()>{tr("exemplary_title")}</A>
            </footer>
            <TabBar />
            {overlay.map(|o| o.run())}
        </Router>
    }
}
