//! Keys and the primitives built on them: session-token signatures, encryption of
//! personal data at rest, keyed hashes for uniqueness look-ups, and password hashing.
//!
//! Two configured secrets, each at least 32 characters: the session secret signs tokens;
//! the personal-data secret encrypts phones and ID numbers and keys their blind indexes.
//! They are separate so rotating the session secret (logging everyone out) never touches
//! stored personal data. Sub-keys are derived with HMAC-SHA256 and a purpose label.
//!
//! The personal-data secret is a key set ([`PiiKeySet`]): every encryption key it ever
//! had, by version, and which one seals new values. A ciphertext names its version
//! (`v2.…`), so values sealed under an older key keep opening while `zhiyuan-admin
//! rotate-pii-keys` re-seals them. The blind-index key is separate and never rotated by
//! that command (see [`PiiKeySet`]).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::collections::BTreeMap;

type HmacSha256 = Hmac<Sha256>;

pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone)]
pub struct Keys {
    /// Absent in a function that never signs (the scheduled jobs are not given the
    /// session secret: see template.yaml).
    session: Option<SessionKeys>,
    /// Encryption keys by version; `pii_current` seals.
    pii_encrypt: BTreeMap<u32, [u8; 32]>,
    pii_current: u32,
    pii_index: [u8; 32],
    certificate: [u8; 32],
    transfer: ed25519_dalek::SigningKey,
}

/// The keys derived from the session secret.
#[derive(Clone)]
struct SessionKeys {
    session: [u8; 32],
    checkin: [u8; 32],
    files: [u8; 32],
}

/// The personal-data secret as stored: either a plain string (one key, version 1, which
/// also keys the blind indexes) or JSON
/// `{"current": 2, "keys": {"1": "…", "2": "…"}, "index": "…"}`.
///
/// `index` keys the blind indexes (the phone and ID-number look-ups and uniqueness
/// guards), certificate codes and the transfer signing key. Those are *stable* values
/// other items and other deployments hold, so the index key is not rotated with the
/// encryption keys: when a plain secret becomes a key set, the old string moves to
/// `index` (and stays `keys.1` until every value is re-sealed). Rotating the index key
/// itself would mean recomputing every guard item and reissuing the transfer key; no
/// command does that.
#[derive(Clone)]
pub struct PiiKeySet {
    pub current: u32,
    pub keys: BTreeMap<u32, String>,
    pub index: String,
}

impl std::fmt::Debug for PiiKeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PiiKeySet(current {}, versions {:?})",
            self.current,
            self.keys.keys().collect::<Vec<_>>()
        )
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeySetJson {
    current: u32,
    keys: BTreeMap<u32, String>,
    index: String,
}

impl PiiKeySet {
    /// Reads the secret's text (see the type's documentation for the two forms).
    pub fn parse(raw: &str) -> Result<Self, CryptoError> {
        const NAME: &str = "ZHIYUAN_PII_SECRET";
        let raw = raw.trim();
        let set = if raw.starts_with('{') {
            let j: KeySetJson = serde_json::from_str(raw).map_err(|e| {
                CryptoError::BadKeySet(format!(
                    "{NAME} is JSON but not {{current, keys, index}}: {e}"
                ))
            })?;
            Self {
                current: j.current,
                keys: j.keys,
                index: j.index,
            }
        } else {
            Self {
                current: 1,
                keys: BTreeMap::from([(1, raw.to_string())]),
                index: raw.to_string(),
            }
        };
        if set.index.len() < MIN_SECRET_LEN || set.keys.values().any(|k| k.len() < MIN_SECRET_LEN) {
            return Err(CryptoError::WeakSecret(NAME));
        }
        if set.current == 0 || !set.keys.contains_key(&set.current) {
            return Err(CryptoError::BadKeySet(format!(
                "{NAME}: the current version {} is not among its keys",
                set.current
            )));
        }
        Ok(set)
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

fn derive(secret: &[u8], purpose: &str) -> [u8; 32] {
    hmac_sha256(secret, purpose.as_bytes())
}

/// A keyed HMAC-SHA256, ready for `update`. HMAC's own key schedule (RFC 2104: a key
/// longer than the 64-byte block is hashed, a shorter one padded with zeros) is done here,
/// so the constructor is the fixed-size one, which cannot fail.
fn hmac(key: &[u8]) -> HmacSha256 {
    use sha2::Digest;
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    <HmacSha256 as hmac::digest::KeyInit>::new(&block.into())
}

/// HMAC-SHA256 under a key of any length (key derivation here, provider request signing
/// in `sms`). HMAC hashes a long key and pads a short one, so the construction cannot fail.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = hmac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("{0} must be set to at least {MIN_SECRET_LEN} characters")]
    WeakSecret(&'static str),
    #[error("{0}")]
    BadKeySet(String),
    #[error("stored ciphertext could not be decrypted")]
    Decrypt,
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("this function was not given the session secret and cannot sign")]
    NoSessionSecret,
    #[error("a value could not be encrypted")]
    Encrypt,
    #[error("a token's claims could not be written")]
    Claims,
}

impl Keys {
    /// Keys from the session secret and a plain (single-key) or key-set personal-data
    /// secret.
    pub fn from_secrets(session: &str, pii: &str) -> Result<Self, CryptoError> {
        if session.len() < MIN_SECRET_LEN {
            return Err(CryptoError::WeakSecret("ZHIYUAN_SESSION_SECRET"));
        }
        Self::new(Some(session), &PiiKeySet::parse(pii)?)
    }

