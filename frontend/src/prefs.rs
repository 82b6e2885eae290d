//! The reader's preferences (language, large text), kept in localStorage and reflected on
//! the <html> element so CSS and screen readers see them.

use crate::i18n::Lang;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load_lang() -> Lang {
    storage()
        .and_then(|s| s.get_item("zhiyuan.lang").ok().flatten())
        .map(|c| Lang::from_code(&c))
        .unwrap_or(Lang::Zh)
}

pub fn load_large_text() -> bool {
    storage()
        .and_then(|s| s.get_item("zhiyuan.large_text").ok().flatten())
        .as_deref()
        == Some("1")
}

pub fn apply(lang: Lang, large_text: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item("zhiyuan.lang", lang.code());
        let _ = s.set_item("zhiyuan.large_text", if large_text { "1" } else { "0" });
    }
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
        let _ = html.set_attribute("class", if large_text { "large-text" } else { "" });
    }
}
