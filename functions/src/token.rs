//! Session tokens: `<payload>.<signature>`, both base64url. The payload names the user,
//! the user's token generation (bumped by "log out everywhere"), and the expiry; the
//! signature is HMAC-SHA256 under the session key. Nothing personal is in a token.

use crate::crypto::Keys;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde::{Deserialize, Serialize};

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Token generation of the user when issued.
    pub generation: u32,
    /// Issued and expiry, Unix seconds.
    pub iat: i64,
    pub exp: i64,
}

pub fn issue(keys: &Keys, sub: &str, generation: u32, now: i64) -> String {
    let claims = Claims {
        sub: sub.to_string(),
        generation,
        iat: now,
        exp: now + SESSION_SECONDS,
    };
    let payload = B64.encode(serde_json::to_vec(&claims).expect("claims serialise"));
    let sig = B64.encode(keys.sign(payload.as_bytes()));
    format!("{payload}.{sig}")
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
        let t = issue(&keys('a'), "U1", 3, 1_000);
        let c = verify(&keys('a'), &t, 1_001).expect("valid");
        assert_eq!((c.sub.as_str(), c.generation), ("U1", 3));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let t = issue(&keys('a'), "U1", 0, 1_000);
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
}
