//! "My account" (我的账号): change the password, download my data (我的数据), close my
//! account (注销账号).
//!
//! Closing follows two rules at once. PIPL Art. 47 asks that personal information be
//! deleted once the account is closed, unless it is anonymised; 《志愿服务记录与证明出具
//! 办法》 asks that service records be kept (and the statistics are built from them). So
//! the account's personal data is deleted or overwritten (name, phone, ID number, guardian,
//! password, skills, roles, inbox), the phone and ID-number guards are released, and what
//! remains is the service history under a pseudonym ("已注销志愿者", the volunteer number)
//! with the coarse facts statistics count by: region, gender, birth year, groups, service
//! fields and the served minutes per year. See the README, "My account".

use super::MAX_ATTEMPTS;
use super::accounts::{WINDOW_SECONDS, hash, profile, verify};
use crate::auth::Caller;
use crate::clock;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::files::Files;
use crate::notify::NoticeSender;
use crate::store::accounts::UserItem;
use crate::store::attachments::AttachmentItem;
use crate::store::my_account::CloseRefused;
use crate::store::{Store, StoreError, TxError, backoff};
use crate::token;
use zhiyuan_shared::account::Role;
use zhiyuan_shared::activity::ActivityStatus;
use zhiyuan_shared::identity::Date;
use zhiyuan_shared::my_account::{
    CLOSED_NAME, ChangePasswordRequest, ChangePasswordResponse, CloseRequest, MyAccountData,
    MyCalendarFeed, MyData, MyGuardianData, MyTotals, MyUpload, MyVolunteerData, MyYear,
    RECHECK_SECONDS, Recheck, RecheckRequest, RecheckResponse,
};
use zhiyuan_shared::time::Timestamp;

/// Wrong passwords given to a re-check, per account and throttle window: a stolen session
/// must not become a way to guess the password.
pub const MAX_RECHECK_FAILURES: u32 = 5;

/// Proves once more that the caller holds the account, before a change that cannot be
/// undone. `field` names the password field of the request the answer is about.
pub async fn recheck(
    store: &Store,
    keys: &Keys,
    caller: &Caller,
    how: Recheck,
    field: &'static str,
) -> Result<(), ApiError> {
    match how {
        Recheck::Password(password) => {
            // A slot is reserved before Argon2 runs and given back only when the password
            // was right, so concurrent re-checks cannot get more than the limit of guesses
            // (the same rule as sign-in).
            let now = clock::now_unix();
            let window = now.div_euclid(WINDOW_SECONDS);
            let Some(slot) = store
                .reserve_slot(
                    "recheck",
                    caller.id(),
                    window,
                    MAX_RECHECK_FAILURES,
                    (window + 2) * WINDOW_SECONDS,
                )
                .await?
            else {
                return Err(ApiError::TooManyRequests {
                    retry_after: (WINDOW_SECONDS - now.rem_euclid(WINDOW_SECONDS)) as u64,
                });
            };
            let checked = verify(&password, Some(caller.user.password_hash.clone())).await;
            // Right, or not checked at all (the password pool was full): the slot goes back.
            if !matches!(checked, Ok(false)) {
                super::accounts::release(store, &slot).await;
            }
            if checked? {
                return Ok(());
            }
            Err(ApiError::invalid(field, "the password is wrong"))
        }
        // A code sent to the account's own phone (`POST /api/auth/codes`, purpose `login`):
        // for a person who no longer knows the password. Wrong tries count against the
        // code's own limit (5) and the phone's.
        Recheck::Code(code) => {
            let phone = own_phone(keys, caller)?;
            super::codes::consume_code(
                store,
                keys,
                &phone,
                zhiyuan_shared::codes::CodePurpose::Login,
                &code,
            )
            .await
        }
    }
}

