//! The one HTTP client of the app: typed requests, and the API's error body decoded into
//! a typed error a page can show in the reader's language.

use crate::i18n::{Lang, t};
use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use zhiyuan_shared::archive::UploadTarget;

// The calls by who may make them; both go through `send` below, the one request path.
mod activity_edits;
mod appeals;
mod assisted;
mod audit;
mod backfills;
mod calendar;
mod guardian;
mod js_json;
mod my_account;
mod need_ratings;
mod public;
mod signed_in;
pub use activity_edits::EditAnswer;
pub use backfills::org_activities_since;
pub use need_ratings::{need_rating, org_ratings};
pub use public::*;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached.
    Network,
    /// The API answered with its error body.
    Api {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Api { status: 404, .. })
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Api { code, .. } => Some(code),
            ApiError::Network => None,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Api { field, .. } => field.as_deref(),
            ApiError::Network => None,
        }
    }

    /// A message a person can act on, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Network => t(lang, "error_network").to_string(),
            ApiError::Api {
                code,
                message,
                field,
                status,
            } => match code.as_str() {
                "busy" => t(lang, "error_busy").to_string(),
                "phone_taken"
                | "id_number_taken"
                | "already_volunteer"
                | "already_member"
                | "org_not_approved"
                | "org_name_taken"
                | "wrong_state"
                | "volunteer_required"
                | "forbidden"
                | "too_many_requests"
                | "already_signed_up"
                | "overlapping_shift"
                | "deadline_passed"
                | "activity_cancelled"
                | "shift_started"
                | "below_min_age"
                | "not_signed_up"
                | "too_early"
                | "shift_over"
                | "invalid_code"
                | "too_far"
                | "already_checked_out"
                | "record_open"
                | "dispute_open"
                | "no_open_dispute"
                | "no_confirmed_records"
                | "bad_signature"
                | "untrusted_key"
                | "volunteer_not_found"
                | "already_claimed"
                | "need_not_claimed"
                | "changed_meanwhile"
                | "archive_full"
                | "upload_missing"
                | "upload_failed"
                | "bad_link"
                | "appeal_pending"
                | "already_decided"
                | "holder_changed"
                | "too_many_records"
                | "not_poster"
                | "need_withdrawn"
                | "own_record"
                | "outside_org_region"
                | "recheck_required"
                | "second_factor_required"
                | "password_required"
                | "places_below_signups"
                | "activity_changed"
                | "need_not_done"
                | "already_rated"
                | "already_replied" => t(lang, &format!("code_{code}")).to_string(),
                // The occurrences are named (date, id, reason) in the message.
                "occurrences_refused" => {
                    format!("{} {message}", t(lang, "code_occurrences_refused"))
                }
                "unauthorized" => t(lang, "code_unauthorized").to_string(),
                "internal" => t(lang, "error_internal").to_string(),
                "invalid_field" => format!(
                    "{}: {} ({})",
                    t(lang, "error_invalid_field"),
                    field.clone().unwrap_or_default(),
                    message
                ),
                _ if *status >= 500 => t(lang, "error_internal").to_string(),
                _ => message.clone(),
            },
        }
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    send(Method::GET, url, None, None::<&()>).await
}

/// The one request function: adds the bearer token, sends JSON, decodes the API's error
/// body into [`ApiError`].
async fn send<T: DeserializeOwned, B: Serialize>(
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let (req, signed) = request(method, url, token);
    let sent = match body {
        Some(b) => req.json(b).map_err(|_| ApiError::Network)?.send().await,
        None => req.send().await,
    };
    let text = answer(sent, signed).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Network)
}