    /// Keys from what a function was given: `session` is `None` where nothing is signed.
    pub fn new(session: Option<&str>, pii: &PiiKeySet) -> Result<Self, CryptoError> {
        let session = match session {
            Some(s) if s.len() < MIN_SECRET_LEN => {
                return Err(CryptoError::WeakSecret("ZHIYUAN_SESSION_SECRET"));
            }
            Some(s) => Some(SessionKeys {
                session: derive(s.as_bytes(), "zhiyuan/session-token/v1"),
                checkin: derive(s.as_bytes(), "zhiyuan/checkin-code/v1"),
                files: derive(s.as_bytes(), "zhiyuan/file-ticket/v1"),
            }),
            None => None,
        };
        let index = pii.index.as_bytes();
        Ok(Self {
            session,
            // The same purpose label under each version's own secret: version 1 of a
            // key set derives exactly what the plain secret always did.
            pii_encrypt: pii
                .keys
                .iter()
                .map(|(v, k)| (*v, derive(k.as_bytes(), "zhiyuan/pii-encrypt/v1")))
                .collect(),
            pii_current: pii.current,
            pii_index: derive(index, "zhiyuan/pii-index/v1"),
            // Certificates and transfer files outlive sessions: keyed from the stable
            // index key, so rotating either other secret leaves them valid.
            certificate: derive(index, "zhiyuan/certificate/v1"),
            transfer: ed25519_dalek::SigningKey::from_bytes(&derive(
                index,
                "zhiyuan/transfer-signing/v1",
            )),
        })
    }

    fn session_keys(&self) -> Result<&SessionKeys, CryptoError> {
        self.session.as_ref().ok_or(CryptoError::NoSessionSecret)
    }

    /// Whether this process holds the session secret (the scheduled function does not).
    pub fn can_sign(&self) -> bool {
        self.session.is_some()
    }

    /// HMAC-SHA256 of `message` under the session key.
    pub fn sign(&self, message: &[u8]) -> Result<[u8; 32], CryptoError> {
        let mut mac = hmac(&self.session_keys()?.session);
        mac.update(message);
        Ok(mac.finalize().into_bytes().into())
    }

