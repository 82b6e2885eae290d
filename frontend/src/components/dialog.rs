//! The keyboard of a modal dialog: Escape closes it, and Tab stays inside (from its last
//! control to its first, Shift+Tab the other way).

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Moves the focus to the element with `id`, if there is one.
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Handles a key pressed inside a dialog whose first focusable control is `first` and last
/// is `last`; `close` runs on Escape.
pub fn dialog_key(ev: &leptos::ev::KeyboardEvent, first: &str, last: &str, close: impl FnOnce()) {
    if ev.key() == "Escape" {
        ev.prevent_default();
        close();
        return;
    }
    if ev.key() != "Tab" {
        return;
    }
    let active = document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    let target = match (ev.shift_key(), active.as_str()) {
        (false, a) if a == last => first,
        (true, a) if a == first => last,
        _ => return,
    };
    if document().get_element_by_id(target).is_some() {
        ev.prevent_default();
        focus_id(target);
    }
}