/// The answer to `url` that an entry page's shell asked for while the wasm loaded
/// (`assets/zhiyuan-public-shell.js`, `assets/zhiyuan-map-shell.js`), taken once: the first
/// screen's read then starts with the page, not after the wasm. None (ask now) for another
/// URL, or if that read failed (asking again gives the error, or the answer).
async fn prefetched_text(url: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let asked = js_sys::Reflect::get(&window, &"zhiyuanPrefetch".into()).ok()?;
    if !asked.is_object() {
        return None;
    }
    let asked: js_sys::Object = asked.unchecked_into();
    let key = wasm_bindgen::JsValue::from_str(url);
    let answer: js_sys::Promise = js_sys::Reflect::get(&asked, &key).ok()?.dyn_into().ok()?;
    let _ = js_sys::Reflect::delete_property(&asked, &key);
    wasm_bindgen_futures::JsFuture::from(answer)
        .await
        .ok()?
        .as_string()
}

/// A GET the first screen makes, its answer read by one of `js_json`'s decoders (the
/// browser's JSON parser, no serde_json in the map's wasm); otherwise as [`send`].
async fn get_decoded<T>(
    url: &str,
    token: Option<&str>,
    decode: fn(&js_json::Json) -> Option<T>,
) -> Result<T, ApiError> {
    // A public read the entry page's shell already started (none is signed).
    if token.is_none()
        && let Some(early) = prefetched_text(url)
            .await
            .and_then(|text| js_json::Json::parse(&text))
            .and_then(|j| decode(&j))
    {
        return Ok(early);
    }
    let (req, signed) = request(Method::GET, url, token);
    let text = answer(req.send().await, signed).await?;
    js_json::Json::parse(&text)
        .and_then(|j| decode(&j))
        .ok_or(ApiError::Network)
}

/// A request with the bearer token, if one is given; and whether it is.
fn request(method: Method, url: &str, token: Option<&str>) -> (RequestBuilder, bool) {
    let req = RequestBuilder::new(url).method(method);
    // A page may hold the token it started with; an admin's is renewed while in use, so
    // the session's freshest one is sent.
    match token.map(|t| crate::session::current_token().unwrap_or_else(|| t.to_string())) {
        Some(t) => (req.header("Authorization", &format!("Bearer {t}")), true),
        None => (req, false),
    }
}

/// A sent request's answer: its body when it succeeded (an empty one reads as `null`,
/// as 204 and other empty answers decode), else the API's error.
async fn answer(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
    signed: bool,
) -> Result<String, ApiError> {
    let resp = sent.map_err(|_| ApiError::Network)?;
    if signed {
        if let Some(fresh) = resp.headers().get("x-session-token") {
            crate::session::renewed(&fresh);
        }
        if resp.status() == 401 {
            crate::session::ended();
        }
    }
    if resp.ok() {
        let text = resp.text().await.map_err(|_| ApiError::Network)?;
        return Ok(if text.is_empty() { "null".into() } else { text });
    }
    Err(error_of(resp, "internal").await)
}

/// The API's error body as [`ApiError`]; `fallback` is the code when the body is not one.
async fn error_of(resp: gloo_net::http::Response, fallback: &str) -> ApiError {
    let status = resp.status();
    let body = resp.text().await.ok();
    match body
        .as_deref()
        .and_then(js_json::Json::parse)
        .and_then(|j| js_json::error_detail(&j))
    {
        Some(e) => ApiError::Api {
            status,
            code: e.code,
            message: e.message,
            field: e.field,
        },
        None => ApiError::Api {
            status,
            code: fallback.into(),
            message: String::new(),
            field: None,
        },
    }
}

/// A query parameter from a form value: an empty one is left out of the query string.
fn given(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// Calls that need a signed-in user take the session's token. A 401 from one of them
/// means the session ended; the caller signs the user out.
pub struct Authorized<'a>(pub &'a str);

/// Sends a file's bytes to a presigned upload link (S3, or this server locally) with
/// exactly the headers it was signed with, and no session: the link is the permission.
pub async fn put_file(target: &UploadTarget, file: &web_sys::File) -> Result<(), ApiError> {
    let mut req = RequestBuilder::new(&target.url).method(Method::PUT);
    for (k, v) in &target.headers {
        req = req.header(k, v);
    }
    let resp = req
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if resp.ok() {
        return Ok(());
    }
    // This server answers in the API's error shape; S3 in XML, which is not shown.
    Err(error_of(resp, "upload_failed").await)
}

fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