    /// Constant-time check of a signature made by [`Keys::sign`]. Without the session
    /// secret nothing verifies: a request's token can never reach a panic.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Some(keys) = &self.session else {
            return false;
        };
        let mut mac = hmac(&keys.session);
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }

    /// HMAC-SHA256 of a local upload or download ticket (see `files`), under a key of
    /// its own so a ticket can never pass for a session token or the reverse.
    pub fn sign_file_ticket(&self, message: &[u8]) -> Result<[u8; 32], CryptoError> {
        let mut mac = hmac(&self.session_keys()?.files);
        mac.update(message);
        Ok(mac.finalize().into_bytes().into())
    }

    pub fn verify_file_ticket(&self, message: &[u8], signature: &[u8]) -> bool {
        let Some(keys) = &self.session else {
            return false;
        };
        let mut mac = hmac(&keys.files);
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }

    /// A keyed hash of a normalised personal value, for "is this phone / ID number taken"
    /// look-ups without storing the value in the clear. `kind` separates the domains.
    pub fn blind_index(&self, kind: &str, value: &str) -> String {
        let mut mac = hmac(&self.pii_index);
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        B64.encode(mac.finalize().into_bytes())
    }

    /// AES-256-GCM with a random 96-bit nonce under the current key; stored as
    /// `v<version>.<nonce‖ciphertext>`.
    pub fn seal(&self, plaintext: &str) -> Result<String, CryptoError> {
        let cipher = Aes256Gcm::new((&self.pii_encrypt[&self.pii_current]).into());
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| CryptoError::Encrypt)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(format!("v{}.{}", self.pii_current, B64.encode(out)))
    }

    /// Opens a value sealed under any key version this process still holds.
    pub fn open(&self, sealed: &str) -> Result<String, CryptoError> {
        let version = sealed_version(sealed).ok_or(CryptoError::Decrypt)?;
        let key = self.pii_encrypt.get(&version).ok_or(CryptoError::Decrypt)?;
        let raw = sealed
            .split_once('.')
            .and_then(|(_, b)| B64.decode(b).ok())
            .filter(|r| r.len() > 12)
            .ok_or(CryptoError::Decrypt)?;
        let cipher = Aes256Gcm::new(key.into());
        let pt = cipher
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .map_err(|_| CryptoError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Decrypt)
    }

    /// The version new values are sealed under.
    pub fn pii_version(&self) -> u32 {
        self.pii_current
    }

    /// Whether `sealed` is a ciphertext under an older key than the current one (what
    /// the rotation command re-seals). Empty values (a closed account's) are not.
    pub fn is_stale(&self, sealed: &str) -> bool {
        sealed_version(sealed).is_some_and(|v| v != self.pii_current)
    }
}

/// The key version a sealed value names (`v2.…` → 2).
pub fn sealed_version(sealed: &str) -> Option<u32> {
    let (head, _) = sealed.split_once('.')?;
    head.strip_prefix('v')?.parse().ok().filter(|v| *v > 0)
}

/// A shift's check-in code for one 30-second window: six digits of an HMAC over the
/// shift and the window, so a code from another shift or another window is useless.
impl Keys {
    pub fn checkin_code(&self, shift_id: &str, window: i64) -> Result<String, CryptoError> {
        let mut mac = hmac(&self.session_keys()?.checkin);
        mac.update(shift_id.as_bytes());
        mac.update(b"\0");
        mac.update(&window.to_be_bytes());
        let d = mac.finalize().into_bytes();
        let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000;
        Ok(format!("{n:06}"))
    }

