//! Hours transfer (异地转移): a volunteer exports their counted records as a file signed
//! with this deployment's Ed25519 key; a region admin elsewhere imports it.
//!
//! The importer checks the signature, that the key is one it trusts, and the volunteer
//! (matched by ID number, registered there first). Each record is written in its own
//! transaction, keyed by its origin id, together with the volunteer's total: a record
//! already present fails its `attribute_not_exists` and adds nothing, so importing a file
//! twice, or again after a crash part way, leaves the total exact.

use super::MAX_ATTEMPTS;
use super::records::{Actor, all_of_user, stats_of_change, view};
use crate::auth::Caller;
use crate::config::Config;
use crate::crypto::verify_transfer;
use crate::error::ApiError;
use crate::store::records::{AuditItem, Queue, RecordItem, RecordRefused, RecordWrite, StateItem};
use crate::store::{Store, StoreError, TxError, backoff};
use zhiyuan_shared::identity::IdNumber;
use zhiyuan_shared::record::{
    AuditAction, RecordStatus, TRANSFER_FORMAT, TransferFile, TransferKey, TransferPayload,
    TransferRecord, TransferResult, TransferVolunteer, hours,
};
use zhiyuan_shared::time::Timestamp;

/// A record's id across deployments.
fn origin_id(config: &Config, r: &RecordItem) -> String {
    r.origin_id
        .clone()
        .unwrap_or_else(|| format!("{}:{}", config.deployment, r.id))
}

/// The stretch of time a record's service took (for overlap checks on import).
fn served_span(r: &RecordItem) -> (Timestamp, Timestamp) {
    match (r.check_in, r.check_out) {
        (Some(i), Some(o)) => (i.max(r.shift_starts), o.min(r.shift_ends)),
        _ => (r.shift_starts, r.shift_ends),
    }
}

pub fn key(config: &Config) -> TransferKey {
    TransferKey {
        deployment: config.deployment.clone(),
        public_key: config.keys.transfer_public_key(),
    }
}

pub async fn export(
    store: &Store,
    config: &Config,
    caller: &Caller,
    now: Timestamp,
) -> Result<TransferFile, ApiError> {
    let v = caller.volunteer()?;
    // The file carries the whole ID number.
    caller.require_recheck()?;
    let id_number = config
        .keys
        .open(&v.id_sealed)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let records = all_of_user(store, caller.id())
        .await?
        .into_iter()
        .filter(|r| r.counts())
        .map(|r| {
            let (from, to) = served_span(&r);
            let shown = view(&r);
            TransferRecord {
                origin_id: origin_id(config, &r),
                org_name: shown.org_name,
                activity_title: shown.activity_title,
                content: shown.content,
                address: shown.address,
                region_code: r.region_code.clone(),
                starts_at: from.rfc3339_cst(),
                ends_at: to.rfc3339_cst(),
                minutes: r.minutes,
            }
        })
        .collect();
    let payload = TransferPayload {
        origin: config.deployment.clone(),
        exported_at: now.rfc3339_cst(),
        volunteer: TransferVolunteer {
            real_name: v.real_name.clone(),
            id_number,
            volunteer_no: v.volunteer_no.clone(),
        },
        records,
    };
    let message = serde_json::to_vec(&payload).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(TransferFile {
        format: TRANSFER_FORMAT.into(),
        signature: config.keys.sign_transfer(&message),
        public_key: config.keys.transfer_public_key(),
        payload,
    })
}

fn refused(code: &'static str, message: &str) -> ApiError {
    ApiError::Unprocessable {
        code,
        message: message.into(),
    }
}

/// A record of the file as this deployment stores it, or why it cannot be.
fn incoming(
    r: &TransferRecord,
    i: usize,
    origin: &str,
    user: &crate::store::accounts::UserItem,
    now: &str,
    admin: &Actor<'_>,
) -> Result<RecordItem, ApiError> {
    let field = || format!("records[{i}]");
    let bad = |why: &str| ApiError::invalid(&field(), why);
    let from = Timestamp::parse(&r.starts_at).map_err(|e| bad(&e.to_string()))?;
    let to = Timestamp::parse(&r.ends_at).map_err(|e| bad(&e.to_string()))?;
    let span = to.unix() - from.unix();
    if span <= 0 || span > 24 * 3600 || i64::from(r.minutes) * 60 > span {
        return Err(bad("its hours do not fit its times"));
    }
    if r.origin_id.is_empty() || r.origin_id.len() > 200 {
        return Err(bad("has no origin id"));
    }
    let v = user.volunteer.as_ref().ok_or_else(|| bad("no volunteer"))?;
    Ok(RecordItem {
        id: RecordItem::transferred_id(&r.origin_id),
        activity_id: String::new(),
        n: 0,
        user_id: user.id.clone(),
        real_name: v.real_name.clone(),
        volunteer_no: v.volunteer_no.clone(),
        id_masked: v.id_masked.clone(),
        org_id: String::new(),
        org_name: r.org_name.clone(),
        activity_title: r.activity_title.clone(),
        service_field: None,
        content: Some(r.content.clone()),
        address: r.address.clone(),
        region_code: r.region_code.clone(),
        shift_starts: from,
        shift_ends: to,
        check_in: Some(from),
        check_out: Some(to),
        minutes: r.minutes,
        status: RecordStatus::Confirmed,
        training: false,
        auto_closed: false,
        location_checked: false,
        source: Default::default(),
        backfill_id: None,
        recorded_by: admin.id.to_string(),
        recorded_by_name: admin.name.to_string(),
        recorded_at: now.to_string(),
        confirmed_by_name: Some(admin.name.to_string()),
        confirmed_at: Some(now.to_string()),
        dispute: None,
        transferred_from: Some(origin.to_string()),
        origin_id: Some(r.origin_id.clone()),
        version: 1,
    })
}

