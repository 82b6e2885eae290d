//! Assisted registration (代注册): a station manager, or an organizer of an approved
//! organisation, registers an older resident who has no smartphone.
//!
//! With the resident's phone, the phone receives an `assisted_register` code and the
//! resident reads it out to the helper: the code proves the phone is the resident's and
//! that they agree. Without a phone, the helper records the resident's signed paper
//! consent (and where the form is kept); such an account has no phone, so nobody can
//! sign in to it until a phone is added. Either way the account gets its real-name
//! profile under the same rules as self-service (`VolunteerRequest`), carries the mark
//! of who helped and when, and has no password: the helper never holds a credential.
//! The resident takes the account over with a `reset` code on the phone (忘记密码 /
//! 接管代注册账户, `accounts::reset_password`), which marks it taken over.

use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::ids::UserId;
use crate::service::accounts::{ID_NUMBER, PHONE};
use crate::service::codes::{self, beijing_day};
use crate::service::regions::ensure_known_region;
use crate::sms::SmsSender;
use crate::store::Store;
use crate::store::accounts::{AssistedItem, NewAccount, UserItem, VolunteerItem};
use crate::store::assisted::AssistedRefused;
use crate::{audit, clock};
use zhiyuan_shared::account::Role;
use zhiyuan_shared::assisted::{
    AssistedCodeRequest, AssistedProof, AssistedRegistration, AssistedRegistrationRequest,
    MAX_CODES_PER_HELPER_PER_DAY, MAX_PER_HELPER_PER_DAY,
};
use zhiyuan_shared::codes::CodePurpose;
use zhiyuan_shared::org::OrgStatus;

const DAY: i64 = 86_400;
const CST: i64 = 8 * 3600;
/// Throttle counters, per helper per Beijing day.
const REGISTRATIONS: &str = "assisted_day";
const CODES: &str = "assisted_code_day";

/// Whether the caller may register residents: a station manager, or an organizer of an
/// organisation that is approved (a pending or rejected one has no standing yet).
pub async fn may_assist(store: &Store, caller: &Caller) -> Result<(), ApiError> {
    if caller.grants.iter().any(|g| g.role == Role::StationManager) {
        return Ok(());
    }
    for g in caller.grants.iter().filter(|g| g.role == Role::Organizer) {
        if let Some(org) = store.get_org(&g.scope).await?
            && org.status == OrgStatus::Approved
        {
            return Ok(());
        }
    }
    Err(ApiError::forbidden(
        "forbidden",
        "only a station manager or an organizer of an approved organisation may register residents",
    ))
}

/// Takes one of the helper's slots of `counter` for today (Beijing), or answers 429
/// until local midnight.
async fn take_daily_slot(
    store: &Store,
    caller: &Caller,
    counter: &str,
    max: u32,
) -> Result<(), ApiError> {
    let now = clock::now_unix();
    let day = beijing_day(now);
    if store
        .reserve_attempt(counter, caller.id(), day, max, (day + 2) * DAY)
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::TooManyRequests {
            retry_after: ((day + 1) * DAY - CST - now).max(1) as u64,
        })
    }
}

/// `POST /api/assisted-registrations/codes`: sends the resident's phone an
/// `assisted_register` code, under the phone's usual limits and the helper's own.
pub async fn request_code(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    client: &str,
    caller: &Caller,
    req: AssistedCodeRequest,
) -> Result<(), ApiError> {
    may_assist(store, caller).await?;
    let phone = req.validate()?;
    take_daily_slot(store, caller, CODES, MAX_CODES_PER_HELPER_PER_DAY).await?;
    codes::send_code(
        store,
        keys,
        sms,
        client,
        &phone,
        CodePurpose::AssistedRegister,
    )
    .await
}

/// `POST /api/assisted-registrations`: creates the resident's account with its
/// real-name profile, in one transaction.
pub async fn register(
    store: &Store,
    keys: &Keys,
    client: &str,
    caller: &Caller,
    req: AssistedRegistrationRequest,
) -> Result<AssistedRegistration, ApiError> {
    may_assist(store, caller).await?;
    let draft = req.validate(clock::today_cst())?;
    ensure_known_region(store, &draft.region_code).await?;
    take_daily_slot(store, caller, REGISTRATIONS, MAX_PER_HELPER_PER_DAY).await?;
    let id_index = keys.blind_index(ID_NUMBER, draft.id_number.expose());
    // Read before the code is used up, so a taken ID number does not cost the resident
    // their code; the transaction's guard still decides a race.
    if store.user_id_by_id_index(&id_index).await?.is_some() {
        return Err(AssistedRefused::IdNumberTaken.into());
    }
    let (phone, consent_note) = match &draft.proof {
        AssistedProof::Phone { phone, code } => {
            codes::consume_code(
                store,
                keys,
                phone,
                CodePurpose::AssistedRegister,
                code.expose(),
            )
            .await?;
            (Some(phone), None)
        }
        AssistedProof::Paper { note } => (None, Some(note.clone())),
    };
    let id = UserId::generate();
    let now = clock::now_rfc3339();
    let serial = store
        .next_volunteer_serial(draft.region_code.as_str())
        .await?;
    let mut user = UserItem::new(
        &id,
        NewAccount {
            display_name: draft.display_name.clone(),
            phone_sealed: phone
                .map(|p| keys.seal(p.expose()))
                .transpose()?
                .unwrap_or_default(),
            phone_index: phone
                .map(|p| keys.blind_index(PHONE, p.expose()))
                .unwrap_or_default(),
            // No password: nothing verifies against an empty hash. The owner sets one
            // when taking the account over.
            password_hash: String::new(),
        },
        now.clone(),
    );
    user.volunteer = Some(VolunteerItem {
        volunteer_no: format!("{}{serial:08}", draft.region_code),
        real_name: draft.real_name,
        id_sealed: keys.seal(draft.id_number.expose())?,
        id_index,
        id_masked: draft.id_number.masked(),
        gender: draft.id_number.gender(),
        birth_date: draft.id_number.birth_date(),
        region_code: draft.region_code.clone(),
        service_fields: draft.service_fields,
        groups: vec![],
        skills: vec![],
        registered_at: now.clone(),
        consent_at: now.clone(),
        guardian: None,
    });
    user.assisted = Some(AssistedItem {
        by: caller.id().clone(),
        at: now.clone(),
        with_phone: phone.is_some(),
        consent_note,
        taken_over_at: None,
    });
    let (counters, groups) =
        super::stats::registration_effect(&id, draft.region_code.as_str(), &[], clock::now_unix());
    store
        .create_assisted_user(&user, &counters, &groups)
        .await?;
    audit::record(&audit::SecurityEvent {
        event: audit::Event::AssistedRegistration,
        actor: Some(caller.id()),
        target: Some(&id),
        outcome: audit::Outcome::Success,
        client,
        route: "/api/assisted-registrations",
    });
    Ok(AssistedRegistration {
        user_id: id.to_string(),
        display_name: user.display_name,
        volunteer_no: user.volunteer.map(|v| v.volunteer_no).unwrap_or_default(),
        phone_masked: phone.map(|p| p.masked()),
        assisted_at: now,
    })
}
