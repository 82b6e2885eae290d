//! Files the browser saves: transfer files, CSV exports.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Offers `text` as a file download named `name` of type `mime`.
pub fn offer(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Offers a table as a CSV file (see `zhiyuan_shared::stats::to_csv`).
pub fn offer_csv(name: &str, header: &[&str], rows: &[Vec<String>]) {
    offer(
        name,
        "text/csv;charset=utf-8",
        &zhiyuan_shared::stats::to_csv(header, rows),
    );
}
