//! Which of the SPA's entry points a page belongs to. The first screen (the map, `index.html`,
//! and the station pages, `station.html`: the same wasm without Leaflet) is the smallest
//! wasm; the activities list (`activities.html`) a second small one; the other public pages
//! (activities' and needs' detail pages with the sign-up forms, the needs list,
//! verification, perks, 选树典型: `public.html`) a third; none carries the organizer, admin,
//! records, statistics and account code, which with every other page is the full app
//! (`app.html`). The local server, the CloudFront function and the service worker pick the
//! HTML by this rule, and each app hands a path it does not render to the right one with a
//! page load.

/// One of the SPA's entry points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// `index.html`: the map, what a resident opens first.
    Map,
    /// `station.html`: a station page, the map's wasm without Leaflet, which the page does
    /// not draw (a link shared in a chat lands here first); `map.js` loads Leaflet when the
    /// person goes on to the map.
    Station,
    /// `activities.html`: the activities list alone, where a link to 活动 lands (about half
    /// `public.html`'s wasm); an activity's page is `public.html`'s, whose files the list
    /// fetches once it has shown.
    Activities,
    /// `public.html`: the other public pages.
    Public,
    /// `app.html`: every page; the one a page not named here belongs to.
    Full,
}

impl Entry {
    /// The HTML file that loads this entry point.
    pub fn html(self) -> &'static str {
        match self {
            Entry::Map => "index.html",
            Entry::Station => "station.html",
            Entry::Activities => "activities.html",
            Entry::Public => "public.html",
            Entry::Full => "app.html",
        }
    }
}

/// The entry point that renders `path`. `…/new` paths are the full app's (publishing),
/// though they look like an id under a public list. New pages belong to the full app
/// unless named here.
pub fn entry_of(path: &str) -> Entry {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match segments.as_slice() {
        [""] => Entry::Map,
        ["stations", _] => Entry::Station,
        ["activities"] => Entry::Activities,
        ["needs" | "verify" | "perks" | "exemplary"] => Entry::Public,
        ["verify", _] => Entry::Public,
        ["activities" | "needs", id] if *id != "new" => Entry::Public,
        _ => Entry::Full,
    }
}

/// True for a path one of the public entry points renders (not the full app).
pub fn is_public_page(path: &str) -> bool {
    entry_of(path) != Entry::Full
}

#[cfg(test)]
mod tests {
    use super::{Entry, entry_of, is_public_page};

    #[test]
    fn the_map_and_station_pages_are_the_first_screens_entry() {
        assert_eq!(entry_of("/"), Entry::Map);
        for path in ["/stations/01JABC", "/stations/01JABC/"] {
            assert_eq!(entry_of(path), Entry::Station, "{path}");
        }
    }

    #[test]
    fn the_public_lists_and_detail_pages_are_the_public_entry() {
        for path in ["/activities", "/activities/"] {
            assert_eq!(entry_of(path), Entry::Activities, "{path}");
        }
        for path in [
            "/activities/01JABC",
            "/needs/",
            "/needs/01JABC",
            "/verify",
            "/verify/ABCD-1234",
            "/perks",
            "/exemplary",
        ] {
            assert_eq!(entry_of(path), Entry::Public, "{path}");
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
