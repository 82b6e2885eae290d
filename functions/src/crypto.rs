//! Keys and the primitives built on them: session-token signatures, encryption of
//! personal data at rest, keyed hashes for uniqueness look-ups, and password hashing.
//!
//! Two configured secrets, each at least 32 characters: the session secret signs tokens;
//! the personal-data secret encrypts phones and ID numbers and keys their blind indexes.
//! They are separate so rotating the session secret (logging everyone out) never touches
//! stored personal data. Sub-keys are derived with HMAC-SHA256 and a purpose label.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone)]
pub struct Keys {
    session: [u8; 32],
    pii_encrypt: [u8; 32],
    pii_index: [u8; 32],
    checkin: [u8; 32],
    certificate: [u8; 32],
    files: [u8; 32],
    transfer: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

fn derive(secret: &[u8], purpose: &str) -> [u8; 32] {
    hmac_sha256(secret, purpose.as_bytes())
}

/// HMAC-SHA256 under a key of any length (key derivation here, provider request signing
/// in `sms`). HMAC hashes a long key and pads a short one, so the construction cannot fail.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("{0} must be set to at least {MIN_SECRET_LEN} characters")]
    WeakSecret(&'static str),
    #[error("stored ciphertext could not be decrypted")]
    Decrypt,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

impl Keys {
    pub fn from_secrets(session: &str, pii: &str) -> Result<Self, CryptoError> {
        if session.len() < MIN_SECRET_LEN {
            return Err(CryptoError::WeakSecret("ZHIYUAN_SESSION_SECRET"));
        }
        if pii.len() < MIN_SECRET_LEN {
            return Err(CryptoError::WeakSecret("ZHIYUAN_PII_SECRET"));
        }
        Ok(Self {
            session: derive(session.as_bytes(), "zhiyuan/session-token/v1"),
            pii_encrypt: derive(pii.as_bytes(), "zhiyuan/pii-encrypt/v1"),
            pii_index: derive(pii.as_bytes(), "zhiyuan/pii-index/v1"),
            checkin: derive(session.as_bytes(), "zhiyuan/checkin-code/v1"),
            files: derive(session.as_bytes(), "zhiyuan/file-ticket/v1"),
            // Certificates and transfer files outlive sessions: keyed from the stable
            // personal-data secret, so rotating the session secret leaves them valid.
            certificate: derive(pii.as_bytes(), "zhiyuan/certificate/v1"),
            transfer: ed25519_dalek::SigningKey::from_bytes(&derive(
                pii.as_bytes(),
                "zhiyuan/transfer-signing/v1",
            )),
        })
    }

    /// HMAC-SHA256 of `message` under the session key.
    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.session).expect("32-byte key");
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Constant-time check of a signature made by [`Keys::sign`].
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.session).expect("32-byte key");
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }

    /// HMAC-SHA256 of a local upload or download ticket (see `files`), under a key of
    /// its own so a ticket can never pass for a session token or the reverse.
    pub fn sign_file_ticket(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.files).expect("32-byte key");
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    pub fn verify_file_ticket(&self, message: &[u8], signature: &[u8]) -> bool {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.files).expect("32-byte key");
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }

    /// A keyed hash of a normalised personal value, for "is this phone / ID number taken"
    /// look-ups without storing the value in the clear. `kind` separates the domains.
    pub fn blind_index(&self, kind: &str, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.pii_index).expect("32-byte key");
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        B64.encode(mac.finalize().into_bytes())
    }

    /// AES-256-GCM with a random 96-bit nonce; stored as `v1.<nonce‖ciphertext>`.
    pub fn seal(&self, plaintext: &str) -> String {
        let cipher = Aes256Gcm::new((&self.pii_encrypt).into());
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("AES-GCM encryption of a short value cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("v1.{}", B64.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<String, CryptoError> {
        let raw = sealed
            .strip_prefix("v1.")
            .and_then(|b| B64.decode(b).ok())
            .filter(|r| r.len() > 12)
            .ok_or(CryptoError::Decrypt)?;
        let cipher = Aes256Gcm::new((&self.pii_encrypt).into());
        let pt = cipher
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .map_err(|_| CryptoError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Decrypt)
    }
}

/// A shift's check-in code for one 30-second window: six digits of an HMAC over the
/// shift and the window, so a code from another shift or another window is useless.
impl Keys {
    pub fn checkin_code(&self, shift_id: &str, window: i64) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.checkin).expect("32-byte key");
        mac.update(shift_id.as_bytes());
        mac.update(b"\0");
        mac.update(&window.to_be_bytes());
        let d = mac.finalize().into_bytes();
        let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000;
        format!("{n:06}")
    }

    /// A certificate's verification code: 12 characters of Crockford-like base32 of an
    /// HMAC over what it certifies, so the same content the same day gets the same code.
    pub fn certificate_code(&self, content: &[u8]) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.certificate).expect("32-byte key");
        mac.update(content);
        let d = mac.finalize().into_bytes();
        let mut bits: u64 = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
        (0..12)
            .map(|_| {
                let c = ALPHABET[(bits & 31) as usize] as char;
                bits >>= 5;
                c
            })
            .collect()
    }

    /// This deployment's public transfer key (base64, URL-safe, unpadded).
    pub fn transfer_public_key(&self) -> String {
        B64.encode(self.transfer.verifying_key().as_bytes())
    }

    /// Ed25519 signature of `message` under this deployment's transfer key.
    pub fn sign_transfer(&self, message: &[u8]) -> String {
        use ed25519_dalek::Signer;
        B64.encode(self.transfer.sign(message).to_bytes())
    }
}

