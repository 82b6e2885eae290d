//! The perks catalogue.

use super::{Stars, perk_label};
use crate::api;
use crate::components::error::ErrorNotice;
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;

#[component]
pub fn PerksPage() -> impl IntoView {
    let lang = use_lang();
    let data = LocalResource::new(|| async { api::perks().await });
    view! {
        <section class="page narrow">
            <h1>{tr("perks_catalogue")}</h1>
            <p class="hint">{tr("perks_intro")}</p>
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(perks)) => view! {
                    <table class="audit">
                        <thead><tr><th scope="col">{tr("perk")}</th><th scope="col">{tr("from_star")}</th></tr></thead>
                        <tbody>
                            {perks.into_iter().map(|p| { let k = p.id; view! {
                                <tr><td>{move || perk_label(lang.get(), k)}</td><td><Stars level=p.min_star /></td></tr>
                            } }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
