//! The built SPA (`dist/`) as the local server serves it: compressed (brotli or gzip, as the
//! browser asks) and cached the way CloudFront serves it in the cloud, so local Lighthouse
//! figures mean something. Unknown paths are client-side routes, each answered with its entry
//! page (`zhiyuan_shared::entry::entry_of`): the map `index.html`, station pages
//! `station.html` (the same without Leaflet), the activities list `activities.html`, the
//! other public pages `public.html`, every other path `app.html`, the full app (a build
//! without one of these falls back to the next larger that it has: `index.html` renders
//! station pages too, `public.html` the activities list).

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::convert::Infallible;
use std::path::Path;
use tower::ServiceExt;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use zhiyuan_shared::entry::Entry;

/// Files Trunk names by content (`name-<hex>.ext`, `name-<hex>_bg.wasm`: a 64-bit hash
/// written without leading zeros, so sometimes fewer than 16 digits) never
/// change under their name; everything else (index.html, the service worker, Leaflet,
/// config.js) is revalidated on every load.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// True for a file name Trunk gave a content hash.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
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

/// The entry page that renders `entry`'s pages too, for a build without `entry`'s own: a
/// station page is the map's, the activities list the other public pages', those the full
/// app's, and the full app a build of one entry point (index.html) renders every page.
fn stand_in(entry: Entry) -> Option<Entry> {
    match entry {
        Entry::Map => None,
        Entry::Station | Entry::Full => Some(Entry::Map),
        Entry::Activities => Some(Entry::Public),
        Entry::Public => Some(Entry::Full),
    }
}

/// The SPA service over `dist`.
pub fn spa(dist: &Path) -> Router {
    // The build's .br/.gz copies (scripts/precompress.sh) when there; otherwise the layer
    // below compresses as it sends.
    let page = |name: &str| {
        ServeFile::new(dist.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    // A build without the split serves the next larger entry page it has (`stand_in`).
    let serve = |entry: Entry| {
        let mut entry = entry;
        while !dist.join(entry.html()).exists() {
            match stand_in(entry) {
                Some(larger) => entry = larger,
                None => break,
            }
        }
        page(entry.html())
    };
    let (map, station, activities, public, full) = (
        serve(Entry::Map),
        serve(Entry::Station),
        serve(Entry::Activities),
        serve(Entry::Public),
        serve(Entry::Full),
    );
    let entry = tower::service_fn(move |req: Request| {
        let page = match zhiyuan_shared::entry::entry_of(req.uri().path()) {
            Entry::Map => map.clone(),
            Entry::Station => station.clone(),
            Entry::Activities => activities.clone(),
            Entry::Public => public.clone(),
            Entry::Full => full.clone(),
        };
        async move {
            let res = page.oneshot(req).await?;
            Ok::<_, Infallible>(res.map(Body::new))
        }
    });
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(entry);
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
        // A hash with a leading zero is written one digit shorter.
        assert!(is_hashed("/zhiyuan-public-9920c36f3dae2b8_bg.wasm"));
        // The app's own scripts by the names scripts/spa-full.sh gives them.
        assert!(is_hashed("/map-0123456789abcdef.js"));
        assert!(is_hashed("/zhiyuan-map-shell-0123456789abcdef.js"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/leaflet/leaflet.js"));
        assert!(!is_hashed("/stations/01JABCDEFGHJKMNPQRSTVWXYZ0"));
    }
}
