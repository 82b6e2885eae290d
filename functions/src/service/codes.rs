//! Phone verification codes: sending one (with its limits) and checking one.
//!
//! The answer to "send me a code" is the same whether or not the phone has an account:
//! a `register` code for a phone that has one sends, instead, a note that the number is
//! registered; a `reset` or `login` code for an unknown phone sends nothing. Limits are
//! per phone (one send a minute, ten a Beijing day) and per client address (sized for a
//! school or office network behind one address), and answer 429 with `Retry-After`.
//!
//! A code is 6 random digits, valid 5 minutes, used once, dead after 5 tries; it is stored
//! only as a keyed hash over phone, purpose and code, and never logged.

use crate::crypto::Keys;
use crate::error::ApiError;
use crate::service::accounts::PHONE;
use crate::sms::{SmsMessage, SmsSender};
use crate::store::Store;
use crate::store::codes::CodeItem;
use rand::Rng;
use zhiyuan_shared::codes::{
    CODE_TTL_SECONDS, CodePurpose, CodeRequest, RESEND_SECONDS, VerificationCode,
};
use zhiyuan_shared::identity::Phone;

/// Tries per code, right or wrong; after them the code is dead.
pub const MAX_TRIES_PER_CODE: u32 = 5;
/// Codes sent to one phone per Beijing calendar day.
pub const MAX_SENDS_PER_PHONE_PER_DAY: u32 = 10;
/// Codes requested from one client address per hour: a school or an event's Wi-Fi is
/// one address for hundreds of people registering at once.
pub const MAX_SENDS_PER_CLIENT_PER_HOUR: u32 = 300;
/// Failed code checks per phone per window, across codes: five per code, two codes' worth.
pub const MAX_CODE_FAILURES_PER_PHONE: u32 = 10;
pub const CODE_FAILURE_WINDOW_SECONDS: i64 = 15 * 60;

/// The throttle counter of sends per phone per Beijing day (by the phone's blind index).
pub const DAY_COUNTER: &str = "code_day";

/// The Beijing calendar day of a Unix time, as the day counter's window.
pub fn beijing_day(now: i64) -> i64 {
    (now + CST).div_euclid(DAY)
}

/// Blind-index domain of code hashes.
const CODE_HASH: &str = "sms_code";
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;
const CST: i64 = 8 * 3600;

/// The keyed hash a code is stored as.
pub fn code_hash(keys: &Keys, phone: &Phone, purpose: CodePurpose, code: &str) -> String {
    keys.blind_index(
        CODE_HASH,
        &format!("{}\0{}\0{code}", phone.expose(), purpose.slug()),
    )
}

/// The text of a code message (each fits one 70-character SMS; a unit test checks).
pub fn code_text(purpose: CodePurpose, code: &str) -> String {
    let what = match purpose {
        // The one code meant to be said aloud: to the helper beside the resident.
        CodePurpose::AssistedRegister => {
            return format!(
                "【志愿鄂尔多斯】工作人员正为您代注册志愿者账号，验证码{code}；如同意，请告诉身边的工作人员，5分钟内有效。"
            );
        }
        CodePurpose::Register => "注册",
        CodePurpose::Reset => "重置密码",
        CodePurpose::Login => "登录或身份确认",
        CodePurpose::SecondFactor => "管理员登录",
    };
    format!("【志愿鄂尔多斯】{what}验证码{code}，5分钟内有效，请勿告诉他人。")
}

/// Sent instead of a `register` code when the phone already has an account.
pub const ALREADY_REGISTERED_TEXT: &str =
    "【志愿鄂尔多斯】此号码已注册账号，请直接登录；如忘记密码，请在登录页点“忘记密码”。";

fn too_many(retry_after: i64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after: retry_after.max(1) as u64,
    }
}

/// `POST /api/auth/codes`: sends a code if the limits allow; the same `Ok` whether or
/// not the phone is registered.
pub async fn request_code(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    client: &str,
    req: CodeRequest,
) -> Result<(), ApiError> {
    let (phone, purpose) = req.validate()?;
    send_code(store, keys, sms, client, &phone, purpose).await
}

/// The per-phone throttle counters of a purpose: (resend cooldown, sends per day). The
/// second factor has its own, with the same limits: it is sent only after the right
/// password, so a stranger who asks for `login` codes to an admin's phone all day cannot
/// use up the admin's sign-in.
pub fn phone_counters(purpose: CodePurpose) -> (&'static str, &'static str) {
    match purpose {
        CodePurpose::SecondFactor => ("code_phone_2fa", "code_day_2fa"),
        _ => ("code_phone", DAY_COUNTER),
    }
}

