//! One security-header policy (functions/src/security_headers.rs): every response of the
//! local server carries it (the entry pages, hashed files, the API), and template.yaml
//! declares the same policy for CloudFront. The edge picks the entry page of a client-side
//! route by the same rule as the local server, and lets the API's errors through.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};
use serde_yaml::Value as Yaml;
use zhiyuan_functions::security_headers::{
    CONTENT_TYPE_OPTIONS, PERMISSIONS_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    content_security_policy, headers,
};
use zhiyuan_functions::static_files::{IMMUTABLE, REVALIDATE, is_hashed};
use zhiyuan_tests::{spawn_app, workspace_root};

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// A hashed file of the built SPA (`make spa`), e.g. the public pages' wasm.
fn a_hashed_asset() -> String {
    let dist = workspace_root().join("dist");
    let mut names: Vec<String> = std::fs::read_dir(&dist)
        .unwrap_or_else(|e| panic!("{} (run `make spa` first): {e}", dist.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".wasm") && is_hashed(n))
        .collect();
    names.sort();
    format!("/{}", names.first().expect("a hashed wasm in dist/"))
}

#[tokio::test]
async fn every_response_of_the_local_server_carries_the_policy() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let asset = a_hashed_asset();
    for path in ["/", "/index.html", asset.as_str(), "/api/health", "/me"] {
        let r = http
            .get(format!("{}{path}", app.base))
            .header(ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        for (name, value) in headers(None) {
            assert_eq!(header(&r, name.as_str()), value, "{name} on {path}");
        }
    }
    // The errors too: a refusal is a response like any other.
    let r = http
        .get(format!("{}/api/me", app.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        header(&r, "content-security-policy"),
        content_security_policy(None)
    );
}

#[tokio::test]
async fn hashed_files_are_immutable_and_compressed_and_the_entry_pages_revalidated() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let get = |path: String| {
        http.get(format!("{}{path}", app.base))
            .header(ACCEPT_ENCODING, "br, gzip")
            .send()
    };
    let wasm = get(a_hashed_asset()).await.expect("GET");
    assert_eq!(header(&wasm, CACHE_CONTROL.as_str()), IMMUTABLE);
    assert_eq!(header(&wasm, CONTENT_ENCODING.as_str()), "br");
    for page in ["/", "/index.html", "/login"] {
        let r = get(page.to_string()).await.expect("GET");
        assert_eq!(header(&r, CACHE_CONTROL.as_str()), REVALIDATE, "{page}");
        assert_eq!(header(&r, CONTENT_ENCODING.as_str()), "br", "{page}");
        // Under `script-src 'self'` an inline script would not run: the build moved the
        // wasm loader into a file (scripts/external-loader.sh).
        let html = r.text().await.expect("body");
        assert!(
            !html.contains("<script>") && !html.contains("<script type=\"module\">"),
            "{page} has an inline script"
        );
    }
}

