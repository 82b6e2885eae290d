//! The region admins' queue: organisations of their region waiting for approval.

use crate::api::Authorized;
use crate::components::error::ErrorNotice;
use crate::components::names::RegionName;
use crate::components::signed_in::SignedIn;
use crate::i18n::{org_type_label, tr, use_lang};
use crate::pages::AppRoute;
use crate::pages::orgs::Decide;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| {
                let scopes: Vec<String> = me.admin_regions().map(String::from).collect();
                if scopes.is_empty() {
                    view! { <section class="page narrow"><p role="alert">{tr("admin_only")}</p></section> }.into_any()
                } else {
                    view! {
                        <section class="page">
                            <h1>{tr("admin_title")}</h1>
                            {scopes.iter().cloned().map(|s| view! { <Queue scope=s /> }).collect_view()}
                            {scopes.iter().cloned().map(|s| view! { <crate::pages::appeals::AppealQueue scope=s /> }).collect_view()}
                            {scopes.into_iter().map(|s| view! { <crate::pages::audit::RegionDataViews scope=s /> }).collect_view()}
                            <crate::pages::records::ImportTransfer />
                        </section>
                    }.into_any()
                }
        } />
    }
}

#[component]
fn Queue(scope: String) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let s = scope.clone();
    let queue = LocalResource::new(move || {
        version.track();
        let token = session.token.get().unwrap_or_default();
        let s = s.clone();
        async move { Authorized(&token).orgs(&s, "pending").await }
    });
    view! {
        <h2>{tr("admin_pending_orgs")} " · " {tr("admin_scope")} " " <RegionName code=scope.clone() /></h2>
        {move || match queue.get() {
            None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            Some(Ok(p)) if p.items.is_empty() => view! { <p class="muted">{tr("admin_queue_empty")}</p> }.into_any(),
            Some(Ok(p)) => view! {
                <ul class="card-list admin-queue">
                    {p.items.into_iter().map(|o| view! {
                        <li class="card">
                            <A href=AppRoute::Org(o.id.clone()).href() attr:class="station-link">{o.name.clone()}</A>
                            <span class="station-meta">{move || org_type_label(lang.get(), o.org_type)} " · " <RegionName code=o.region_code.to_string() /></span>
                            <Decide org_id=o.id.clone() version=version />
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