/// Sends a `purpose` code to `phone` if the limits allow (the checks of
/// [`request_code`], whose caller gave the phone; the second factor and the re-check send
/// to the account's own phone through this too).
pub async fn send_code(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    client: &str,
    phone: &Phone,
    purpose: CodePurpose,
) -> Result<(), ApiError> {
    send(store, keys, sms, client, phone, purpose, InCooldown::Refuse).await
}

/// What a send inside the resend cooldown answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum InCooldown {
    /// 429 with the seconds left: someone asked for another code.
    Refuse,
    /// Nothing new is sent and the answer is as if it had been: the code that went out
    /// under a minute ago is still good unless it was used (then the next try after the
    /// cooldown sends one). An admin whose password step is submitted again (a double
    /// tap, or the form sent with the code still empty) must hear "enter the code", not
    /// "too many requests".
    KeepLast,
}

/// The second factor after a right password: sent unless one went out within the
/// cooldown, which is still good (see [`InCooldown::KeepLast`]).
pub async fn send_second_factor(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    client: &str,
    phone: &Phone,
) -> Result<(), ApiError> {
    let purpose = CodePurpose::SecondFactor;
    send(
        store,
        keys,
        sms,
        client,
        phone,
        purpose,
        InCooldown::KeepLast,
    )
    .await
}

async fn send(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    client: &str,
    phone: &Phone,
    purpose: CodePurpose,
    in_cooldown: InCooldown,
) -> Result<(), ApiError> {
    let phone = phone.clone();
    let (cooldown, day_counter) = phone_counters(purpose);
    let now = crate::clock::now_unix();
    let hour = now.div_euclid(HOUR);
    let client_key = keys.blind_index("client", client);
    let phone_index = keys.blind_index(PHONE, phone.expose());
    // Whether the phone has an account is read beside the client's reservation, not after
    // the limits: a read changes nothing, and it saves a round trip on every send.
    let (reserved, account) = tokio::join!(
        store.reserve_attempt(
            "code_client",
            &client_key,
            hour,
            MAX_SENDS_PER_CLIENT_PER_HOUR,
            (hour + 2) * HOUR,
        ),
        store.user_id_by_phone(&phone_index),
    );
    if !reserved? {
        return Err(too_many((hour + 1) * HOUR - now));
    }
    if let Some(until) = store
        .hold_cooldown(cooldown, &phone_index, now, RESEND_SECONDS)
        .await?
    {
        return match in_cooldown {
            InCooldown::Refuse => Err(too_many(until - now)),
            InCooldown::KeepLast => Ok(()),
        };
    }
    // The Beijing calendar day, so "ten a day" resets at local midnight.
    let day = beijing_day(now);
    if !store
        .reserve_attempt(
            day_counter,
            &phone_index,
            day,
            MAX_SENDS_PER_PHONE_PER_DAY,
            (day + 2) * DAY,
        )
        .await?
    {
        return Err(too_many((day + 1) * DAY - CST - now));
    }
    let registered = account?.is_some();
    // Every request stores a fresh code, sent or not, so the store work (and its time)
    // is the same for every phone. A code nobody received is harmless: only the phone's
    // owner could read it, and it proves nothing about an account that does not exist.
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
    store
        .put_code(&CodeItem {
            phone_index,
            purpose: purpose.slug().to_string(),
            hash: code_hash(keys, &phone, purpose, &code),
            tries: 0,
            expires_at: now + CODE_TTL_SECONDS,
        })
        .await?;
    let message = match (purpose, registered) {
        // An assisted registration answers like a self-service one: the helper does not
        // learn whether the resident's phone has an account; the resident reads the note.
        (CodePurpose::Register | CodePurpose::AssistedRegister, true) => {
            Some((ALREADY_REGISTERED_TEXT.to_string(), "code_taken", vec![]))
        }
        (CodePurpose::Register | CodePurpose::AssistedRegister, false) | (_, true) => {
            Some((code_text(purpose, &code), kind(purpose), vec![code.clone()]))
        }
        // No account to reset or sign in to: nothing to send, and the same answer.
        (_, false) => None,
    };
    if let Some((text, kind, params)) = message {
        let msg = SmsMessage {
            to: phone,
            text,
            kind: kind.to_string(),
            params,
        };
        // A provider failure is logged, not answered: a 503 here, where an unknown phone
        // (nothing sent) would get 202, would tell a stranger the phone is registered.
        // The person asks again after the minute.
        if let Err(e) = sms.send(&msg).await {
            tracing::warn!(error = %e, message = ?msg, "verification SMS not sent");
        }
    }
    Ok(())
}