/// `POST /api/me/recheck`: the password or a code entered again; the answer is this
/// session's token stamped with the time, which opens reveal and the exports for
/// [`RECHECK_SECONDS`]. Wrong passwords count against the account's re-check limit, wrong
/// codes against the code's and the phone's.
pub async fn recheck_session(
    store: &Store,
    keys: &Keys,
    caller: &Caller,
    req: RecheckRequest,
) -> Result<RecheckResponse, ApiError> {
    let how = req.recheck()?;
    if let Recheck::Code(code) = &how {
        zhiyuan_shared::codes::VerificationCode::parse(code)?;
    }
    recheck(store, keys, caller, how, "password").await?;
    let session = caller.session.as_ref().ok_or(ApiError::Unauthorized)?;
    let mut claims = session.renewed(caller.at);
    claims.rc = Some(caller.at);
    Ok(RecheckResponse {
        token: token::sign(keys, &claims)?,
        valid_seconds: RECHECK_SECONDS,
    })
}

/// `POST /api/me/recheck/code`: sends a `login` code to the account's own phone, which
/// the app never holds whole (the same limits as any code).
pub async fn send_recheck_code(
    store: &Store,
    keys: &Keys,
    sms: &crate::sms::SmsSender,
    client: &str,
    caller: &Caller,
) -> Result<(), ApiError> {
    let phone = own_phone(keys, caller)?;
    super::codes::send_code(
        store,
        keys,
        sms,
        client,
        &phone,
        zhiyuan_shared::codes::CodePurpose::Login,
    )
    .await
}

fn own_phone(keys: &Keys, caller: &Caller) -> Result<zhiyuan_shared::identity::Phone, ApiError> {
    keys.open(&caller.user.phone_sealed)
        .ok()
        .and_then(|p| zhiyuan_shared::identity::Phone::parse(&p).ok())
        .ok_or_else(|| ApiError::Internal("the account's phone cannot be read".into()))
}

/// Changes the password: every other session ends, this device gets a fresh token.
pub async fn change_password(
    store: &Store,
    keys: &Keys,
    caller: &Caller,
    req: ChangePasswordRequest,
) -> Result<ChangePasswordResponse, ApiError> {
    let new = req.validate()?;
    recheck(
        store,
        keys,
        caller,
        Recheck::Password(req.current_password.clone()),
        "current_password",
    )
    .await?;
    let password_hash = hash(new.expose()).await?;
    let generation = match store
        .set_password(caller.id(), caller.user.token_gen, &password_hash)
        .await
    {
        Ok(g) => g,
        // Another device changed the password or logged out everywhere meanwhile: this
        // session has ended too.
        Err(StoreError::ConditionFailed) => return Err(ApiError::Unauthorized),
        Err(e) => return Err(e.into()),
    };
    // The same kind of session as before (an admin's stays short and second-factored).
    let mut claims = match &caller.session {
        Some(s) => s.renewed(caller.at),
        None => token::Claims::new(caller.id(), generation, caller.at, false),
    };
    claims.generation = generation;
    Ok(ChangePasswordResponse {
        token: token::sign(keys, &claims)?,
    })
}

