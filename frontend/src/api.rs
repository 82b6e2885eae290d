//! The one HTTP client of the app: typed requests, and the API's error body decoded into
//! a typed error a page can show in the reader's language.

use crate::i18n::{Lang, t};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::region::Region;
use zhiyuan_shared::station::{StationDetail, StationSummary};

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
    let resp = Request::get(url)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if resp.ok() {
        return resp.json::<T>().await.map_err(|_| ApiError::Network);
    }
    let status = resp.status();
    match resp.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Api {
            status,
            code: body.error.code,
            message: body.error.message,
            field: body.error.field,
        }),
        Err(_) => Err(ApiError::Api {
            status,
            code: "internal".into(),
            message: String::new(),
            field: None,
        }),
    }
}

/// Builds a query string from the given pairs, leaving out empty values.
fn query(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

pub async fn regions() -> Result<Vec<Region>, ApiError> {
    get_json("/api/regions").await
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationFilter {
    pub station_type: String,
    pub region: String,
}

/// Every station of a region (for the map's markers), following the cursor to the end.
pub async fn stations_in_region(filter: &StationFilter) -> Result<Vec<StationSummary>, ApiError> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    // A city has a few hundred stations; the bound stops a runaway loop, not a real list.
    for _ in 0..50 {
        let url = format!(
            "/api/stations{}",
            query(&[
                ("region", filter.region.clone()),
                ("type", filter.station_type.clone()),
                ("limit", "100".into()),
                ("cursor", cursor.clone()),
            ])
        );
        let page: Page<StationSummary> = get_json(&url).await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    Ok(out)
}

/// The nearest stations to a point, nearest first.
pub async fn stations_near(
    lat: f64,
    lng: f64,
    radius_km: f64,
    filter: &StationFilter,
    limit: u32,
) -> Result<Page<StationSummary>, ApiError> {
    let url = format!(
        "/api/stations{}",
        query(&[
            ("lat", format!("{lat:.6}")),
            ("lng", format!("{lng:.6}")),
            ("radius_km", radius_km.to_string()),
            ("region", filter.region.clone()),
            ("type", filter.station_type.clone()),
            ("limit", limit.to_string()),
        ])
    );
    get_json(&url).await
}

pub async fn station(id: &str) -> Result<StationDetail, ApiError> {
    get_json(&format!(
        "/api/stations/{}",
        js_sys::encode_uri_component(id)
    ))
    .await
}
