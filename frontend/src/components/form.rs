//! Form pieces with labels, hints and errors tied to their inputs (for screen readers:
//! `aria-describedby`, `aria-invalid`), and a way to move focus to the field at fault.

use crate::i18n::{Lang, t, use_lang};
use leptos::prelude::*;

/// The field at fault and its message, already in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct FormError {
    pub field: String,
    pub message: String,
}

impl FormError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// The message for a field that failed validation in the browser.
pub fn field_message(lang: Lang, field: &str) -> String {
    let key = format!("err_{}", field.replace('.', "_"));
    let m = t(lang, &key);
    if m.is_empty() {
        t(lang, "error_invalid_field").to_string()
    } else {
        m.to_string()
    }
}

/// Moves keyboard focus to the input of `field` (ids are `f-<field>`).
pub fn focus_field(field: &str) {
    use wasm_bindgen::JsCast;
    let id = format!("f-{}", field.replace('.', "-"));
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

pub fn field_id(field: &str) -> String {
    format!("f-{}", field.replace('.', "-"))
}

fn error_for(error: RwSignal<Option<FormError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    })
}

#[component]
pub fn TextField(
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let lang = use_lang();
    let id = field_id(field);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-err");
    let message = error_for(error, field);
    let described = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            let mut parts = vec![];
            if hint.is_some() {
                parts.push(h.clone());
            }
            if message.with(Option::is_some) {
                parts.push(e.clone());
            }
            parts.join(" ")
        }
    };
    let input = if multiline {
        view! {
            <textarea id=id.clone() rows="4" prop:value=move || value.get()
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=described.clone()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=input_type autocomplete=autocomplete inputmode=inputmode
                prop:value=move || value.get()
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=described
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <div class="form-field" class:invalid=move || message.with(Option::is_some)>
            <label for=id.clone()>{move || t(lang.get(), label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{move || t(lang.get(), h)}</p> })}
            {input}
            <p class="field-error" id=err_id.clone() hidden=move || message.with(Option::is_none)>
                {move || message.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// A group of checkboxes over a closed vocabulary, in a fieldset with a legend.
#[component]
pub fn CheckboxGroup<T>(
    field: &'static str,
    legend: &'static str,
    options: &'static [T],
    label: fn(Lang, T) -> &'static str,
    slug: fn(T) -> &'static str,
    chosen: RwSignal<Vec<String>>,
    error: RwSignal<Option<FormError>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView
where
    T: Copy + Send + Sync + 'static,
{
    let lang = use_lang();
    let message = error_for(error, field);
    let id = field_id(field);
    let err_id = format!("{id}-err");
    let boxes = options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let s = slug(*o);
            let o = *o;
            // The first box carries the field's id, so focus can move to the group.
            let box_id = if i == 0 {
                id.clone()
            } else {
                format!("{id}-{s}")
            };
            view! {
                <label class="check">
                    <input type="checkbox" id=box_id value=s
                        prop:checked=move || chosen.with(|c| c.iter().any(|x| x == s))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| x != s);
                                if on { c.push(s.to_string()); }
                            });
                        } />
                    <span>{move || label(lang.get(), o)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="form-field checks" class:invalid=move || message.with(Option::is_some)
            aria-describedby=err_id.clone()>
            <legend>{move || t(lang.get(), legend)}</legend>
            {hint.map(|h| view! { <p class="hint">{move || t(lang.get(), h)}</p> })}
            <div class="check-grid">{boxes}</div>
            <p class="field-error" id=err_id.clone() hidden=move || message.with(Option::is_none)>
                {move || message.get().unwrap_or_default()}
            </p>
        </fieldset>
    }
}

/// A select over the regions the page loaded; `value` holds the chosen code.
#[component]
pub fn RegionSelect(
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
    regions: Signal<Vec<zhiyuan_shared::region::Region>>,
) -> impl IntoView {
    let lang = use_lang();
    let message = error_for(error, field);
    let id = field_id(field);
    let err_id = format!("{id}-err");
    view! {
        <div class="form-field" class:invalid=move || message.with(Option::is_some)>
            <label for=id.clone()>{move || t(lang.get(), label)}</label>
            <select id=id.clone() aria-describedby=err_id.clone()
                aria-invalid=move || message.with(Option::is_some).to_string()
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()>
                <option value="">{move || t(lang.get(), "choose")}</option>
                {move || regions.get().into_iter().map(|r| {
                    let code = r.code.to_string();
                    let selected = value.get_untracked() == code;
                    let name = if lang.get() == Lang::Zh { r.name.clone() } else { r.name_en.clone() };
                    view! { <option value=code selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=err_id hidden=move || message.with(Option::is_none)>
                {move || message.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// Turns an API error into a form error: on its field when it names one, else on the form.
pub fn from_api(
    lang: Lang,
    e: &crate::api::ApiError,
    field_for_code: &[(&str, &str)],
) -> FormError {
    let code = e.code().unwrap_or_default();
    if let Some((_, f)) = field_for_code.iter().find(|(c, _)| *c == code) {
        return FormError::new(f, e.message(lang));
    }
    match e.field() {
        Some(f) => FormError::new(
            f,
            format!("{} ({})", field_message(lang, f), e.message(lang)),
        ),
        None => FormError::new("_form", e.message(lang)),
    }
}

/// Shows an API error on the form (see [`from_api`]) and moves the focus to its field.
pub fn show_api_error(lang: Lang, e: &crate::api::ApiError, error: RwSignal<Option<FormError>>) {
    let fe = from_api(lang, e, &[]);
    focus_field(&fe.field);
    error.set(Some(fe));
}

/// The form-level message (errors not tied to a field), announced as an alert.
#[component]
pub fn FormAlert(error: RwSignal<Option<FormError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        {move || error.get().map(|e| {
            let text = if e.field == "_form" { e.message } else { t(lang.get(), "form_has_errors").to_string() };
            view! { <p class="notice error" role="alert">{text}</p> }
        })}
    }
}
