//! Navigation: the header's links (wide screens), the bottom tab bar (phones) and the
//! "more" list on "我的" that reaches every other page from a phone.

use crate::i18n::tr;
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The header's navigation on wide screens; CSS hides it on phones, where the tab bar and
/// the "more" list stand in for it.
#[component]
pub fn MainNav() -> impl IntoView {
    let session = use_session();
    view! {
        <nav class="main-nav" aria-label=tr("nav_main")>
            <A href=AppRoute::Home.href() exact=true>{tr("nav_map")}</A>
            <A href=AppRoute::Activities.href()>{tr("nav_activities")}</A>
            <A href=AppRoute::Orgs.href()>{tr("nav_orgs")}</A>
            <A href=AppRoute::Needs.href()>{tr("nav_needs")}</A>
            {move || if session.me.with(Option::is_some) {
                view! {
                    <A href=AppRoute::MyActivities.href()>{tr("my_activities")}</A>
                    <A href=AppRoute::MyRecords.href()>{tr("my_records")}</A>
                    <A href=AppRoute::Notices.href()>{tr("notices")}</A>
                    <A href=AppRoute::Me.href() exact=true>{tr("nav_me")}</A>
                    {session.is_admin().then(|| view! {
                        <A href=AppRoute::Admin.href()>{tr("nav_admin")}</A>
                        <A href=AppRoute::Stats.href()>{tr("nav_stats")}</A>
                    })}
                }.into_any()
            } else {
                view! {
                    <A href=AppRoute::Login.href()>{tr("nav_login")}</A>
                    <A href=AppRoute::Register.href()>{tr("nav_register")}</A>
                }.into_any()
            }}
        </nav>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Map,
    Activities,
    Needs,
    Me,
}

/// Which tab a path belongs to: "我的" holds everything that is not one of the other three.
fn tab_of(path: &str) -> Tab {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if path == "/" || under("/stations") {
        Tab::Map
    } else if under("/activities") {
        Tab::Activities
    } else if under("/needs") {
        Tab::Needs
    } else {
        Tab::Me
    }
}

/// 地图 / 活动 / 需求 / 我的, fixed at the bottom of a phone's screen like the apps people
/// here use daily. Plain links (the router handles them), so keyboard and screen readers
/// get ordinary navigation; the active one carries `aria-current="page"`.
#[component]
pub fn TabBar() -> impl IntoView {
    let path = use_location().pathname;
    let tab = Memo::new(move |_| tab_of(&path.get()));
    // One outline icon each, drawn from a single path; the label carries the meaning.
    let tabs = [
        (
            Tab::Map,
            AppRoute::Home,
            "tab_map",
            "M12 2C8.1 2 5 5.1 5 9c0 5.2 7 13 7 13s7-7.8 7-13c0-3.9-3.1-7-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z",
        ),
        (
            Tab::Activities,
            AppRoute::Activities,
            "tab_activities",
            "M7 2v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2V2h-2v2H9V2zM5 10h14v10H5z",
        ),
        (
            Tab::Needs,
            AppRoute::Needs,
            "tab_needs",
            "M12 21s-7.5-4.6-9.5-9.2C1.1 8.6 3 5 6.5 5c2 0 3.5 1.1 4.5 2.6C12 6.1 13.5 5 15.5 5 19 5 20.9 8.6 19.5 11.8 17.5 16.4 12 21 12 21z",
        ),
        (
            Tab::Me,
            AppRoute::Me,
            "tab_me",
            "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z",
        ),
    ];
    view! {
        <nav class="tab-bar" aria-label=tr("nav_tabs") data-testid="tab-bar">
            {tabs.into_iter().map(|(t, route, key, icon)| view! {
                <a href=route.href() aria-current=move || (tab.get() == t).then_some("page")>
                    <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=icon /></svg>
                    <span>{tr(key)}</span>
                </a>
            }).collect_view()}
        </nav>
    }
}

/// Every page the tab bar does not name, for "我的" on a phone (and anyone else).
#[component]
pub fn MoreLinks() -> impl IntoView {
    let session = use_session();
    let link = |route: AppRoute, key: &'static str| {
        view! { <li><A href=route.href()>{tr(key)}</A></li> }
    };
    view! {
        <nav class="page narrow more-links" aria-labelledby="more-title" data-testid="more-links">
            <h2 id="more-title">{tr("more_title")}</h2>
            <ul class="link-list">
                {move || if session.me.with(Option::is_some) {
                    view! {
                        {link(AppRoute::MyActivities, "my_activities")}
                        {link(AppRoute::MyRecords, "my_records")}
                        {link(AppRoute::Notices, "notices")}
                        {link(AppRoute::MyNeeds, "my_needs")}
                        {session.is_admin().then(|| view! {
                            {link(AppRoute::Admin, "nav_admin")}
                        })}
                        {session.me.with(|m| m.as_ref().is_some_and(|m| m.admin_regions().next().is_some()
                            || m.roles.iter().any(|g| g.role == zhiyuan_shared::account::Role::StationManager)))
                            .then(|| view! { {link(AppRoute::DispatchQueue, "dispatch_queue_title")} })}
                        {session.me.with(|m| m.as_ref().is_some_and(|m| m.roles.iter().any(|g| g.role == zhiyuan_shared::account::Role::Organizer)))
                            .then(|| view! { {link(AppRoute::DispatchedToUs, "dispatched_title")} })}
                        {session.may_assist().then(|| link(AppRoute::AssistedRegistration, "assisted_title"))}
                    }.into_any()
                } else {
                    view! {
                        {link(AppRoute::Login, "nav_login")}
                        {link(AppRoute::Register, "nav_register")}
                    }.into_any()
                }}
                {link(AppRoute::Orgs, "nav_orgs")}
                {link(AppRoute::Stats, "nav_stats")}
                {link(AppRoute::Exemplary, "exemplary_title")}
                {link(AppRoute::Perks, "perks_catalogue")}
                {link(AppRoute::Verify(String::new()), "verify_title")}
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_lights_one_tab() {
        assert!(tab_of("/") == Tab::Map);
        assert!(tab_of("/stations/abc") == Tab::Map);
        assert!(tab_of("/activities/new") == Tab::Activities);
        assert!(tab_of("/needs") == Tab::Needs);
        assert!(tab_of("/me/records") == Tab::Me);
        assert!(tab_of("/stats") == Tab::Me);
        assert!(tab_of("/activitiesx") == Tab::Me);
    }
}
