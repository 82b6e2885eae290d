//! The home page's notice after an account closed (the account page sends the person to
//! the map with this query). Apart from the account page, so the map's entry point does
//! not carry that page.

use crate::i18n::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query the account page adds to the home page's address once an account closed.
pub const CLOSED_QUERY: &str = "closed";

/// On the home page after an account closed: says it is done and what stays.
#[component]
pub fn ClosedNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query.with(|q| q.get(CLOSED_QUERY).is_some()).then(|| {
            view! {
                <p class="notice account-closed" role="status" data-testid="account-closed">
                    {tr("account_closed_notice")}
                </p>
            }
        })
    }
}
