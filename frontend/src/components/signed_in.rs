//! The guard of pages that need a signed-in user.

use crate::i18n::tr;
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;

/// Shown instead of a page that needs a signed-in user.
#[component]
pub fn SignInFirst() -> impl IntoView {
    view! {
        <section class="page narrow">
            <p role="alert">{tr("sign_in_first")}</p>
            <p class="sign-in-first-actions">
                <A href=AppRoute::Login.href() attr:class="button primary">{tr("nav_login")}</A>
                <A href=AppRoute::Register.href() attr:class="button">{tr("nav_register")}</A>
            </p>
        </section>
    }
}

/// A page for signed-in users: "loading" while the stored session is checked, a sign-in
/// link without one, else what `render` makes of the caller's profile.
#[component]
pub fn SignedIn<F>(render: F) -> impl IntoView
where
    F: Fn(Me) -> AnyView + Send + Sync + 'static,
{
    let session = use_session();
    move || match (session.ready.get(), session.me.get()) {
        (false, _) => view! { <p role="status">{tr("loading")}</p> }.into_any(),
        (true, None) => view! { <SignInFirst /> }.into_any(),
        (true, Some(me)) => render(me),
    }
}