/// Everything the platform holds on the caller, whole numbers opened for them.
pub async fn export(store: &Store, keys: &Keys, caller: &Caller) -> Result<MyData, ApiError> {
    caller.require_recheck()?;
    let open = |sealed: &str| {
        keys.open(sealed)
            .map_err(|e| ApiError::Internal(e.to_string()))
    };
    let user = &caller.user;
    let me = caller.id();
    let volunteer = match &user.volunteer {
        None => None,
        Some(v) => Some(MyVolunteerData {
            profile: profile(v),
            id_number: open(&v.id_sealed)?,
            consent_at: v.consent_at.clone(),
            guardian: match &v.guardian {
                None => None,
                Some(g) => Some(MyGuardianData {
                    name: g.name.clone(),
                    phone: open(&g.phone_sealed)?,
                    relation: g.relation.clone(),
                    consent_at: g.consent_at.clone(),
                }),
            },
        }),
    };
    let (records, shifts, notices, memberships) = tokio::try_join!(
        super::records::all_of_user(store, me),
        async { Ok::<_, ApiError>(store.all_my_shifts(me).await?) },
        async { Ok::<_, ApiError>(store.all_notices(me).await?) },
        super::orgs::my_memberships(store, caller),
    )?;
    let (notice_settings, calendar_feed, appeals, sms) = tokio::try_join!(
        async { Ok::<_, ApiError>(super::sms_notices::settings_of(store, me).await?) },
        async { Ok::<_, ApiError>(store.calendar_feed_of(me).await?) },
        async { Ok::<_, ApiError>(store.appeals_of(me).await?) },
        async { Ok::<_, ApiError>(super::sms_notices::sms_of(store, &notices).await?) },
    )?;
    let mut needs = Vec::new();
    let mut resume = None;
    loop {
        let (page, next) = store.my_needs(me, resume, 100).await?;
        needs.extend(
            page.iter()
                .map(|n| super::needs::view(n, Some(caller), None)),
        );
        match next {
            Some(k) => resume = Some(k),
            None => break,
        }
    }
    let seen = user.notices_seen.as_deref();
    let uploads = uploads_of(store, user)
        .await?
        .into_iter()
        .map(|f| MyUpload {
            id: f.id.to_string(),
            activity_id: f.activity_id.to_string(),
            kind: f.kind,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            uploaded_at: f.uploaded_at,
        })
        .collect();
    Ok(MyData {
        exported_at: clock::now_rfc3339(),
        account: MyAccountData {
            user_id: me.to_string(),
            display_name: user.display_name.clone(),
            phone: open(&user.phone_sealed)?,
            created_at: user.created_at.clone(),
            roles: user.grants(),
        },
        volunteer,
        totals: MyTotals {
            served_minutes: user.served_minutes,
            total_hours: zhiyuan_shared::record::hours(user.served_minutes),
            star_level: zhiyuan_shared::record::star_of_minutes(user.served_minutes),
            trainings_done: user.trainings_done,
            years: user
                .years
                .iter()
                .map(|(y, t)| {
                    (
                        y.clone(),
                        MyYear {
                            minutes: t.minutes,
                            records: t.records,
                        },
                    )
                })
                .collect(),
        },
        records: records.iter().map(super::records::view).collect(),
        signups: shifts
            .into_iter()
            .map(super::signups::my_shift_view)
            .collect(),
        memberships,
        notices: notices
            .into_iter()
            .map(|n| super::notices::view(n, seen))
            .collect(),
        needs,
        uploads,
        notice_settings,
        calendar_feed: calendar_feed.map(|f| MyCalendarFeed {
            created_at: f.created_at,
        }),
        identity_appeals: appeals.iter().map(super::appeals::own_view).collect(),
        sms,
    })
}

/// The archive files the user uploaded to the activities of the organisations they
/// organize (or organized: a closed account keeps its grants for this).
async fn uploads_of(store: &Store, user: &UserItem) -> Result<Vec<AttachmentItem>, ApiError> {
    let mut out = Vec::new();
    for g in user.grants().iter().filter(|g| g.role == Role::Organizer) {
        out.extend(store.uploads_to_org(&g.scope, &user.id).await?);
    }
    Ok(out)
}

/// The user item as a closed account keeps it: personal data gone, the pseudonymous
/// service history and the coarse facts statistics count by kept. Every session ends
/// (`token_gen`), and a sign-up in flight loses its race (`signup_seq`).
pub fn anonymised(user: &UserItem, closed_at: String) -> UserItem {
    let mut c = user.clone();
    c.display_name = CLOSED_NAME.to_string();
    c.phone_sealed = String::new();
    c.phone_index = String::new();
    c.password_hash = String::new();
    // The grants stay: they name organisations, not the person, sign in nowhere (a closed
    // account is refused at the door), and say where the person's uploads are to rename.
    c.token_gen += 1;
    c.signup_seq += 1;
    c.notices_seen = None;
    c.closed_at = Some(closed_at);
    if let Some(a) = c.assisted.as_mut() {
        // Where a paper form is kept may name the person; who helped and when stay.
        a.consent_note = None;
    }
    if let Some(v) = c.volunteer.as_mut() {
        v.real_name = CLOSED_NAME.to_string();
        v.id_sealed = String::new();
        v.id_index = String::new();
        v.id_masked = String::new();
        v.skills = Vec::new();
        v.guardian = None;
        // The year stays for age statistics; the day would help re-identify the person.
        v.birth_date = Date::new(v.birth_date.year, 1, 1).unwrap_or(v.birth_date);
    }
    c
}

