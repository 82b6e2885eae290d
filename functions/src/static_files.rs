//! The built SPA (`dist/`) as the local server serves it: compressed (brotli or gzip, as the
//! browser asks) and cached the way CloudFront serves it in the cloud, so local Lighthouse
//! figures mean something. Unknown paths fall back to `index.html` (client-side routes).

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::path::Path;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// Files Trunk names by content (`name-<16 hex>.ext`, `name-<16 hex>_bg.wasm`) never
/// change under their name; everything else (index.html, the service worker, Leaflet,
/// config.js) is revalidated on every load.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// True for a file name Trunk gave a content hash.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED {
        let value = if hashed { IMMUTABLE } else { REVALIDATE };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// The SPA service over `dist`.
pub fn spa(dist: &Path) -> Router {
    // The build's .br/.gz copies (scripts/precompress.sh) when there; otherwise the layer
    // below compresses as it sends.
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        // A middling level: brotli's best (11) takes seconds on the 2 MB wasm per request;
        // 5 gets most of the gain in milliseconds.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn trunk_hashed_names_are_told_from_the_rest() {
        assert!(is_hashed("/zhiyuan-frontend-0123456789abcdef.js"));
        assert!(is_hashed("/zhiyuan-frontend-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("/style-fedcba9876543210.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/leaflet/leaflet.js"));
        assert!(!is_hashed("/stations/01JABCDEFGHJKMNPQRSTVWXYZ0"));
    }
}