pub async fn import(
    store: &Store,
    config: &Config,
    caller: &Caller,
    file: &TransferFile,
    now: Timestamp,
) -> Result<TransferResult, ApiError> {
    if file.format != TRANSFER_FORMAT {
        return Err(ApiError::invalid(
            "format",
            "is not a Zhiyuan transfer file",
        ));
    }
    let message =
        serde_json::to_vec(&file.payload).map_err(|e| ApiError::Internal(e.to_string()))?;
    if !verify_transfer(&file.public_key, &message, &file.signature) {
        return Err(refused(
            "bad_signature",
            "the file's signature does not match its content: it was changed after export",
        ));
    }
    if !config.trusts_transfer_key(&file.public_key) {
        return Err(refused(
            "untrusted_key",
            "the file was signed by a deployment this one does not trust",
        ));
    }
    let p = &file.payload;
    let id_number =
        IdNumber::parse(&p.volunteer.id_number, crate::clock::today_cst()).map_err(|e| {
            ApiError::invalid("id_number", zhiyuan_shared::account::id_number_reason(&e))
        })?;
    let index = config
        .keys
        .blind_index(super::accounts::ID_NUMBER, id_number.expose());
    let not_here = || {
        refused(
            "volunteer_not_found",
            "the volunteer must register here by real name before their hours can be imported",
        )
    };
    let user_id = store
        .user_id_by_id_index(&index)
        .await?
        .ok_or_else(not_here)?;
    let user = store.get_user(&user_id).await?.ok_or_else(not_here)?;
    let v = user.volunteer.as_ref().ok_or_else(not_here)?;
    caller.require_region_admin(&v.region_code)?;

    let admin = Actor::of(caller);
    let at = now.rfc3339_cst();
    let own_prefix = format!("{}:", config.deployment);
    let mut spans: Vec<(Timestamp, Timestamp)> = all_of_user(store, &user.id)
        .await?
        .iter()
        .filter(|r| r.status != RecordStatus::Void)
        .map(served_span)
        .collect();
    let mut result = TransferResult {
        imported: 0,
        already_present: 0,
        overlapping: 0,
        volunteer_no: v.volunteer_no.clone(),
        total_hours: 0.0,
    };
    let records: Vec<RecordItem> = p
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| incoming(r, i, &p.origin, &user, &at, &admin))
        .collect::<Result<_, _>>()?;
    for r in records {
        let origin = r.origin_id.as_deref().unwrap_or_default();
        // Our own records coming back, or one imported before.
        if origin.starts_with(&own_prefix)
            || store.get_transferred(&user.id, origin).await?.is_some()
        {
            result.already_present += 1;
            continue;
        }
        let span = (r.shift_starts, r.shift_ends);
        if spans.iter().any(|s| s.0 < span.1 && span.0 < s.1) {
            result.overlapping += 1;
            continue;
        }
        let audit = AuditItem {
            record_id: r.id.clone(),
            version: 1,
            action: AuditAction::Import,
            by: admin.id.to_string(),
            by_name: admin.name.to_string(),
            at: at.clone(),
            reason: Some(format!("transferred from {}", p.origin)),
            before: None,
            after: StateItem::from(&r),
        };
        let mut attempt = 0;
        loop {
            let written = match stats_of_change(store, None, &r).await {
                Ok(stats) => {
                    store
                        .write_record(RecordWrite {
                            record: &r,
                            seen_version: None,
                            audit: &audit,
                            stats,
                            queue: Queue::Unchanged,
                            backfill: None,
                        })
                        .await
                }
                Err(e) => Err(TxError::Store(e)),
            };
            match written {
                Ok(()) => {
                    result.imported += 1;
                    spans.push(span);
                }
                // A concurrent import of the same file wrote it first.
                Err(TxError::Refused(RecordRefused::RecordChanged)) => result.already_present += 1,
                // The volunteer's totals moved meanwhile (another record): read them again.
                Err(
                    TxError::Refused(RecordRefused::UserChanged)
                    | TxError::Store(StoreError::TransactionConflict | StoreError::Throttled),
                ) if attempt < MAX_ATTEMPTS => {
                    attempt += 1;
                    backoff(attempt).await;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            break;
        }
    }
    let after = store.get_user(&user.id).await?.ok_or_else(not_here)?;
    result.total_hours = hours(after.served_minutes);
    Ok(result)
}
