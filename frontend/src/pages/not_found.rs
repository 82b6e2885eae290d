use crate::i18n::tr;
use crate::pages::AppRoute;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow" aria-labelledby="nf-title">
            <h1 id="nf-title">{tr("not_found_title")}</h1>
            <p>{tr("not_found_body")}</p>
            <A href=AppRoute::Home.href()>{tr("back_to_map")}</A>
        </section>
    }
}
