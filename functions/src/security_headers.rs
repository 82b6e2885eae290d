//! The browser-hardening headers, defined once: the local server sends them on every
//! response (the SPA's files, its two entry pages, the API), the Lambda functions on every
//! API response, and `template.yaml` declares the same policy as the CloudFront
//! distribution's `ResponseHeadersPolicy` (a test reads the template and compares).
//!
//! The Content-Security-Policy, directive by directive:
//! - `script-src 'self' 'wasm-unsafe-eval'`: the app's own files only, and compiling its
//!   WebAssembly. No inline script: Trunk's inline wasm loader is moved to a file at build
//!   time (`scripts/external-loader.sh`).
//! - `style-src 'self'`: stylesheets from the app only, and no `style="…"` attributes or
//!   `<style>` elements. Leaflet and the app place elements through the CSSOM
//!   (`element.style.left = …`, Leptos' `style:width=`), which CSP does not govern, so
//!   neither `'unsafe-inline'` nor a `style-src-attr` exception is needed.
//! - `img-src 'self' data:` and the map tile hosts `frontend/assets/config.js` documents
//!   (OpenStreetMap by default, 天地图 in China). `data:` because Leaflet 1.9 cancels a
//!   tile's pending download by pointing its `<img>` at a 1×1 `data:` GIF
//!   (`L.Util.emptyImageUrl`) and knows a cancelled tile by that address; refused, every
//!   tile removed while loading (panning, zooming, leaving the map) is a CSP refusal. A
//!   `data:` image runs no script and reaches no network. No `blob:`: nothing draws from
//!   one (Leaflet's icons are files, the markers `divIcon`s).
//! - `connect-src 'self'` and, in the cloud, the attachments bucket, where the browser PUTs
//!   an upload through its presigned link (downloads are navigations, not fetches).
//! - `frame-ancestors 'none'`, `object-src 'none'`, `base-uri 'none'`, `form-action 'self'`.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The map tile hosts images may come from: OpenStreetMap's (config.js' default) and
/// 天地图's (the documented alternative for a deployment in China).
pub const TILE_HOSTS: [&str; 2] = [
    "https://*.tile.openstreetmap.org",
    "https://*.tianditu.gov.cn",
];

/// Two years, with subdomains: HSTS preload lists ask for at least one.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";
pub const REFERRER_POLICY: &str = "no-referrer";
pub const CONTENT_TYPE_OPTIONS: &str = "nosniff";
pub const PERMISSIONS_POLICY: &str = "geolocation=(self), camera=(self)";

/// The Content-Security-Policy, with the origin presigned uploads go to (`None` when
/// uploads go to the app itself, as they do locally).
pub fn content_security_policy(files_origin: Option<&str>) -> String {
    let images = ["'self'", "data:"]
        .into_iter()
        .chain(TILE_HOSTS)
        .collect::<Vec<_>>()
        .join(" ");
    let connect = std::iter::once("'self'")
        .chain(files_origin)
        .collect::<Vec<_>>()
        .join(" ");
    [
        "default-src 'self'".to_string(),
        "script-src 'self' 'wasm-unsafe-eval'".to_string(),
        "style-src 'self'".to_string(),
        format!("img-src {images}"),
        format!("connect-src {connect}"),
        "frame-ancestors 'none'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "form-action 'self'".to_string(),
    ]
    .join("; ")
}

/// The origin of the attachments bucket's presigned links: the SDK signs virtual-hosted,
/// regional addresses (`https://<bucket>.s3.<region>.amazonaws.com`, `.com.cn` in China),
/// the same the template writes as `${FilesBucket}.s3.${AWS::Region}.${AWS::URLSuffix}`.
pub fn bucket_origin(bucket: &str, region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{bucket}.s3.{region}.{suffix}")
}

/// Every header of the policy, by name.
pub fn headers(files_origin: Option<&str>) -> Vec<(HeaderName, String)> {
    vec![
        (
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(files_origin),
        ),
        (
            header::STRICT_TRANSPORT_SECURITY,
            STRICT_TRANSPORT_SECURITY.to_string(),
        ),
        (header::REFERRER_POLICY, REFERRER_POLICY.to_string()),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            CONTENT_TYPE_OPTIONS.to_string(),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY.to_string(),
        ),
    ]
}

/// The policy as a middleware (`axum::middleware::from_fn_with_state`); it sets each header
/// on every response, replacing one a handler set.
#[derive(Clone)]
pub struct SecurityHeaders(Arc<Vec<(HeaderName, HeaderValue)>>);

impl SecurityHeaders {
    pub fn new(files_origin: Option<&str>) -> SecurityHeaders {
        SecurityHeaders(Arc::new(
            headers(files_origin)
                .into_iter()
                .filter_map(|(name, value)| Some((name, HeaderValue::from_str(&value).ok()?)))
                .collect(),
        ))
    }

    /// The policy of the running deployment: with its attachments bucket when it has one.
    pub fn for_config(config: &crate::config::Config) -> SecurityHeaders {
        let origin = config.files_bucket.as_deref().map(|bucket| {
            // Lambda sets AWS_REGION; the SDK signs for the same region.
            let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
            bucket_origin(bucket, &region)
        });
        SecurityHeaders::new(origin.as_deref())
    }
}

pub async fn apply(
    axum::extract::State(policy): axum::extract::State<SecurityHeaders>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in policy.0.iter() {
        if name == header::CONTENT_SECURITY_POLICY && headers.contains_key(name) {
            // A handler's own, stricter policy (an attachment download is `sandbox`ed)
            // stays first; browsers enforce every policy sent, so both apply.
            headers.append(name.clone(), value.clone());
        } else if !headers.contains_key(name) {
            headers.insert(name.clone(), value.clone());
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_the_app_the_tiles_and_the_bucket() {
        let csp = content_security_policy(Some("https://files.s3.cn-north-1.amazonaws.com.cn"));
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "img-src 'self' data: https://*.tile.openstreetmap.org https://*.tianditu.gov.cn",
            "connect-src 'self' https://files.s3.cn-north-1.amazonaws.com.cn",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ] {
            assert!(
                csp.split("; ").any(|d| d == directive),
                "{directive} in {csp}"
            );
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(
            content_security_policy(None)
                .split("; ")
                .find(|d| d.starts_with("connect-src")),
            Some("connect-src 'self'")
        );
    }

    #[test]
    fn the_bucket_origin_follows_the_partition() {
        assert_eq!(
            bucket_origin("b", "cn-northwest-1"),
            "https://b.s3.cn-northwest-1.amazonaws.com.cn"
        );
        assert_eq!(
            bucket_origin("b", "eu-west-1"),
            "https://b.s3.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn hsts_lasts_at_least_a_year_with_subdomains() {
        let age: u64 = STRICT_TRANSPORT_SECURITY
            .strip_prefix("max-age=")
            .and_then(|s| s.split(';').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(age >= 365 * 24 * 3600);
        assert!(STRICT_TRANSPORT_SECURITY.contains("includeSubDomains"));
    }
}
