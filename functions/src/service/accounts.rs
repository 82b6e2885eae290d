//! Accounts: registration, login (throttled), the caller's profile, real-name volunteer
//! registration, and the owner's "show my personal data" action.

use crate::auth::Caller;
use crate::crypto::{self, Keys};
use crate::error::ApiError;
use crate::ids::UserId;
use crate::service::regions::ensure_known_region;
use crate::store::Store;
use crate::store::accounts::{GuardianItem, NewAccount, UserItem, VolunteerItem};
use crate::{clock, token};
use zhiyuan_shared::account::{
    LoginRequest, LoginResponse, Me, RegisterRequest, RegisterResponse, Revealed, VolunteerProfile,
    VolunteerRequest,
};
use zhiyuan_shared::identity::Phone;

/// Blind-index domains.
pub const PHONE: &str = "phone";
pub(crate) const ID_NUMBER: &str = "id_number";

/// Login throttling: failed attempts per phone, and all attempts per client address, in
/// fixed windows. Over the limit the answer is 429 with `Retry-After` until the window ends.
pub const WINDOW_SECONDS: i64 = 15 * 60;
pub const MAX_FAILURES_PER_PHONE: u32 = 5;
pub const MAX_ATTEMPTS_PER_CLIENT: u32 = 50;

pub async fn register(
    store: &Store,
    keys: &Keys,
    req: RegisterRequest,
) -> Result<RegisterResponse, ApiError> {
    let r = req.validate()?;
    let id = UserId::generate();
    let password_hash = hash(r.password.expose()).await?;
    let account = NewAccount {
        display_name: r.display_name,
        phone_sealed: keys.seal(r.phone.expose()),
        phone_index: keys.blind_index(PHONE, r.phone.expose()),
        password_hash,
    };
    let user = UserItem::new(&id, account, clock::now_rfc3339());
    store.create_user(&user).await?;
    Ok(RegisterResponse {
        token: token::issue(keys, &id, 0, clock::now_unix()),
        user_id: id.into(),
    })
}

/// Argon2id takes tens of milliseconds of CPU: run it off the async workers.
pub(crate) async fn hash(password: &str) -> Result<String, ApiError> {
    let p = password.to_string();
    tokio::task::spawn_blocking(move || crypto::hash_password(&p))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub(crate) async fn verify(password: &str, stored: Option<String>) -> Result<bool, ApiError> {
    let p = password.to_string();
    tokio::task::spawn_blocking(move || crypto::verify_password(&p, stored.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}

fn wrong_credentials() -> ApiError {
    ApiError::UnauthorizedWith("the phone number or the password is wrong")
}

pub async fn login(
    store: &Store,
    keys: &Keys,
    client: &str,
    req: LoginRequest,
) -> Result<LoginResponse, ApiError> {
    let now = clock::now_unix();
    let window = now.div_euclid(WINDOW_SECONDS);
    let retry_after = (WINDOW_SECONDS - now.rem_euclid(WINDOW_SECONDS)) as u64;
    let expires = (window + 2) * WINDOW_SECONDS;
    let too_many = ApiError::TooManyRequests { retry_after };

    let client_key = keys.blind_index("client", client);
    if store.attempts("client", &client_key, window).await? >= MAX_ATTEMPTS_PER_CLIENT {
        return Err(too_many);
    }
    store
        .count_attempt("client", &client_key, window, expires)
        .await?;
    let phone = Phone::parse(&req.phone).map_err(|e| ApiError::invalid("phone", e))?;
    let phone_index = keys.blind_index(PHONE, phone.expose());
    if store.attempts("phone", &phone_index, window).await? >= MAX_FAILURES_PER_PHONE {
        return Err(too_many);
    }
    let user = match store.user_id_by_phone(&phone_index).await? {
        Some(id) => store.get_user(&id).await?,
        None => None,
    };
    // An unknown phone is checked against a dummy hash: same answer, same time.
    let ok = verify(
        &req.password,
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    match user {
        Some(user) if ok => Ok(LoginResponse {
            token: token::issue(keys, &user.id, user.token_gen, now),
            user: me(keys, &user),
        }),
        _ => {
            store
                .count_attempt("phone", &phone_index, window, expires)
                .await?;
            Err(wrong_credentials())
        }
    }
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
        id_sealed: keys.seal(draft.id_number.expose()),
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
        guardian: draft.guardian.map(|g| GuardianItem {
            name: g.name,
            phone_sealed: keys.seal(g.phone.expose()),
            relation: g.relation,
            consent_at: now.clone(),
        }),
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