/// `!Sub`, `!If`… wrap a value in a tag; the value inside.
fn untag(v: &Yaml) -> &Yaml {
    match v {
        Yaml::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn template() -> Yaml {
    let text =
        std::fs::read_to_string(workspace_root().join("template.yaml")).expect("template.yaml");
    serde_yaml::from_str(&text).expect("template parses")
}

#[test]
fn cloudfront_sends_the_same_headers_as_the_local_server() {
    let doc = template();
    let policy = &doc["Resources"]["SecurityHeadersPolicy"];
    assert_eq!(
        policy["Type"].as_str(),
        Some("AWS::CloudFront::ResponseHeadersPolicy")
    );
    let config = &policy["Properties"]["ResponseHeadersPolicyConfig"];
    let security = &config["SecurityHeadersConfig"];
    // The bucket's origin as the template writes it, the rest word for word.
    let csp = untag(&security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
        .as_str()
        .expect("CSP");
    assert_eq!(
        csp,
        content_security_policy(Some(
            "https://${FilesBucket}.s3.${AWS::Region}.${AWS::URLSuffix}"
        ))
    );
    let hsts = &security["StrictTransportSecurity"];
    let mut written = format!(
        "max-age={}",
        hsts["AccessControlMaxAgeSec"].as_u64().expect("max age")
    );
    if hsts["IncludeSubdomains"].as_bool() == Some(true) {
        written.push_str("; includeSubDomains");
    }
    assert_eq!(written, STRICT_TRANSPORT_SECURITY);
    assert_eq!(
        security["ReferrerPolicy"]["ReferrerPolicy"].as_str(),
        Some(REFERRER_POLICY)
    );
    // CloudFront writes `nosniff` when the block is there.
    assert_eq!(CONTENT_TYPE_OPTIONS, "nosniff");
    assert!(security["ContentTypeOptions"].is_mapping());
    let custom = config["CustomHeadersConfig"]["Items"]
        .as_sequence()
        .expect("custom headers");
    assert!(custom.iter().any(|h| {
        h["Header"].as_str() == Some("Permissions-Policy")
            && h["Value"].as_str() == Some(PERMISSIONS_POLICY)
    }));
    for block in [
        "SecurityHeadersConfig/ContentSecurityPolicy",
        "SecurityHeadersConfig/StrictTransportSecurity",
        "SecurityHeadersConfig/ReferrerPolicy",
        "SecurityHeadersConfig/ContentTypeOptions",
    ] {
        let (a, b) = block.split_once('/').expect("path");
        assert_eq!(config[a][b]["Override"].as_bool(), Some(true), "{block}");
    }
    // On both behaviours: the SPA's files and the API.
    let dist = &doc["Resources"]["SpaDistribution"]["Properties"]["DistributionConfig"];
    let behaviours = std::iter::once(&dist["DefaultCacheBehavior"]).chain(
        dist["CacheBehaviors"]
            .as_sequence()
            .expect("behaviours")
            .iter(),
    );
    for b in behaviours {
        assert_eq!(
            untag(&b["ResponseHeadersPolicyId"]).as_str(),
            Some("SecurityHeadersPolicy"),
            "{:?}",
            b["PathPattern"]
        );
    }
}

#[test]
fn the_api_behaviour_forwards_the_idempotency_key_and_no_error_page_replaces_its_errors() {
    let doc = template();
    let dist = &doc["Resources"]["SpaDistribution"]["Properties"]["DistributionConfig"];
    let api = dist["CacheBehaviors"]
        .as_sequence()
        .expect("behaviours")
        .iter()
        .find(|b| b["PathPattern"].as_str() == Some("/api/*"))
        .expect("the API behaviour");
    let forwarded: Vec<&str> = api["ForwardedValues"]["Headers"]
        .as_sequence()
        .expect("headers")
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    for h in ["Authorization", "Idempotency-Key", "Content-Type"] {
        assert!(forwarded.contains(&h), "{h} forwarded");
    }
    // Error pages only where the edge function cannot exist: `!If [EdgeFunctions,
    // NoValue, pages]`.
    let Yaml::Tagged(errors) = &dist["CustomErrorResponses"] else {
        panic!("CustomErrorResponses must be conditional on EdgeFunctions");
    };
    let branches = errors.value.as_sequence().expect("!If");
    assert_eq!(branches[0].as_str(), Some("EdgeFunctions"));
    assert_eq!(untag(&branches[1]).as_str(), Some("AWS::NoValue"));
    let association = untag(&dist["DefaultCacheBehavior"]["FunctionAssociations"]);
    assert_eq!(association[0].as_str(), Some("EdgeFunctions"));
}

/// Client routes of every entry page, with and without a trailing slash, for the rules
/// that must agree with `entry_of`.
const ROUTES: [&str; 25] = [
    "/",
    "/activities",
    "/activities/",
    "/activities/01JABC",
    "/activities/new",
    "/activities/new/",
    "/needs",
    "/needs/01JABC",
    "/needs/new",
    "/verify",
    "/verify/AB12-CD34",
    "/perks",
    "/exemplary",
    "/stations/01JABC",
    "/stations/01JABC/",
    "/stations",
    "/stations/01JABC/extra",
    "/login",
    "/me",
    "/me/records",
    "/orgs/01JABC",
    "/admin",
    "/stats",
    "/records/01JABC",
    "/shifts/01JABC/checkin",
];

/// Runs `script` under node (installed with the project's tools) from a file named `name`
/// and returns what it printed; fails the test on an error.
fn node_prints(name: &str, script: &str) -> String {
    let file = zhiyuan_tests::target_dir().join(name);
    std::fs::write(&file, script).expect("write the script");
    let out = std::process::Command::new("node")
        .arg(&file)
        .output()
        .expect("node (installed with the project's tools) runs the script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_edge_picks_the_entry_page_by_the_servers_rule() {
    use zhiyuan_shared::entry::entry_of;
    let doc = template();
    let code = doc["Resources"]["SpaEntryFunction"]["Properties"]["FunctionCode"]
        .as_str()
        .expect("function code");
    let paths = ROUTES;
    let script = format!(
        "{code}\nconsole.log(JSON.stringify({}.map(function (p) {{ return handler({{request: {{uri: p}}}}).uri; }})));",
        serde_json::to_string(&paths).expect("json")
    );
    let uris: Vec<String> =
        serde_json::from_str(&node_prints("spa-entry-function.js", &script)).expect("uris");
    for (path, uri) in paths.iter().zip(&uris) {
        let wanted = format!("/{}", entry_of(path).html());
        assert_eq!(uri, &wanted, "{path}");
    }
    // Files go to the bucket as they are, a missing one included.
    let files = "console.log(handler({request: {uri: '/zhiyuan-public-0123456789abcdef_bg.wasm'}}).uri + ' ' + handler({request: {uri: '/leaflet/leaflet.css'}}).uri);";
    assert_eq!(
        node_prints("spa-entry-files.js", &format!("{code}\n{files}")).trim(),
        "/zhiyuan-public-0123456789abcdef_bg.wasm /leaflet/leaflet.css"
    );
}

/// The service worker keeps each page under its entry page's key (`entryKey` in sw.js) by
/// the same rule: offline, a page boots the entry that renders it.
#[test]
fn the_service_worker_keeps_each_page_under_its_entry_by_the_servers_rule() {
    use zhiyuan_shared::entry::{Entry, entry_of};
    let sw =
        std::fs::read_to_string(workspace_root().join("frontend/assets/sw.js")).expect("sw.js");
    // The worker's globals, enough for its top level to run under node.
    let script = format!(
        "var self = {{ addEventListener: function () {{}}, location: {{ origin: '' }} }};\n{sw}\n\
         console.log(JSON.stringify({}.map(entryKey)));",
        serde_json::to_string(&ROUTES).expect("json")
    );
    let keys: Vec<String> =
        serde_json::from_str(&node_prints("sw-entry-keys.js", &script)).expect("keys");
    for (path, key) in ROUTES.iter().zip(&keys) {
        // The map's page is kept as '/', the others by their file's name.
        let wanted = match entry_of(path) {
            Entry::Map => "/".to_string(),
            other => format!("/{}", other.html()),
        };
        assert_eq!(key, &wanted, "{path}");
    }
}