/// Checks an Ed25519 signature by the key `public_key` (both base64 as written by
/// [`Keys::sign_transfer`] and [`Keys::transfer_public_key`]).
pub fn verify_transfer(public_key: &str, message: &[u8], signature: &str) -> bool {
    let Some(key) = B64
        .decode(public_key)
        .ok()
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
        .and_then(|k| ed25519_dalek::VerifyingKey::from_bytes(&k).ok())
    else {
        return false;
    };
    let Some(sig) = B64
        .decode(signature)
        .ok()
        .and_then(|s| <[u8; 64]>::try_from(s).ok())
    else {
        return false;
    };
    key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&sig))
        .is_ok()
}

/// Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CryptoError::Hash(e.to_string()))
}

/// Verifies a password against a stored PHC string. A missing hash (unknown phone) is
/// checked against a fixed dummy hash so both failures take the same time.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("dummy-password-for-timing").unwrap_or_default());
    let (phc, real) = match stored {
        Some(s) => (s, true),
        None => (dummy.as_str(), false),
    };
    let ok = PasswordHash::new(phc)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false);
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_secrets(&"s".repeat(32), &"p".repeat(32)).expect("keys")
    }

    #[test]
    fn sealed_values_open_again_and_differ_each_time() {
        let k = keys();
        let a = k.seal("13812345678");
        let b = k.seal("13812345678");
        assert_ne!(a, b, "a random nonce per value");
        assert!(!a.contains("13812345678"));
        assert_eq!(k.open(&a).expect("opens"), "13812345678");
    }

    #[test]
    fn a_tampered_or_foreign_ciphertext_does_not_open() {
        let k = keys();
        let mut sealed = k.seal("11010519491231002X").into_bytes();
        let last = sealed.len() - 2;
        sealed[last] = if sealed[last] == b'A' { b'B' } else { b'A' };
        assert!(k.open(&String::from_utf8(sealed).expect("ascii")).is_err());
        let other = Keys::from_secrets(&"s".repeat(32), &"q".repeat(32)).expect("keys");
        assert!(other.open(&k.seal("x")).is_err());
    }

    #[test]
    fn blind_indexes_are_stable_per_kind_and_key() {
        let k = keys();
        assert_eq!(k.blind_index("phone", "1"), k.blind_index("phone", "1"));
        assert_ne!(k.blind_index("phone", "1"), k.blind_index("id", "1"));
    }

    #[test]
    fn checkin_codes_differ_by_shift_and_window_and_are_six_digits() {
        let k = keys();
        let a = k.checkin_code("S1", 100);
        assert_eq!(a.len(), 6);
        assert_eq!(a, k.checkin_code("S1", 100));
        assert_ne!(a, k.checkin_code("S1", 101));
        assert_ne!(a, k.checkin_code("S2", 100));
    }

    #[test]
    fn a_transfer_signature_verifies_only_for_its_message_and_key() {
        let k = keys();
        let sig = k.sign_transfer(b"records");
        assert!(verify_transfer(&k.transfer_public_key(), b"records", &sig));
        assert!(!verify_transfer(
            &k.transfer_public_key(),
            b"records!",
            &sig
        ));
        let other = Keys::from_secrets(&"s".repeat(32), &"q".repeat(32)).expect("keys");
        assert!(!verify_transfer(
            &other.transfer_public_key(),
            b"records",
            &sig
        ));
        assert!(!verify_transfer("garbage", b"records", &sig));
        assert!(!verify_transfer(
            &k.transfer_public_key(),
            b"records",
            "garbage"
        ));
    }

    #[test]
    fn certificate_codes_are_stable_and_twelve_characters() {
        let k = keys();
        assert_eq!(k.certificate_code(b"a"), k.certificate_code(b"a"));
        assert_ne!(k.certificate_code(b"a"), k.certificate_code(b"b"));
        assert_eq!(k.certificate_code(b"a").len(), 12);
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Keys::from_secrets("short", &"p".repeat(32)).is_err());
        assert!(Keys::from_secrets(&"s".repeat(32), "short").is_err());
    }

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let h = hash_password("demo-pass-2026").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo-pass-2026", Some(&h)));
        assert!(!verify_password("demo-pass-2027", Some(&h)));
        assert!(!verify_password("demo-pass-2026", None));
    }
}
