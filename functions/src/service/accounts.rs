//! Accounts: registration (proved by a code), login by password or code (throttled),
//! password reset, the caller's profile, real-name volunteer
//! registration, and the owner's "show my personal data" action.

use crate::auth::Caller;
use crate::crypto::{self, Keys};
use crate::error::ApiError;
use crate::ids::UserId;
use crate::service::codes;
use crate::service::regions::ensure_known_region;
use crate::sms::SmsSender;
use crate::store::Store;
use crate::store::accounts::{GuardianItem, NewAccount, UserItem, VolunteerItem};
use crate::store::throttle::Slot;
use crate::{clock, token};
use zhiyuan_shared::account::{
    LoginRequest, LoginResponse, Me, Password, RegisterRequest, RegisterResponse, Revealed,
    VolunteerProfile, VolunteerRequest,
};
use zhiyuan_shared::assisted::AssistedMark;
use zhiyuan_shared::codes::{CodePurpose, ResetRequest, VerificationCode};
use zhiyuan_shared::identity::Phone;

/// Blind-index domains.
pub const PHONE: &str = "phone";
pub(crate) const ID_NUMBER: &str = "id_number";

/// Login throttling: failed sign-ins per phone, and failed sign-ins per client address, in
/// fixed windows. Over the limit the answer is 429 with `Retry-After` until the window ends.
pub const WINDOW_SECONDS: i64 = 15 * 60;
pub const MAX_FAILURES_PER_PHONE: u32 = 5;
/// Sized for shared networks: a school's or an event's Wi-Fi is one address.
pub const MAX_FAILURES_PER_CLIENT: u32 = 100;
const PHONE_FAILURES: &str = "phone";
const CLIENT_FAILURES: &str = "client_fail";

/// Registration: the `register` code proves the phone is the registrant's. A missing,
/// wrong, expired or used code is refused on `code` and nothing is created.
pub async fn register(
    store: &Store,
    keys: &Keys,
    req: RegisterRequest,
) -> Result<RegisterResponse, ApiError> {
    let r = req.validate()?;
    codes::consume_code(
        store,
        keys,
        &r.phone,
        CodePurpose::Register,
        r.code.expose(),
    )
    .await?;
    create_account(store, keys, &r.phone, &r.password, r.display_name).await
}

/// Creates a phone + password account and signs it in, once the phone is proved (the
/// demo seed, which owns its numbers, calls this directly).
pub async fn create_account(
    store: &Store,
    keys: &Keys,
    phone: &Phone,
    password: &Password,
    display_name: String,
) -> Result<RegisterResponse, ApiError> {
    let id = UserId::generate();
    let password_hash = hash(password.expose()).await?;
    let account = NewAccount {
        display_name,
        phone_sealed: keys.seal(phone.expose())?,
        phone_index: keys.blind_index(PHONE, phone.expose()),
        password_hash,
    };
    let user = UserItem::new(&id, account, clock::now_rfc3339());
    store.create_user(&user).await?;
    Ok(RegisterResponse {
        token: token::issue(keys, &id, 0, clock::now_unix())?,
        user_id: id.into(),
    })
}

