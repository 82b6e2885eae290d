//! The local server serves dist/ as CloudFront does: compressed as the browser asks,
//! Trunk's hashed files cached for a year, index.html (and client routes) revalidated.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};
use zhiyuan_functions::static_files::{IMMUTABLE, REVALIDATE, spa};

async fn serve_dist() -> String {
    let dir = zhiyuan_tests::target_dir()
        .join("test-static")
        .join(ulid::Ulid::new().to_string());
    std::fs::create_dir_all(&dir).expect("dist dir");
    let page = format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        "志愿".repeat(500)
    );
    std::fs::write(dir.join("index.html"), page).expect("index");
    for (name, body) in [
        ("activities.html", "the activities list"),
        ("station.html", "a station page"),
        ("app.html", "the full app"),
        ("public.html", "the public pages"),
    ] {
        std::fs::write(
            dir.join(name),
            format!("<!DOCTYPE html><html><body>{body}</body></html>"),
        )
        .expect(name);
    }
    std::fs::write(
        dir.join("zhiyuan-frontend-0123456789abcdef_bg.wasm"),
        vec![7u8; 50_000],
    )
    .expect("wasm");
    std::fs::write(
        dir.join("app-0123456789abcdef.js"),
        "console.log(1);".repeat(100),
    )
    .expect("js");
    std::fs::write(
        dir.join("app-0123456789abcdef.js.br"),
        "precompressed bytes",
    )
    .expect("br");
    std::fs::write(
        dir.join("sw.js"),
        "self.addEventListener('fetch', () => {});".repeat(20),
    )
    .expect("sw");
    serve(dir).await
}

/// The local server's SPA service over `dir`, on a free port; its base URL.
async fn serve(dir: std::path::PathBuf) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, spa(&dir)).await;
    });
    format!("http://{addr}")
}

async fn fetch(base: &str, path: &str, encoding: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header(ACCEPT_ENCODING, encoding)
        .send()
        .await
        .expect("GET")
}

fn header(r: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn hashed_files_are_immutable_and_compressed_as_the_browser_asks() {
    let base = serve_dist().await;
    let wasm = "/zhiyuan-frontend-0123456789abcdef_bg.wasm";
    let br = fetch(&base, wasm, "br, gzip").await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(header(&br, CONTENT_ENCODING), "br");
    assert_eq!(header(&br, CACHE_CONTROL), IMMUTABLE);
    assert!(br.bytes().await.expect("body").len() < 50_000, "smaller");
    let gz = fetch(&base, wasm, "gzip").await;
    assert_eq!(header(&gz, CONTENT_ENCODING), "gzip");
    let plain = fetch(&base, wasm, "identity").await;
    assert_eq!(header(&plain, CONTENT_ENCODING), "");
    assert_eq!(plain.bytes().await.expect("body").len(), 50_000);
}

#[tokio::test]
async fn a_precompressed_copy_is_sent_as_it_is() {
    let base = serve_dist().await;
    let r = fetch(&base, "/app-0123456789abcdef.js", "br").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, CONTENT_ENCODING), "br");
    assert_eq!(header(&r, CACHE_CONTROL), IMMUTABLE);
    assert_eq!(&r.bytes().await.expect("body")[..], b"precompressed bytes");
}

#[tokio::test]
async fn index_html_the_service_worker_and_client_routes_are_revalidated() {
    let base = serve_dist().await;
    for path in [
        "/",
        "/index.html",
        "/sw.js",
        "/stations/01JABCDEFGHJKMNPQRSTVWXYZ0",
        "/me/records",
    ] {
        let r = fetch(&base, path, "br").await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&r, CACHE_CONTROL), REVALIDATE, "{path}");
        assert_eq!(header(&r, CONTENT_ENCODING), "br", "{path}");
    }
}

#[tokio::test]
async fn the_map_loads_the_first_screen_public_pages_their_entry_and_every_other_route_the_full_app()
 {
    let base = serve_dist().await;
    let body = |path: &'static str| {
        let base = base.clone();
        async move {
            fetch(&base, path, "identity")
                .await
                .text()
                .await
                .expect("body")
        }
    };
    assert!(body("/").await.contains("志愿"), "/ should load index.html");
    for path in ["/stations/01JABC", "/stations/01JABC/"] {
        assert!(
            body(path).await.contains("a station page"),
            "{path} should load station.html"
        );
    }
    for path in ["/activities", "/activities/"] {
        assert!(
            body(path).await.contains("the activities list"),
            "{path} should load activities.html"
        );
    }
    for path in ["/activities/01JABC", "/needs", "/verify/AB12", "/exemplary"] {
        assert!(
            body(path).await.contains("the public pages"),
            "{path} should load public.html"
        );
    }
    for path in [
        "/login",
        "/me/records",
        "/activities/new",
        "/orgs/01JABC",
        "/admin",
    ] {
        assert!(
            body(path).await.contains("the full app"),
            "{path} should load app.html"
        );
    }
}

/// A build without some entry pages (an older one, or one entry point) answers their pages
/// with the next larger it has that renders them.
#[tokio::test]
async fn a_build_without_an_entry_page_answers_with_the_next_larger_it_has() {
    let dir = zhiyuan_tests::target_dir()
        .join("test-static")
        .join(ulid::Ulid::new().to_string());
    std::fs::create_dir_all(&dir).expect("dist dir");
    for (name, body) in [
        ("index.html", "the map"),
        ("public.html", "the public pages"),
    ] {
        std::fs::write(dir.join(name), body).expect(name);
    }
    let base = serve(dir).await;
    for (path, wanted) in [
        ("/stations/01JABC", "the map"),
        ("/activities", "the public pages"),
        ("/needs", "the public pages"),
        ("/login", "the map"),
    ] {
        let body = fetch(&base, path, "identity")
            .await
            .text()
            .await
            .expect("body");
        assert_eq!(body, wanted, "{path}");
    }
}