fn kind(purpose: CodePurpose) -> &'static str {
    match purpose {
        CodePurpose::Register => "code_register",
        CodePurpose::Reset => "code_reset",
        CodePurpose::Login => "code_login",
        CodePurpose::SecondFactor => "code_second_factor",
        CodePurpose::AssistedRegister => "code_assisted_register",
    }
}

pub(crate) fn wrong_code() -> ApiError {
    // One reason for every failure (wrong, expired, used, out of tries, never sent):
    // telling them apart would tell a stranger whether a code was sent, i.e. whether the
    // phone has an account.
    ApiError::invalid(
        "code",
        "the code is wrong or no longer valid; request a new one",
    )
}

/// A code that matched and is not used up yet: [`CheckedCode::consume`] uses it up.
/// Checking first lets a caller refuse other bad input (e.g. a new password equal to the
/// old one) while the code is still valid, without offering an oracle to someone
/// who holds no code.
pub struct CheckedCode {
    phone_index: String,
    purpose: CodePurpose,
    hash: String,
}

impl CheckedCode {
    /// Uses the code up; a concurrent request that checked the same code gets `code`.
    pub async fn consume(self, store: &Store) -> Result<(), ApiError> {
        let now = crate::clock::now_unix();
        if store
            .use_code(&self.phone_index, self.purpose.slug(), &self.hash, now)
            .await?
        {
            Ok(())
        } else {
            Err(wrong_code())
        }
    }
}

/// Checks a code without using it up. The try is counted (one conditional write) before
/// the code is compared; a failure also takes one of the phone's failure slots, which are
/// reserved before the check like the sign-in's.
pub async fn check_code(
    store: &Store,
    keys: &Keys,
    phone: &Phone,
    purpose: CodePurpose,
    code: &str,
) -> Result<CheckedCode, ApiError> {
    let code = VerificationCode::parse(code)?;
    let now = crate::clock::now_unix();
    let window = now.div_euclid(CODE_FAILURE_WINDOW_SECONDS);
    let phone_index = keys.blind_index(PHONE, phone.expose());
    let Some(slot) = store
        .reserve_slot(
            "code_fail",
            &phone_index,
            window,
            MAX_CODE_FAILURES_PER_PHONE,
            (window + 2) * CODE_FAILURE_WINDOW_SECONDS,
        )
        .await?
    else {
        return Err(too_many((window + 1) * CODE_FAILURE_WINDOW_SECONDS - now));
    };
    let stored = store
        .try_code(&phone_index, purpose.slug(), now, MAX_TRIES_PER_CODE)
        .await?;
    let hash = code_hash(keys, phone, purpose, code.expose());
    match stored {
        Some(h) if same_hash(&h, &hash) => {
            // A right code is not a failure: give the slot back (a lost release only
            // makes the limit stricter).
            if let Err(e) = store.release_slot(&slot).await {
                tracing::warn!(error = %e, "code failure slot not released");
            }
            Ok(CheckedCode {
                phone_index,
                purpose,
                hash,
            })
        }
        _ => Err(wrong_code()),
    }
}

/// Compares two hashes in time that does not depend on where they differ.
fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks and uses up a code in one step: for callers with nothing else to refuse
/// (registration, sign-in by code, closing an account after an SMS re-check).
pub async fn consume_code(
    store: &Store,
    keys: &Keys,
    phone: &Phone,
    purpose: CodePurpose,
    code: &str,
) -> Result<(), ApiError> {
    check_code(store, keys, phone, purpose, code)
        .await?
        .consume(store)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_text_fits_one_sms() {
        for p in CodePurpose::ALL {
            let t = code_text(*p, "123456");
            assert!(t.chars().count() <= 70, "{t}: {}", t.chars().count());
            assert!(t.contains("123456"));
        }
        assert!(ALREADY_REGISTERED_TEXT.chars().count() <= 70);
        assert!(ALREADY_REGISTERED_TEXT.contains("忘记密码"));
    }

    #[test]
    fn a_code_hash_binds_phone_purpose_and_code() {
        let keys = Keys::from_secrets(&"s".repeat(40), &"p".repeat(40)).expect("keys");
        let a = Phone::parse("13812345678").expect("phone");
        let b = Phone::parse("13812345679").expect("phone");
        let h = code_hash(&keys, &a, CodePurpose::Reset, "123456");
        assert_eq!(h, code_hash(&keys, &a, CodePurpose::Reset, "123456"));
        assert_ne!(h, code_hash(&keys, &b, CodePurpose::Reset, "123456"));
        assert_ne!(h, code_hash(&keys, &a, CodePurpose::Login, "123456"));
        assert_ne!(h, code_hash(&keys, &a, CodePurpose::Reset, "123457"));
        assert!(!h.contains("123456"));
    }
}
