//! Which of the SPA's two entry points a page belongs to. The public pages (map, station,
//! activities, needs, verification, perks, 选树典型) are a smaller wasm (`index.html`) that
//! does not carry the organizer, admin, records, statistics and account code; every other
//! page is the full app (`app.html`). The local server picks the HTML by this rule, and the
//! public app hands every other path to the full one with a page load.

/// True for a path the public entry point renders. `…/new` paths are the full app's
/// (publishing), though they look like an id under a public list.
pub fn is_public_page(path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match segments.as_slice() {
        [""] => true,
        ["activities" | "needs" | "verify" | "perks" | "exemplary"] => true,
        ["stations" | "verify", _] => true,
        ["activities" | "needs", id] => *id != "new",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_public_page;

    #[test]
    fn the_map_and_the_public_lists_are_public_pages() {
        for path in [
            "/",
            "/stations/01JABC",
            "/activities",
            "/activities/01JABC",
            "/needs/",
            "/needs/01JABC",
            "/verify",
            "/verify/ABCD-1234",
            "/perks",
            "/exemplary",
        ] {
            assert!(is_public_page(path), "{path} should be public");
        }
    }

    #[test]
    fn signed_in_pages_and_publishing_are_the_full_apps() {
        for path in [
            "/login",
            "/me",
            "/me/activities",
            "/activities/new",
            "/needs/new",
            "/orgs",
            "/orgs/new",
            "/admin",
            "/stats",
            "/records/01JABC",
            "/shifts/01JABC/checkin",
            "/stations/01JABC/extra",
        ] {
            assert!(!is_public_page(path), "{path} should be the full app's");
        }
    }
}
