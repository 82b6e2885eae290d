//! Re-sealing personal data under the current key version (`zhiyuan-admin
//! rotate-pii-keys`), while the service runs.
//!
//! The run scans the user items a page at a time and saves its place after each page,
//! so a stopped run resumes where it stopped (a new current version starts over). A
//! value is re-sealed only if it is under an older version; the write is conditional on
//! the fields still holding what was read, and a lost race re-reads the user and tries
//! again, so a phone or guardian changed meanwhile is never overwritten with the old one.
//! Running it twice is harmless: the second run finds nothing stale. Throughout, the key
//! set holds both versions, so every value opens whichever version it is under.

use crate::crypto::Keys;
use crate::store::pii_rotation::{RotationCursor, SealedFields};
use crate::store::{Store, StoreError};

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RotationReport {
    /// User items looked at.
    pub users: u64,
    /// Sealed values written under the current version.
    pub resealed: u64,
    /// Writes that found the user changed since the read and were redone from a re-read.
    pub retried: u64,
    /// Values that no key held opens (their version was dropped too early): left as they
    /// are, for the operator to look at.
    pub unreadable: u64,
}

/// How many times a user whose fields keep changing under the run is re-read before the
/// run gives up on it (it stays readable; the next run picks it up).
const ATTEMPTS: u32 = 5;

/// Re-seals every stale value, `page` user items per scan page. Resumes from a saved
/// cursor for the same version.
pub async fn run(store: &Store, keys: &Keys, page: i32) -> Result<RotationReport, StoreError> {
    let version = keys.pii_version();
    let mut report = RotationReport::default();
    let mut resume = match store.rotation_cursor().await? {
        Some(c) if c.version == version => Some(c.resume),
        _ => None,
    };
    loop {
        let (users, next) = store.sealed_users_page(resume, page).await?;
        for user in users {
            report.users += 1;
            reseal_one(store, keys, user, &mut report).await?;
        }
        match next {
            Some(k) => {
                store
                    .save_rotation_cursor(&RotationCursor {
                        version,
                        resume: k.clone(),
                        resealed: report.resealed,
                    })
                    .await?;
                resume = Some(k);
            }
            None => {
                store.clear_rotation_cursor().await?;
                return Ok(report);
            }
        }
    }
}

/// Re-seals one user's stale values from `read` (what the scan saw), retrying from a
/// fresh read when the user changed in between.
pub async fn reseal_one(
    store: &Store,
    keys: &Keys,
    mut read: SealedFields,
    report: &mut RotationReport,
) -> Result<(), StoreError> {
    for _ in 0..ATTEMPTS {
        let Some(new) = resealed(keys, &read, report) else {
            return Ok(());
        };
        match store.reseal_user(&read, &new).await {
            Ok(()) => {
                report.resealed += [
                    read.phone != new.phone,
                    read.id_number != new.id_number,
                    read.guardian_phone != new.guardian_phone,
                ]
                .iter()
                .filter(|c| **c)
                .count() as u64;
                return Ok(());
            }
            Err(StoreError::ConditionFailed) => {
                report.retried += 1;
                match store.sealed_fields(&read.user_id).await? {
                    Some(now) => read = now,
                    None => return Ok(()),
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `read` with each stale value sealed again under the current version, or `None` when
/// nothing is stale (or nothing stale can be opened).
fn resealed(keys: &Keys, read: &SealedFields, report: &mut RotationReport) -> Option<SealedFields> {
    let mut again = |v: &str| -> String {
        if !keys.is_stale(v) {
            return v.to_string();
        }
        // A value that cannot be opened (or sealed again) stays as it is, and is counted.
        match keys.open(v).and_then(|plain| keys.seal(&plain)) {
            Ok(sealed) => sealed,
            Err(_) => {
                report.unreadable += 1;
                v.to_string()
            }
        }
    };
    let new = SealedFields {
        user_id: read.user_id.clone(),
        phone: again(&read.phone),
        id_number: read.id_number.as_deref().map(&mut again),
        guardian_phone: read.guardian_phone.as_deref().map(&mut again),
    };
    (new != *read).then_some(new)
}
