//! Guardian consent for volunteers aged 14 to 17 (志愿服务条例 Art. 14): recorded once on
//! the volunteer's profile, asked for by sign-up until it is.
//!
//! Ages are whole years from the birth date the ID number holds, reckoned in Beijing time:
//! on today's date when the consent is recorded, on the shift's date when signing up (a
//! 17-year-old may sign up without one for a shift after their eighteenth birthday).

use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::accounts::{GuardianItem, VolunteerItem};
use zhiyuan_shared::account::GUARDIAN_AGE;
use zhiyuan_shared::guardian::{
    ADULT_AGE, GuardianConsent, GuardianConsentRequest, consent_needed,
};
use zhiyuan_shared::identity::Date;

/// Records the guardian's consent for the calling volunteer, who must be 14 to 17 today.
pub async fn record_consent(
    store: &Store,
    keys: &Keys,
    caller: &Caller,
    req: &GuardianConsentRequest,
    today: Date,
    now_rfc3339: String,
) -> Result<GuardianConsent, ApiError> {
    let volunteer = caller.volunteer()?;
    let age = volunteer.birth_date.years_until(today);
    if age < GUARDIAN_AGE {
        return Err(ApiError::forbidden(
            "guardian_consent_not_needed",
            "under 14 the guardian is recorded at registration; no separate consent is needed",
        ));
    }
    if age >= ADULT_AGE {
        return Err(ApiError::forbidden(
            "guardian_consent_not_needed",
            "volunteers aged 18 or over need no guardian's consent",
        ));
    }
    let g = req.validate()?;
    let item = GuardianItem {
        name: g.name,
        phone_sealed: keys.seal(g.phone.expose())?,
        relation: g.relation,
        consent_at: now_rfc3339,
    };
    store.record_guardian_consent(caller.id(), &item).await?;
    Ok(GuardianConsent {
        guardian_name: item.name,
        relationship: item.relation,
        consent_at: item.consent_at,
    })
}

/// Refuses a sign-up by a 14-to-17-year-old (on `on`, the shift's date) with no guardian
/// on record, with a code the sign-up form answers by asking for the consent.
pub fn require_consent(volunteer: &VolunteerItem, on: Date) -> Result<(), ApiError> {
    if consent_needed(volunteer.birth_date, on) && volunteer.guardian.is_none() {
        return Err(ApiError::Unprocessable {
            code: "guardian_consent_required",
            message: "volunteers aged 14 to 17 need their guardian's consent on record \
                      before signing up"
                .into(),
        });
    }
    Ok(())
}
