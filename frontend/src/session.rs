//! The signed-in user: the token (kept in localStorage so a reload stays signed in) and
//! the profile it names. Provided as context; pages read it and react.
//!
//! A region admin's token is short (30 minutes without a request): the API sends a fresh
//! one in `X-Session-Token`, which [`renewed`] stores; when it has run out, [`ended`] sends
//! the admin to the sign-in page, which says why and comes back here afterwards.

use crate::api::{self, Authorized};
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::account::{Me, Role};

const KEY: &str = "zhiyuan.token";
/// Set while the stored session is a region admin's, so a reload after the idle-out still
/// says why the admin is signed out.
const ADMIN_KEY: &str = "zhiyuan.admin";

thread_local! {
    /// The app's one session, for the request function (which runs outside components).
    static CURRENT: std::cell::Cell<Option<Session>> = const { std::cell::Cell::new(None) };
}

/// The freshest token of the signed-in session, if any.
pub fn current_token() -> Option<String> {
    CURRENT.with(|c| c.get())?.token.get_untracked()
}

/// The API renewed the session's token (an admin's, while in use): keep the new one.
pub fn renewed(token: &str) {
    if let Some(s) = CURRENT.with(|c| c.get())
        && s.token.get_untracked().is_some()
    {
        s.renew_quietly(token.to_string());
    }
}

/// A signed-in call answered 401: the session is over. An admin's idled out, so the admin
/// goes to the sign-in page, told why, and comes back to this page afterwards; anyone
/// else's is left to the page (it shows the sign-in prompt).
pub fn ended() {
    let Some(s) = CURRENT.with(|c| c.get()) else {
        return;
    };
    let was_admin = s.is_admin()
        || storage()
            .and_then(|st| st.get_item(ADMIN_KEY).ok().flatten())
            .is_some();
    if !was_admin {
        return;
    }
    s.forget();
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let target = format!(
        "/login?{}={}&{}={}",
        ENDED_QUERY,
        ENDED_IDLE,
        NEXT_QUERY,
        String::from(js_sys::encode_uri_component(&here))
    );
    let _ = location.set_href(&target);
}

/// The sign-in page's query: why the session ended, and where to go back to.
pub const ENDED_QUERY: &str = "ended";
pub const ENDED_IDLE: &str = "idle";
pub const NEXT_QUERY: &str = "next";

/// Where to go after signing in: the page named by `next` when it is a path of this app
/// (never another site), else "我的".
pub fn after_sign_in(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .unwrap_or_else(|| crate::pages::AppRoute::Me.href())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[derive(Clone, Copy)]
pub struct Session {
    pub token: RwSignal<Option<String>>,
    pub me: RwSignal<Option<Me>>,
    /// True once the stored token has been checked (or there was none).
    pub ready: RwSignal<bool>,
}

impl Session {
    /// Reads the stored token and loads the profile it names; a token the server refuses
    /// is dropped.
    pub fn start() -> Self {
        let stored = storage().and_then(|s| s.get_item(KEY).ok().flatten());
        let s = Self {
            token: RwSignal::new(stored.clone()),
            me: RwSignal::new(None),
            ready: RwSignal::new(stored.is_none()),
        };
        CURRENT.with(|c| c.set(Some(s)));
        if stored.is_some() {
            s.refresh();
        }
        s
    }

    pub fn sign_in(&self, token: String, me: Option<Me>) {
        if let Some(st) = storage() {
            let _ = st.set_item(KEY, &token);
        }
        self.token.set(Some(token));
        match me {
            Some(m) => {
                self.remember_admin(&m);
                self.me.set(Some(m));
                self.ready.set(true);
            }
            None => self.refresh(),
        }
    }

    /// Keeps this device signed in under a fresh token (after a password change ended the
    /// other sessions); the profile is unchanged, so the page showing it stays as it is.
    pub fn renew(&self, token: String) {
        if let Some(st) = storage() {
            let _ = st.set_item(KEY, &token);
        }
        self.token.set(Some(token));
    }

    /// The same session under a renewed or re-checked token: stored, and used by the next
    /// request, without re-running what reads the token (the pages' data stays as it is).
    pub fn renew_quietly(&self, token: String) {
        if let Some(st) = storage() {
            let _ = st.set_item(KEY, &token);
        }
        self.token.update_untracked(|t| *t = Some(token));
    }

    /// Reloads the profile (after becoming a volunteer, joining, being granted a role).
    pub fn refresh(&self) {
        let Some(token) = self.token.get_untracked() else {
            return;
        };
        let s = *self;
        spawn_local(async move {
            // The map's entry (feature `first-screen`) reads only what its header shows.
            #[cfg(feature = "first-screen")]
            let me = Authorized(&token).me_for_header().await;
            #[cfg(not(feature = "first-screen"))]
            let me = Authorized(&token).me().await;
            match me {
                Ok(me) => {
                    s.remember_admin(&me);
                    s.me.set(Some(me));
                }
                Err(api::ApiError::Api { status: 401, .. }) => {
                    ended();
                    s.forget();
                }
                Err(_) => {}
            }
            s.ready.set(true);
        });
    }

    fn remember_admin(&self, me: &Me) {
        if let Some(st) = storage() {
            let _ = if me.admin_regions().next().is_some() {
                st.set_item(ADMIN_KEY, "1")
            } else {
                st.remove_item(ADMIN_KEY)
            };
        }
    }

    /// Forgets the session on this device, and whatever else the app kept on it.
    pub fn forget(&self) {
        if let Some(st) = storage() {
            let _ = st.remove_item(KEY);
            let _ = st.remove_item(ADMIN_KEY);
        }
        crate::components::offline::forget_device_data();
        self.token.set(None);
        self.me.set(None);
        self.ready.set(true);
    }

    pub fn is_admin(&self) -> bool {
        self.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.admin_regions().next().is_some())
        })
    }

    /// Whether the caller holds a role that may register residents (代注册): a station
    /// manager or an organizer (the server also requires the organisation approved).
    pub fn may_assist(&self) -> bool {
        self.me.with(|m| {
            m.as_ref().is_some_and(|m| {
                m.roles
                    .iter()
                    .any(|g| matches!(g.role, Role::StationManager | Role::Organizer))
            })
        })
    }

    pub fn organizes(&self, org_id: &str) -> bool {
        self.me
            .with(|m| m.as_ref().is_some_and(|m| m.has(Role::Organizer, org_id)))
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