    /// A certificate's verification code: 12 characters of Crockford-like base32 of an
    /// HMAC over what it certifies, so the same content the same day gets the same code.
    pub fn certificate_code(&self, content: &[u8]) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let mut mac = hmac(&self.certificate);
        mac.update(content);
        let d = mac.finalize().into_bytes();
        // The digest's first 8 bytes, big-endian.
        let mut bits: u64 = d
            .iter()
            .take(8)
            .fold(0, |acc, b| (acc << 8) | u64::from(*b));
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

/// Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): the crate's
/// own defaults, so there is no building of parameters that could fail.
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
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
        let a = k.seal("13812345678").expect("seals");
        let b = k.seal("13812345678").expect("seals");
        assert_ne!(a, b, "a random nonce per value");
        assert!(!a.contains("13812345678"));
        assert_eq!(k.open(&a).expect("opens"), "13812345678");
    }

    #[test]
    fn a_tampered_or_foreign_ciphertext_does_not_open() {
        let k = keys();
        let mut sealed = k.seal("11010519491231002X").expect("seals").into_bytes();
        let last = sealed.len() - 2;
        sealed[last] = if sealed[last] == b'A' { b'B' } else { b'A' };
        assert!(k.open(&String::from_utf8(sealed).expect("ascii")).is_err());
        let other = Keys::from_secrets(&"s".repeat(32), &"q".repeat(32)).expect("keys");
        assert!(other.open(&k.seal("x").expect("seals")).is_err());
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
        let a = k.checkin_code("S1", 100).expect("code");
        assert_eq!(a.len(), 6);
        assert_eq!(a, k.checkin_code("S1", 100).expect("code"));
        assert_ne!(a, k.checkin_code("S1", 101).expect("code"));
        assert_ne!(a, k.checkin_code("S2", 100).expect("code"));
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

    const OLD: &str = "pppppppppppppppppppppppppppppppp";
    const NEW: &str = "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";

    fn key_set(current: u32, versions: &[(u32, &str)]) -> Keys {
        let keys: serde_json::Map<String, serde_json::Value> = versions
            .iter()
            .map(|(v, k)| (v.to_string(), serde_json::Value::from(*k)))
            .collect();
        let raw = serde_json::json!({"current": current, "keys": keys, "index": OLD});
        Keys::from_secrets(&"s".repeat(32), &raw.to_string()).expect("key set")
    }

    #[test]
    fn a_plain_secret_is_version_one_of_a_key_set() {
        let plain = Keys::from_secrets(&"s".repeat(32), OLD).expect("keys");
        let set = key_set(1, &[(1, OLD)]);
        let sealed = plain.seal("13812345678").expect("seals");
        assert!(sealed.starts_with("v1."));
        assert_eq!(set.open(&sealed).expect("opens"), "13812345678");
        assert_eq!(
            plain.blind_index("phone", "1"),
            set.blind_index("phone", "1")
        );
        assert_eq!(plain.transfer_public_key(), set.transfer_public_key());
    }

    #[test]
    fn new_values_seal_under_the_current_version_and_old_ones_still_open() {
        let v1 = key_set(1, &[(1, OLD)]);
        let both = key_set(2, &[(1, OLD), (2, NEW)]);
        let old = v1.seal("13812345678").expect("seals");
        let new = both.seal("13812345678").expect("seals");
        assert_eq!(sealed_version(&new), Some(2));
        assert!(both.is_stale(&old) && !both.is_stale(&new) && !both.is_stale(""));
        assert_eq!(both.open(&old).expect("v1 opens"), "13812345678");
        assert_eq!(both.open(&new).expect("v2 opens"), "13812345678");
        let only_v2 = key_set(2, &[(2, NEW)]);
        assert_eq!(only_v2.open(&new).expect("v2 opens"), "13812345678");
        assert!(
            only_v2.open(&old).is_err(),
            "a dropped version no longer opens"
        );
        assert_eq!(
            v1.blind_index("phone", "1"),
            only_v2.blind_index("phone", "1"),
            "the index key does not rotate with the encryption keys"
        );
    }

    #[test]
    fn a_key_set_without_its_current_version_or_with_a_short_key_is_refused() {
        let bad =
            |raw: serde_json::Value| Keys::from_secrets(&"s".repeat(32), &raw.to_string()).is_err();
        assert!(bad(
            serde_json::json!({"current": 3, "keys": {"1": OLD}, "index": OLD})
        ));
        assert!(bad(
            serde_json::json!({"current": 1, "keys": {"1": "short"}, "index": OLD})
        ));
        assert!(bad(serde_json::json!({"current": 1, "keys": {"1": OLD}})));
    }

    /// The key schedule done by hand (to use the constructor that cannot fail) is HMAC's
    /// own: the same MAC as the crate's variable-length constructor, for short, block-sized
    /// and long keys.
    #[test]
    fn hmac_takes_keys_of_any_length_as_the_crate_does() {
        for len in [0, 1, 32, 63, 64, 65, 200] {
            let key = vec![0x5au8; len];
            let mut ours = hmac(&key);
            let mut theirs = <HmacSha256 as Mac>::new_from_slice(&key).expect("any length");
            ours.update(b"message");
            theirs.update(b"message");
            assert_eq!(
                ours.finalize().into_bytes(),
                theirs.finalize().into_bytes(),
                "{len}"
            );
        }
    }

    #[test]
    fn keys_without_the_session_secret_still_open_personal_data() {
        let k = Keys::new(None, &PiiKeySet::parse(OLD).expect("set")).expect("keys");
        assert!(!k.can_sign());
        assert_eq!(k.open(&k.seal("x").expect("seals")).expect("opens"), "x");
        // …sign nothing, saying why…
        assert!(matches!(
            k.sign(b"claims"),
            Err(CryptoError::NoSessionSecret)
        ));
        assert!(matches!(
            k.checkin_code("S1", 1),
            Err(CryptoError::NoSessionSecret)
        ));
        // …and accept no token or file ticket, rather than fail on one.
        let signed = keys().sign(b"claims").expect("signs");
        assert!(!k.verify(b"claims", &signed));
        let ticket = keys().sign_file_ticket(b"ticket").expect("signs");
        assert!(!k.verify_file_ticket(b"ticket", &ticket));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Keys::from_secrets("short", &"p".repeat(32)).is_err());
        assert!(Keys::from_secrets(&"s".repeat(32), "short").is_err());
    }

    #[test]
    fn a_password_is_hashed_with_argon2id_at_19_mib_2_passes_1_lane() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
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
