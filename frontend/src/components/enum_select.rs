//! A labelled `<select>` over one of the shared enums, by slug.

use crate::i18n::{Lang, t, use_lang};
use leptos::prelude::*;

/// `<select id=id>` with an option per value of `options` (value: its slug, text: its
/// label in the chosen language), led by an empty option when `empty` names one;
/// `value` holds the chosen slug.
#[component]
pub fn EnumSelect<T>(
    id: &'static str,
    /// The translation key of the label.
    label: &'static str,
    options: &'static [T],
    option_label: fn(Lang, T) -> &'static str,
    slug: fn(T) -> &'static str,
    value: RwSignal<String>,
    /// The translation key of a leading option with the value "".
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView
where
    T: Copy + Send + Sync + 'static,
{
    let lang = use_lang();
    view! {
        <div class="form-field">
            <label for=id>{move || t(lang.get(), label)}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                {empty.map(|key| view! { <option value="">{move || t(lang.get(), key)}</option> })}
                {options.iter().map(|o| {
                    let o = *o;
                    view! { <option value=slug(o)>{move || option_label(lang.get(), o)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