/// Closes the caller's account after a re-check. Sign-in stops at once; the person's
/// future sign-ups are withdrawn (waitlists move up); their name leaves every list.
pub async fn close(
    store: &Store,
    keys: &Keys,
    files: &Files,
    sender: NoticeSender,
    caller: &Caller,
    req: CloseRequest,
) -> Result<(), ApiError> {
    let how = req.recheck()?;
    recheck(store, keys, caller, how, "password").await?;
    let mut user = caller.user.clone();
    let mut closed = None;
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
            user = store
                .get_user(caller.id())
                .await?
                .ok_or(ApiError::Unauthorized)?;
        }
        // A racing close of the same account won: it does the rest.
        if user.closed_at.is_some() {
            return Ok(());
        }
        let after = anonymised(&user, clock::now_rfc3339());
        let feed = store.calendar_feed_of(caller.id()).await?;
        match store
            .close_account(&user, &after, feed.as_ref().map(|f| f.hash.as_str()))
            .await
        {
            Ok(()) => {
                closed = Some(after);
                break;
            }
            Err(
                TxError::Refused(CloseRefused::UserChanged)
                | TxError::Store(
                    StoreError::TransactionConflict
                    | StoreError::Throttled
                    | StoreError::Unavailable(_),
                ),
            ) => continue,
            Err(TxError::Store(e)) => return Err(e.into()),
        }
    }
    let closed = closed.ok_or(ApiError::Busy)?;
    tidy(store, keys, files, sender, Caller::new(closed)).await
}

/// How many closed accounts one scheduled run tidies at most.
const CLOSINGS_PER_RUN: usize = 20;

/// Finishes the tidying of accounts whose closing request died after the account closed
/// (the scheduled run); returns how many it finished.
pub async fn finish_closings(
    store: &Store,
    keys: &Keys,
    files: &Files,
    sender: NoticeSender,
) -> Result<usize, ApiError> {
    let mut done = 0;
    for id in store.closings_pending(CLOSINGS_PER_RUN).await? {
        match store.get_user(&id).await? {
            Some(user) if user.closed_at.is_some() => {
                tidy(store, keys, files, sender, Caller::new(user)).await?;
            }
            // Never closed (cannot happen: the marker is written with the closing) or gone.
            _ => store.closing_done(&id).await?,
        }
        done += 1;
    }
    Ok(done)
}