/// Argon2id takes tens of milliseconds of CPU: run it off the async workers, on the
/// bounded pool (429 when it is full; `password_pool`).
pub(crate) async fn hash(password: &str) -> Result<String, ApiError> {
    let p = password.to_string();
    crate::password_pool::current()
        .run(move || crypto::hash_password(&p))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub(crate) async fn verify(password: &str, stored: Option<String>) -> Result<bool, ApiError> {
    let p = password.to_string();
    crate::password_pool::current()
        .run(move || crypto::verify_password(&p, stored.as_deref()))
        .await
}

fn wrong_credentials() -> ApiError {
    ApiError::UnauthorizedWith("the phone number or the password is wrong")
}

fn wrong_code() -> ApiError {
    ApiError::UnauthorizedWith("the phone number or the code is wrong")
}

/// How a sign-in proves who it is.
enum Proof {
    Password(String),
    Code(String),
    /// A region admin's second step: the password again, and the `second_factor` code.
    PasswordAndCode(String, String),
}

/// Which factors a sign-in gave.
#[derive(Clone, Copy)]
enum Step {
    Password,
    Code,
    Both,
}

/// What a sign-in that proved its first factor still needs.
fn second_factor_required() -> ApiError {
    ApiError::unauthorized_because(
        "second_factor_required",
        "a code has been sent to the phone; sign in again with the password and the code",
    )
}

/// Why a region admin cannot sign in with a code alone: the code proves only the phone,
/// one factor; an admin signs in with the password and a code (two).
fn password_required() -> ApiError {
    ApiError::unauthorized_because(
        "password_required",
        "an administrator signs in with the password, then a code sent to the phone",
    )
}

/// Signs in with a password or a `login` code; a region admin with the password and then
/// a `second_factor` code.
///
/// Throttling: before anything is checked, one failure slot of the phone (5 per window)
/// and one of the client address (100 per window) are reserved, each by one conditional
/// write. A failed sign-in keeps both; a successful one gives both back. So concurrent
/// guesses for one phone can never exceed 5 a window, and a school whose students all
/// sign in from one address is never locked out by its successes. A wrong second-factor
/// code is a failure like a wrong password; the right password that asks for the second
/// step is not.
pub async fn login(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    client: &str,
    now: i64,
    req: LoginRequest,
) -> Result<LoginResponse, ApiError> {
    let phone = Phone::parse(&req.phone).map_err(|e| ApiError::invalid("phone", e))?;
    let proof = match req.code {
        Some(code) if !code.trim().is_empty() => {
            VerificationCode::parse(&code)?;
            if req.password.is_empty() {
                Proof::Code(code)
            } else {
                Proof::PasswordAndCode(req.password, code)
            }
        }
        _ => Proof::Password(req.password),
    };
    let window = now.div_euclid(WINDOW_SECONDS);
    let retry_after = (WINDOW_SECONDS - now.rem_euclid(WINDOW_SECONDS)) as u64;
    let expires = (window + 2) * WINDOW_SECONDS;
    let too_many = ApiError::TooManyRequests { retry_after };

    let client_key = keys.blind_index("client", client);
    let phone_index = keys.blind_index(PHONE, phone.expose());
    let Some(client_slot) = store
        .reserve_slot(
            CLIENT_FAILURES,
            &client_key,
            window,
            MAX_FAILURES_PER_CLIENT,
            expires,
        )
        .await?
    else {
        return Err(too_many);
    };
    let Some(phone_slot) = store
        .reserve_slot(
            PHONE_FAILURES,
            &phone_index,
            window,
            MAX_FAILURES_PER_PHONE,
            expires,
        )
        .await?
    else {
        // Not a guess: the address's slot goes back.
        release(store, &client_slot).await;
        return Err(too_many);
    };
    let user = match store.user_id_by_phone(&phone_index).await? {
        Some(id) => store.get_user(&id).await?,
        None => None,
    };
    let admin = user.as_ref().is_some_and(Caller::needs_second_factor);
    // The outer error: the password was not checked at all (the password pool was full).
    let password_right = |password: String| {
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        async move {
            // An unknown phone is checked against a dummy hash: same answer, same time.
            Ok(if verify(&password, stored).await? {
                Ok(())
            } else {
                Err(wrong_credentials())
            })
        }
    };
    let code_right = |purpose: CodePurpose, code: String| {
        let phone = phone.clone();
        async move {
            match codes::consume_code(store, keys, &phone, purpose, &code).await {
                Ok(()) => Ok(()),
                Err(ApiError::Invalid { .. }) => Err(wrong_code()),
                Err(e) => Err(e),
            }
        }
    };
    let step = match &proof {
        Proof::Password(_) => Step::Password,
        Proof::Code(_) => Step::Code,
        Proof::PasswordAndCode(..) => Step::Both,
    };
    let checked: Result<Result<(), ApiError>, ApiError> = match proof {
        Proof::Password(password) => password_right(password).await,
        Proof::Code(code) => Ok(code_right(CodePurpose::Login, code).await),
        Proof::PasswordAndCode(password, code) => match password_right(password).await {
            Ok(Ok(())) if admin => Ok(code_right(CodePurpose::SecondFactor, code).await),
            other => other,
        },
    };
    let ok = match checked {
        Ok(ok) => ok,
        // Not checked: not a guess, the slots go back.
        Err(e) => {
            release(store, &phone_slot).await;
            release(store, &client_slot).await;
            return Err(e);
        }
    };
    match (user, ok) {
        (Some(user), Ok(())) => {
            release(store, &phone_slot).await;
            release(store, &client_slot).await;
            if admin {
                match step {
                    Step::Password => {
                        codes::send_second_factor(store, keys, sms, client, &phone).await?;
                        return Err(second_factor_required());
                    }
                    Step::Code => return Err(password_required()),
                    Step::Both => {}
                }
            }
            let claims = token::Claims::new(&user.id, user.token_gen, now, admin);
            Ok(LoginResponse {
                token: token::sign(keys, &claims)?,
                user: me(keys, &user),
            })
        }
        // The reserved slots stay taken: this was a failure.
        (None, Ok(())) => Err(wrong_credentials()),
        (_, Err(e)) => Err(e),
    }
}

/// Gives a reserved slot back. A lost release only makes the limit stricter for the rest
/// of the window, so it is logged rather than failing a correct sign-in.
pub(crate) async fn release(store: &Store, slot: &Slot) {
    if let Err(e) = store.release_slot(slot).await {
        tracing::warn!(error = %e, ?slot, "throttle slot not released");
    }
}

/// 忘记密码: a `reset` code sets a new password and ends every other session; the answer
/// signs this device in.
pub async fn reset_password(
    store: &Store,
    keys: &Keys,
    req: ResetRequest,
) -> Result<LoginResponse, ApiError> {
    let r = req.validate()?;
    let checked =
        codes::check_code(store, keys, &r.phone, CodePurpose::Reset, r.code.expose()).await?;
    let phone_index = keys.blind_index(PHONE, r.phone.expose());
    let user = match store.user_id_by_phone(&phone_index).await? {
        Some(id) => store.get_user(&id).await?,
        None => None,
    }
    // A reset code is sent only to a registered phone; an account gone since is the same
    // as a wrong code.
    .ok_or_else(codes::wrong_code)?;
    // Compared only after the code proved the phone: otherwise this would tell anyone
    // whether a guess is the current password.
    if verify(r.new_password.expose(), Some(user.password_hash.clone())).await? {
        return Err(ApiError::invalid(
            "new_password",
            "must differ from the current password",
        ));
    }
    checked.consume(store).await?;
    let password_hash = hash(r.new_password.expose()).await?;
    // The first password an assisted account's owner sets is its takeover (代注册接管).
    let take_over = user
        .assisted
        .as_ref()
        .filter(|a| a.taken_over_at.is_none())
        .map(|_| clock::now_rfc3339());
    let token_gen = store
        .reset_password(&user.id, &password_hash, take_over.as_deref())
        .await?;
    let now = clock::now_unix();
    let mut user = user;
    if let (Some(a), Some(at)) = (user.assisted.as_mut(), take_over) {
        a.taken_over_at = Some(at);
    }
    user.token_gen = token_gen;
    user.password_hash = password_hash;
    Ok(LoginResponse {
        token: token::issue(keys, &user.id, token_gen, now)?,
        user: me(keys, &user),
    })
}

/// The caller's profile with personal data masked.
pub fn me(keys: &Keys, user: &UserItem) -> Me {
    let phone_masked = keys
        .open(&user.phone_sealed)
        .ok()
        .and_then(|p| Phone::parse(&p).ok())
        .map(|p| p.masked())
        .unwrap_or_else(|| "***********".into());
    Me {
        user_id: user.id.to_string(),
        display_name: user.display_name.clone(),
        phone_masked,
        roles: user.grants(),
        volunteer: user.volunteer.as_ref().map(profile),
        total_hours: zhiyuan_shared::record::hours(user.served_minutes),
        star_level: zhiyuan_shared::record::star_of_minutes(user.served_minutes),
        assisted: user.assisted.as_ref().map(|a| AssistedMark {
            assisted_at: a.at.clone(),
            with_phone: a.with_phone,
            taken_over_at: a.taken_over_at.clone(),
        }),
    }
}

pub(crate) fn profile(v: &VolunteerItem) -> VolunteerProfile {
    VolunteerProfile {
        volunteer_no: v.volunteer_no.clone(),
        real_name: v.real_name.clone(),
        id_number_masked: v.id_masked.clone(),
        gender: v.gender,
        birth_date: v.birth_date.iso(),
        region_code: v.region_code.to_string(),
        service_fields: v.service_fields.clone(),
        groups: v.groups.clone(),
        skills: v.skills.clone(),
        registered_at: v.registered_at.clone(),
        guardian_name: v.guardian.as_ref().map(|g| g.name.clone()),
    }
}

/// Real-name registration. The ID number is claimed by a guard item in the same
/// transaction as the profile, so two accounts can never hold one ID number.
pub async fn become_volunteer(
    store: &Store,
    keys: &Keys,
    caller: &Caller,
    req: VolunteerRequest,
) -> Result<VolunteerProfile, ApiError> {
    let draft = req.validate(clock::today_cst())?;
    if caller.user.volunteer.is_some() {
        return Err(already_volunteer());
    }
    ensure_known_region(store, &draft.region_code).await?;
    let id_index = keys.blind_index(ID_NUMBER, draft.id_number.expose());
    let serial = store
        .next_volunteer_serial(draft.region_code.as_str())
        .await?;
    let now = clock::now_rfc3339();
    let volunteer = VolunteerItem {
        // 志愿者编号: the region code and an eight-digit serial within it.
        volunteer_no: format!("{}{serial:08}", draft.region_code),
        real_name: draft.real_name,
        id_sealed: keys.seal(draft.id_number.expose())?,
        id_index,
        id_masked: draft.id_number.masked(),
        gender: draft.id_number.gender(),
        birth_date: draft.id_number.birth_date(),
        region_code: draft.region_code.clone(),
        service_fields: draft.service_fields,
        groups: draft.groups,
        skills: draft.skills,
        registered_at: now.clone(),
        consent_at: now.clone(),
        guardian: draft
            .guardian
            .map(|g| -> Result<_, ApiError> {
                Ok(GuardianItem {
                    name: g.name,
                    phone_sealed: keys.seal(g.phone.expose())?,
                    relation: g.relation,
                    consent_at: now.clone(),
                })
            })
            .transpose()?,
    };
    let (counters, groups) = super::stats::registration_effect(
        caller.id(),
        volunteer.region_code.as_str(),
        &volunteer.groups,
        clock::now_unix(),
    );
    store
        .make_volunteer(caller.id(), &volunteer, &counters, &groups)
        .await?;
    Ok(profile(&volunteer))
}

fn already_volunteer() -> ApiError {
    crate::store::accounts::VolunteerRefused::AlreadyVolunteer.into()
}

/// The owner's own "show" action: the whole phone and ID number, to this caller only.
pub fn reveal(keys: &Keys, caller: &Caller) -> Result<Revealed, ApiError> {
    caller.require_recheck()?;
    let open = |sealed: &str| {
        keys.open(sealed)
            .map_err(|e| ApiError::Internal(e.to_string()))
    };
    Ok(Revealed {
        phone: open(&caller.user.phone_sealed)?,
        id_number: caller
            .user
            .volunteer
            .as_ref()
            .map(|v| open(&v.id_sealed))
            .transpose()?,
    })
}

/// Ends every session of the caller, on every device.
pub async fn logout(store: &Store, caller: &Caller) -> Result<(), ApiError> {
    Ok(store.end_sessions(caller.id()).await?)
}
