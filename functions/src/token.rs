//! Session tokens: `<payload>.<signature>`, both base64url. The payload names the user,
//! the user's token generation (bumped by "log out everywhere"), the expiry, whether the
//! session passed a second factor, and when the password or a code was last entered again
//! (the re-check); the signature is HMAC-SHA256 under the session key. Nothing personal is
//! in a token.
//!
//! Two kinds of session. A person's session lasts 7 days. A region admin's (signed in
//! with the second factor) lasts [`ADMIN_IDLE_SECONDS`] from its issue, and every
//! request more than [`RENEW_AFTER_SECONDS`] after the issue gets a fresh token in the
//! `X-Session-Token` answer header (see `routes::extract`): so it ends 29–30 minutes
//! after the last request, with no session item to write on every request.

use crate::crypto::{CryptoError, Keys};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde::{Deserialize, Serialize};

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 7 * 24 * 3600;
/// How long a region admin's session lasts without a request.
pub const ADMIN_IDLE_SECONDS: i64 = 30 * 60;
/// An admin token older than this is renewed by the next request it is used on. Bounds
/// the idle-out's slack (at most a minute early) and the number of tokens minted.
pub const RENEW_AFTER_SECONDS: i64 = 60;
/// The answer header that carries a renewed token.
pub const RENEWED_HEADER: &str = "x-session-token";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Token generation of the user when issued.
    pub generation: u32,
    /// Issued and expiry, Unix seconds.
    pub iat: i64,
    pub exp: i64,
    /// Signed in with the password and a second-factor code: a region admin's session,
    /// short and renewed while in use.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mfa: bool,
    /// When the password or an SMS code was last entered again (`POST /api/me/recheck`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rc: Option<i64>,
}

impl Claims {
    /// A new session; `mfa` makes it an admin's short one.
    pub fn new(sub: &str, generation: u32, now: i64, mfa: bool) -> Self {
        Self {
            sub: sub.to_string(),
            generation,
            iat: now,
            exp: now
                + if mfa {
                    ADMIN_IDLE_SECONDS
                } else {
                    SESSION_SECONDS
                },
            mfa,
            rc: None,
        }
    }

    /// The same session at `now`: an admin's gets its idle time back; a person's keeps
    /// its expiry (a re-check or a password change never lengthens it).
    pub fn renewed(&self, now: i64) -> Self {
        let mut c = self.clone();
        if self.mfa {
            c.iat = now;
            c.exp = now + ADMIN_IDLE_SECONDS;
        }
        c
    }

    /// Whether the next request should carry a fresh token.
    pub fn due_for_renewal(&self, now: i64) -> bool {
        self.mfa && now - self.iat >= RENEW_AFTER_SECONDS
    }
}

/// A person's 7-day session.
pub fn issue(keys: &Keys, sub: &str, generation: u32, now: i64) -> Result<String, CryptoError> {
    sign(keys, &Claims::new(sub, generation, now, false))
}

/// A signed token of `claims`; refused by a function without the session secret.
pub fn sign(keys: &Keys, claims: &Claims) -> Result<String, CryptoError> {
    let payload = B64.encode(serde_json::to_vec(claims).map_err(|_| CryptoError::Claims)?);
    let sig = B64.encode(keys.sign(payload.as_bytes())?);
    Ok(format!("{payload}.{sig}"))
}

/// The claims of a token this deployment signed and that has not expired.
pub fn verify(keys: &Keys, token: &str, now: i64) -> Option<Claims> {
    let (payload, sig) = token.split_once('.')?;
    let sig = B64.decode(sig).ok()?;
    if !keys.verify(payload.as_bytes(), &sig) {
        return None;
    }
    let claims: Claims = serde_json::from_slice(&B64.decode(payload).ok()?).ok()?;
    (claims.exp > now && claims.iat <= now + 60).then_some(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: char) -> Keys {
        Keys::from_secrets(&s.to_string().repeat(32), &"p".repeat(32)).expect("keys")
    }

    #[test]
    fn a_fresh_token_verifies_and_names_its_user() {
        let t = issue(&keys('a'), "U1", 3, 1_000).expect("issues");
        let c = verify(&keys('a'), &t, 1_001).expect("valid");
        assert_eq!((c.sub.as_str(), c.generation), ("U1", 3));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let t = issue(&keys('a'), "U1", 0, 1_000).expect("issues");
        assert!(
            verify(&keys('a'), &t, 1_000 + SESSION_SECONDS).is_none(),
            "expired"
        );
        assert!(verify(&keys('b'), &t, 1_001).is_none(), "another key");
        let (payload, sig) = t.split_once('.').expect("two parts");
        let forged = B64.encode(
            String::from_utf8(B64.decode(payload).expect("b64"))
                .expect("utf8")
                .replace("U1", "U2"),
        );
        assert!(verify(&keys('a'), &format!("{forged}.{sig}"), 1_001).is_none());
        assert!(verify(&keys('a'), "garbage", 1_001).is_none());
        assert!(verify(&keys('a'), "", 1_001).is_none());
    }

    #[test]
    fn an_admin_session_idles_out_and_renewal_gives_the_time_back() {
        let c = Claims::new("U1", 0, 1_000, true);
        let t = sign(&keys('a'), &c).expect("signs");
        assert!(verify(&keys('a'), &t, 1_000 + 29 * 60).is_some());
        assert!(verify(&keys('a'), &t, 1_000 + 30 * 60).is_none());
        assert!(!c.due_for_renewal(1_000 + 59));
        assert!(c.due_for_renewal(1_000 + 60));
        let later = c.renewed(1_000 + 29 * 60);
        assert_eq!(later.exp, 1_000 + 59 * 60);
        let person = Claims::new("U2", 0, 1_000, false);
        assert!(!person.due_for_renewal(1_000 + 3600));
        assert_eq!(
            person.renewed(5_000).exp,
            person.exp,
            "a person's never lengthens"
        );
    }
}