/// After the account closed: withdraw its future sign-ups through the volunteer's own
/// cancel path (so the waitlist moves up and is told), show it as "已注销志愿者" in every
/// list that copied its name, withdraw its pending identity appeals and delete their
/// photos, and delete its calendar cancellation markers, its notices' text messages and
/// its inbox. (The closing transaction itself ended the calendar feed, the notice
/// settings and the phone's codes.) Each step is idempotent; the last one clears the
/// account's `CLOSING` marker, so a request that dies part way is finished by
/// [`finish_closings`].
async fn tidy(
    store: &Store,
    keys: &Keys,
    files: &Files,
    sender: NoticeSender,
    closed: Caller,
) -> Result<(), ApiError> {
    let me = closed.id().clone();
    let now = Timestamp::from_unix(clock::now_unix());
    for shift in store.all_my_shifts(&me).await? {
        store
            .rename_signup(&shift.activity_id, shift_n(&shift.shift_id), &me)
            .await?;
        if shift.starts_at > now && shift.activity_status != ActivityStatus::Cancelled {
            match super::signups::cancel_signup(store, sender, &closed, &shift.shift_id, now).await
            {
                // Gone already, or the activity was cancelled or started meanwhile.
                Ok(()) | Err(ApiError::NotFound(_) | ApiError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    for record in super::records::all_of_user(store, &me).await? {
        store.rename_record(&record).await?;
    }
    let mut resume = None;
    loop {
        let (page, next) = store.memberships_of(&me, resume, 100).await?;
        for m in page {
            if let Some(member) = store.get_member(&m.org_id, m.status, &me).await? {
                store.rename_member(&member).await?;
            }
        }
        match next {
            Some(k) => resume = Some(k),
            None => break,
        }
    }
    let mut resume = None;
    loop {
        let (page, next) = store.my_needs(&me, resume, 100).await?;
        for need in &page {
            store.rename_need(need).await?;
        }
        match next {
            Some(k) => resume = Some(k),
            None => break,
        }
    }
    for file in uploads_of(store, &closed.user).await? {
        store.rename_upload(&file).await?;
    }
    super::appeals::Appeals { store, files, keys }
        .forget_appellant(&me)
        .await?;
    store.forget_calendar_gone(&me).await?;
    // The text messages first: they are found through the inbox's notice ids.
    super::sms_notices::forget_sms_of(store, &store.all_notices(&me).await?).await?;
    store.delete_notices(&me).await?;
    Ok(store.closing_done(&me).await?)
}

/// The shift number at the end of a shift id (its activity id, then two digits).
fn shift_n(shift_id: &str) -> u8 {
    crate::store::keys::parse_shift_id(shift_id).map_or(0, |(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::store::accounts::{GuardianItem, NewAccount, VolunteerItem};
    use zhiyuan_shared::identity::Gender;
    use zhiyuan_shared::region::RegionCode;

    fn user() -> UserItem {
        let mut u = UserItem::new(
            &UserId::trusted("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
            NewAccount {
                display_name: "小王".into(),
                phone_sealed: "sealed-phone".into(),
                phone_index: "phone-index".into(),
                password_hash: "$argon2id$…".into(),
            },
            "2026-01-01T00:00:00+08:00".into(),
        );
        u.roles = vec!["organizer:ORG1".into()];
        u.served_minutes = 600;
        u.volunteer = Some(VolunteerItem {
            volunteer_no: "15060200000001".into(),
            real_name: "王小明".into(),
            id_sealed: "sealed-id".into(),
            id_index: "id-index".into(),
            id_masked: "1506**********1234".into(),
            gender: Gender::Male,
            birth_date: Date::new(2010, 6, 15).expect("date"),
            region_code: RegionCode::parse("150602").expect("region"),
            service_fields: vec![],
            groups: vec![],
            skills: vec!["急救".into()],
            registered_at: "2026-01-01T00:00:00+08:00".into(),
            consent_at: "2026-01-01T00:00:00+08:00".into(),
            guardian: Some(GuardianItem {
                name: "王大明".into(),
                phone_sealed: "sealed-guardian".into(),
                relation: "父亲".into(),
                consent_at: "2026-01-01T00:00:00+08:00".into(),
            }),
        });
        u
    }

    #[test]
    fn a_closed_account_keeps_no_personal_data_but_keeps_what_statistics_count() {
        let before = user();
        let c = anonymised(&before, "2026-11-29T12:00:00+08:00".into());
        let text = serde_json::to_string(&c).expect("json");
        for personal in [
            "小王",
            "王小明",
            "王大明",
            "sealed-phone",
            "phone-index",
            "sealed-id",
            "id-index",
            "1234",
            "argon2",
            "急救",
            "06-15",
        ] {
            assert!(!text.contains(personal), "{personal} survived: {text}");
        }
        let v = c.volunteer.as_ref().expect("the service history stays");
        assert_eq!(v.real_name, CLOSED_NAME);
        assert_eq!(v.region_code.as_str(), "150602");
        assert_eq!(v.birth_date.year, 2010);
        assert_eq!(c.served_minutes, 600);
        assert_eq!(c.token_gen, before.token_gen + 1, "every session ends");
        assert_eq!(
            c.signup_seq,
            before.signup_seq + 1,
            "a sign-up in flight loses"
        );
        assert!(c.closed_at.is_some());
    }
}
