//! The signed-in user: the token (kept in localStorage so a reload stays signed in) and
//! the profile it names. Provided as context; pages read it and react.

use crate::api::{self, Authorized};
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::account::{Me, Role};

const KEY: &str = "zhiyuan.token";

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

    /// Reloads the profile (after becoming a volunteer, joining, being granted a role).
    pub fn refresh(&self) {
        let Some(token) = self.token.get_untracked() else {
            return;
        };
        let s = *self;
        spawn_local(async move {
            match Authorized(&token).me().await {
                Ok(me) => s.me.set(Some(me)),
                Err(api::ApiError::Api { status: 401, .. }) => s.forget(),
                Err(_) => {}
            }
            s.ready.set(true);
        });
    }

    /// Forgets the session on this device, and whatever else the app kept on it.
    pub fn forget(&self) {
        if let Some(st) = storage() {
            let _ = st.remove_item(KEY);
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

    pub fn organizes(&self, org_id: &str) -> bool {
        self.me
            .with(|m| m.as_ref().is_some_and(|m| m.has(Role::Organizer, org_id)))
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
