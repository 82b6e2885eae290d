//! ID number already taken (身份证被占用): the real owner of an ID number another account
//! holds files an appeal with a photo of the ID card; a region admin over the ID number's
//! region decides once; on approval the volunteer identity moves to the appellant.
//!
//! What "the identity" is: the real-name profile (volunteer number, ID number, region,
//! groups), the ID-number guard, the service totals (`served_minutes`, `years`,
//! `trainings_done`), the compliance-group memberships and every service record (its owner
//! and `VREC#` listing; a record keeps its id and key, see `store::records`). All of it
//! moves in one transaction (`store::appeals::move_identity`). What stays with the holder's
//! account: the account itself (phone, password, display name), roles, organisation
//! memberships, sign-ups and notices — they belong to the account, not to the identity.

use super::records::{Actor, all_of_user};
use super::regions::ensure_known_region;
use super::{MAX_ATTEMPTS, looks_like_id};
use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::files::{Files, incoming_key, stored_key};
use crate::ids::{AppealId, AttachmentId, UserId};
use crate::notify::NoticeSender;
use crate::store::accounts::UserItem;
use crate::store::appeals::{
    AppealItem, AppealPhotoItem, AppealRefused, DecisionItem, IdentityMove, MAX_TX_ITEMS,
    RecordMove, VerdictItem,
};
use crate::store::notices::NoticeItem;
use crate::store::records::{AuditItem, StateItem};
use crate::store::{Store, StoreError, TxError, backoff};
use zhiyuan_shared::appeal::{
    AppealDecision, AppealPhotoRequest, AppealPhotoTicket, AppealRequest, AppealStatus,
    AppealVerdict, IdentityAppeal, IdentityAppeals,
};
use zhiyuan_shared::archive::{FileType, LINK_SECONDS};
use zhiyuan_shared::identity::Phone;
use zhiyuan_shared::my_account::CLOSED_NAME;
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::record::{AuditAction, hours};
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::time::Timestamp;

/// An uploaded photo waits this long to be named in an appeal (then the TTL removes it).
const PHOTO_SECONDS: i64 = 24 * 3600;

/// Where appeal photos sit in the file store (beside the archive's `files/<activity>/`).
const PHOTO_FOLDER: &str = "appeals";

/// The storage and keys appeals work with.
pub struct Appeals<'a> {
    pub store: &'a Store,
    pub files: &'a Files,
    pub keys: &'a Keys,
}

fn no_appeal(id: &str) -> ApiError {
    ApiError::NotFound(format!("no identity appeal with id {id}"))
}

fn masked_phone(keys: &Keys, user: &UserItem) -> String {
    keys.open(&user.phone_sealed)
        .ok()
        .and_then(|p| Phone::parse(&p).ok())
        .map_or_else(|| "***********".into(), |p| p.masked())
}

fn verdict_view(v: &VerdictItem) -> AppealVerdict {
    AppealVerdict {
        approved: v.approved,
        by: v.by_name.clone(),
        at: v.at.clone(),
        reason: v.reason.clone(),
        records_moved: v.records_moved,
        hours_moved: hours(v.minutes_moved),
    }
}

/// The appeal as its appellant sees it: no photo link, no other account.
pub(crate) fn own_view(a: &AppealItem) -> IdentityAppeal {
    IdentityAppeal {
        id: a.id.to_string(),
        status: a.status,
        real_name: a.real_name.clone(),
        id_number_masked: a.id_masked.clone(),
        region_code: a.region_code.clone(),
        reason: a.reason.clone(),
        filed_at: a.filed_at.clone(),
        photo_url: None,
        appellant_phone_masked: None,
        holder_phone_masked: None,
        holder_volunteer_no: None,
        holder_hours: None,
        verdict: a.verdict.as_ref().map(verdict_view),
    }
}

fn already_volunteer() -> ApiError {
    ApiError::conflict(
        "already_volunteer",
        "this account is a volunteer already; an appeal is filed from an account without a real-name profile",
    )
}

/// A notice about this appeal, once per account whatever the retries.
fn appeal_notice(
    a: &AppealItem,
    to: &UserId,
    kind: NoticeKind,
    subject: &str,
    reason: Option<String>,
    now: Timestamp,
) -> NoticeItem {
    let at_ms = u64::try_from(now.unix()).unwrap_or(0) * 1000;
    super::notices::notice(
        to,
        super::notices::fixed_notice_id(at_ms, &format!("appeal:{}:{to}", a.id)),
        kind,
        subject,
        // The appellant follows the appeal on its page; the holder sees their account.
        if to == &a.appellant_id {
            "/me/identity-appeal".into()
        } else {
            "/me".into()
        },
        None,
        reason,
    )
}

impl Appeals<'_> {
    /// Step 1: a presigned `PUT` for the ID card photo (the archive's rules, images only).
    pub async fn request_photo(
        &self,
        caller: &Caller,
        req: &AppealPhotoRequest,
        now: Timestamp,
    ) -> Result<AppealPhotoTicket, ApiError> {
        let spec = req.validate()?;
        let id = AttachmentId::generate();
        let item = AppealPhotoItem {
            id: id.clone(),
            user_id: caller.id().clone(),
            name: spec.name,
            content_type: spec.mime.into(),
            size: spec.size,
            expires_at: now.plus(PHOTO_SECONDS).unix(),
        };
        let upload = self
            .files
            .upload_target(
                self.keys,
                &incoming_key(PHOTO_FOLDER, &id),
                spec.mime,
                spec.size,
                now,
                LINK_SECONDS,
            )
            .await?;
        self.store.put_appeal_photo(&item).await?;
        Ok(AppealPhotoTicket {
            photo_id: id.into(),
            upload,
        })
    }

    /// Checks the photo that arrived (exact size, magic bytes) and files it; a bad one is
    /// thrown away and named (`photo_id`).
    async fn file_photo(&self, photo: &AppealPhotoItem) -> Result<String, ApiError> {
        let (incoming, stored) = (
            incoming_key(PHOTO_FOLDER, &photo.id),
            stored_key(PHOTO_FOLDER, &photo.id),
        );
        let Some(probe) = self.files.probe(&incoming).await? else {
            if self.files.probe(&stored).await?.is_some() {
                return Ok(stored);
            }
            return Err(ApiError::invalid(
                "photo_id",
                "the photo has not arrived yet; send it to the upload link first",
            ));
        };
        let fault = if probe.size != photo.size {
            Some(format!(
                "arrived with {} bytes, not the {} announced",
                probe.size, photo.size
            ))
        } else if !FileType::by_mime(&photo.content_type).is_some_and(|t| t.matches(&probe.head)) {
            Some(format!("its content is not a {} file", photo.content_type))
        } else {
            None
        };
        if let Some(reason) = fault {
            self.files.delete(&incoming).await?;
            return Err(ApiError::invalid("photo_id", reason));
        }
        if let Err(e) = self.files.promote(&incoming, &stored).await
            && self.files.probe(&stored).await?.is_none()
        {
            return Err(e.into());
        }
        Ok(stored)
    }

    /// Files an appeal. Refused with the reason: the caller is a volunteer already, the
    /// ID number is theirs already or nobody's, or they have one pending for it.
    pub async fn file(
        &self,
        caller: &Caller,
        req: &AppealRequest,
        now: Timestamp,
    ) -> Result<IdentityAppeal, ApiError> {
        let draft = req.validate(crate::clock::today_cst())?;
        let id_index = self
            .keys
            .blind_index(super::accounts::ID_NUMBER, draft.id_number.expose());
        let holder_id = self.store.user_id_by_id_index(&id_index).await?;
        let holder_id = match holder_id {
            Some(h) if &h == caller.id() => {
                return Err(ApiError::invalid(
                    "id_number",
                    "is registered to your own account already",
                ));
            }
            Some(h) => h,
            None => {
                return Err(ApiError::invalid(
                    "id_number",
                    "is not registered to any volunteer; register it on the real-name form",
                ));
            }
        };
        if caller.user.volunteer.is_some() {
            return Err(already_volunteer());
        }
        let holder = self.store.get_user(&holder_id).await?;
        let Some(held) = holder.as_ref().and_then(|h| h.volunteer.as_ref()) else {
            return Err(ApiError::Internal(format!(
                "ID guard names {holder_id}, which has no profile"
            )));
        };
        let pending = self.store.appeals_of(caller.id()).await?;
        if pending
            .iter()
            .any(|a| a.status == AppealStatus::Pending && a.id_index == id_index)
        {
            return Err(AppealRefused::AlreadyPending.into());
        }
        // The ID number's address code, when it is one of this deployment's regions;
        // otherwise the region the identity was registered in (someone must decide).
        let region_code = match RegionCode::parse(draft.id_number.region_prefix()) {
            Ok(code) if ensure_known_region(self.store, &code).await.is_ok() => code,
            _ => held.region_code.clone(),
        };
        let photo = match AttachmentId::parse(&draft.photo_id) {
            Some(p) => self.store.appeal_photo(caller.id(), &p).await?,
            None => None,
        }
        .ok_or_else(|| {
            ApiError::invalid("photo_id", "no such photo of yours; upload the photo first")
        })?;
        let photo_key = self.file_photo(&photo).await?;
        let appeal = AppealItem {
            id: AppealId::generate(),
            appellant_id: caller.id().clone(),
            holder_id,
            real_name: draft.real_name,
            id_index,
            id_masked: draft.id_number.masked(),
            region_code: region_code.to_string(),
            reason: draft.reason,
            photo_key,
            photo_type: photo.content_type.clone(),
            photo_name: photo.name.clone(),
            status: AppealStatus::Pending,
            filed_at: now.rfc3339_cst(),
            verdict: None,
        };
        self.store.file_appeal(&appeal, &photo).await?;
        Ok(own_view(&appeal))
    }

    /// The appellant closed their account (see `my_account::tidy`): a pending appeal is
    /// withdrawn, every appeal forgets the person (name, ID number, reason), and the ID
    /// card photos — filed or only uploaded — are deleted. Idempotent.
    pub async fn forget_appellant(&self, user_id: &UserId) -> Result<(), ApiError> {
        for a in self.store.appeals_of(user_id).await? {
            if !a.photo_key.is_empty() {
                self.files.delete(&a.photo_key).await?;
            }
            if a.status == AppealStatus::Pending {
                match self.store.withdraw_appeal(&a, CLOSED_NAME).await {
                    Ok(()) => continue,
                    // Decided meanwhile: forget it as a decided one.
                    Err(TxError::Refused(AppealRefused::AlreadyDecided)) => {}
                    Err(TxError::Refused(_)) => {
                        return Err(ApiError::Internal("appeal withdrawal refused".into()));
                    }
                    Err(TxError::Store(e)) => return Err(e.into()),
                }
            }
            if a.real_name != CLOSED_NAME || !a.photo_key.is_empty() {
                self.store.forget_appeal(&a, CLOSED_NAME).await?;
            }
        }
        for photo in self.store.photos_of(user_id).await? {
            self.files
                .delete(&incoming_key(PHOTO_FOLDER, &photo.id))
                .await?;
            self.files
                .delete(&stored_key(PHOTO_FOLDER, &photo.id))
                .await?;
            self.store.delete_appeal_photo(&photo).await?;
        }
        Ok(())
    }

    /// The caller's own appeals, newest first, with their decisions.
    pub async fn mine(&self, caller: &Caller) -> Result<IdentityAppeals, ApiError> {
        let items = self.store.appeals_of(caller.id()).await?;
        Ok(IdentityAppeals {
            items: items.iter().map(own_view).collect(),
        })
    }

    /// The appeal as the deciding admin sees it: the photo, both phones masked, what
    /// would move.
    async fn admin_view(&self, a: &AppealItem, now: Timestamp) -> Result<IdentityAppeal, ApiError> {
        let users = self
            .store
            .users(&[a.appellant_id.clone(), a.holder_id.clone()])
            .await?;
        let find = |id: &UserId| users.iter().find(|u| &u.id == id);
        let holder = find(&a.holder_id);
        let photo_url = self
            .files
            .download_url(
                self.keys,
                &a.photo_key,
                &a.photo_type,
                &a.photo_name,
                now,
                LINK_SECONDS,
            )
            .await?;
        Ok(IdentityAppeal {
            photo_url: Some(photo_url),
            appellant_phone_masked: find(&a.appellant_id).map(|u| masked_phone(self.keys, u)),
            holder_phone_masked: holder.map(|u| masked_phone(self.keys, u)),
            holder_volunteer_no: holder
                .and_then(|u| u.volunteer.as_ref())
                .map(|v| v.volunteer_no.clone()),
            holder_hours: holder
                .filter(|u| u.volunteer.is_some())
                .map(|u| hours(u.served_minutes)),
            ..own_view(a)
        })
    }

    /// Pending appeals in a region the caller administers, oldest first.
    pub async fn pending(
        &self,
        caller: &Caller,
        region: Option<&str>,
        now: Timestamp,
    ) -> Result<IdentityAppeals, ApiError> {
        if caller.admin_scopes().is_empty() {
            return Err(ApiError::forbidden(
                "forbidden",
                "only a region admin may review identity appeals",
            ));
        }
        let region = region.ok_or_else(|| ApiError::invalid("region", "is required"))?;
        let code = RegionCode::parse(region).map_err(|e| ApiError::invalid("region", e))?;
        caller.require_region_admin(&code)?;
        let appeals = self
            .store
            .pending_appeals_in(code.province(), code.prefix())
            .await?;
        let mut items = Vec::with_capacity(appeals.len());
        for a in &appeals {
            items.push(self.admin_view(a, now).await?);
        }
        Ok(IdentityAppeals { items })
    }

    /// Decides an appeal, once. Approval moves the identity (see the module's comment).
    pub async fn decide(
        &self,
        sender: NoticeSender,
        caller: &Caller,
        id: &str,
        req: &AppealDecision,
        now: Timestamp,
    ) -> Result<IdentityAppeal, ApiError> {
        if !looks_like_id(id) {
            return Err(no_appeal(id));
        }
        let first = self
            .store
            .get_appeal(id)
            .await?
            .ok_or_else(|| no_appeal(id))?;
        let region = RegionCode::parse(&first.region_code)
            .map_err(|_| ApiError::Internal(format!("appeal {id} has a bad region")))?;
        caller.require_region_admin(&region)?;
        let reason = req.validate()?;
        let by = Actor::of(caller);
        for attempt in 0..MAX_ATTEMPTS {
            let a = self
                .store
                .get_appeal(id)
                .await?
                .ok_or_else(|| no_appeal(id))?;
            if a.status != AppealStatus::Pending {
                return Err(AppealRefused::AlreadyDecided.into());
            }
            let verdict = VerdictItem {
                approved: req.approve,
                by: caller.id().clone(),
                by_name: by.name.to_string(),
                at: now.rfc3339_cst(),
                reason: reason.clone(),
                records_moved: 0,
                minutes_moved: 0,
            };
            let (written, notices) = if req.approve {
                match self.approve(&a, verdict, &by, now).await? {
                    Some(done) => done,
                    None => {
                        backoff(attempt).await;
                        continue;
                    }
                }
            } else {
                let notice = appeal_notice(
                    &a,
                    &a.appellant_id,
                    NoticeKind::IdentityAppealRefused,
                    &a.id_masked,
                    reason.clone(),
                    now,
                );
                let decision = DecisionItem {
                    appeal_id: a.id.clone(),
                    verdict,
                    from_user: a.holder_id.clone(),
                    to_user: a.holder_id.clone(),
                    volunteer_no: String::new(),
                };
                (
                    self.store.refuse_appeal(&a, &decision, &notice).await,
                    vec![notice],
                )
            };
            match written {
                Ok(()) => {
                    sender.send(&notices);
                    let after = self
                        .store
                        .get_appeal(id)
                        .await?
                        .ok_or_else(|| no_appeal(id))?;
                    return self.admin_view(&after, now).await;
                }
                Err(
                    TxError::Refused(AppealRefused::Changed)
                    | TxError::Store(StoreError::TransactionConflict | StoreError::Throttled),
                ) => backoff(attempt).await,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ApiError::Busy)
    }

    /// Reads both accounts and the holder's records and tries the move once; None when
    /// something was mid-change (read again).
    #[allow(clippy::type_complexity)]
    async fn approve(
        &self,
        a: &AppealItem,
        mut verdict: VerdictItem,
        by: &Actor<'_>,
        now: Timestamp,
    ) -> Result<Option<(Result<(), TxError<AppealRefused>>, Vec<NoticeItem>)>, ApiError> {
        if self.store.user_id_by_id_index(&a.id_index).await?.as_ref() != Some(&a.holder_id) {
            return Err(AppealRefused::HolderChanged.into());
        }
        let (holder, appellant) = tokio::try_join!(
            self.store.get_user(&a.holder_id),
            self.store.get_user(&a.appellant_id)
        )?;
        let (Some(holder), Some(appellant)) = (holder, appellant) else {
            return Err(AppealRefused::HolderChanged.into());
        };
        if appellant.volunteer.is_some() {
            return Err(already_volunteer());
        }
        let Some(held) = holder.volunteer.clone() else {
            // The guard moved between the two reads.
            return Ok(None);
        };
        let at = now.rfc3339_cst();
        let held_records = all_of_user(self.store, &holder.id).await?;
        // The listing is a GSI (eventually consistent): a record it does not show yet would
        // stay behind. Its totals must be exactly those of the records it lists.
        let counted: u64 = held_records
            .iter()
            .map(|r| r.counted_minutes() as u64)
            .sum();
        let trained = held_records.iter().filter(|r| r.trained()).count();
        if counted != holder.served_minutes || trained != holder.trainings_done as usize {
            return Ok(None);
        }
        let mut records = Vec::new();
        for before in held_records {
            let trail = if before.transferred_from.is_some() {
                self.store.audit_of(&before).await?
            } else {
                Vec::new()
            };
            let mut after = before.clone();
            after.user_id = appellant.id.clone();
            after.real_name = a.real_name.clone();
            after.version = before.version + 1;
            let audit = AuditItem {
                record_id: after.id.clone(),
                version: after.version,
                action: AuditAction::IdentityMoved,
                by: by.id.to_string(),
                by_name: by.name.to_string(),
                at: at.clone(),
                reason: Some(format!("identity appeal {}", a.id)),
                before: Some(StateItem::from(&before)),
                after: StateItem::from(&after),
            };
            records.push(RecordMove {
                before,
                after,
                trail,
                audit,
            });
        }
        let mut volunteer = held.clone();
        volunteer.real_name = a.real_name.clone();
        volunteer.consent_at = a.filed_at.clone();
        // The holder's guardian consented for the holder, not for the appellant.
        volunteer.guardian = None;
        let region = held.region_code.as_str();
        let (_, groups_out) =
            super::stats::registration_effect(&holder.id, region, &held.groups, now.unix());
        let (_, groups_in) =
            super::stats::registration_effect(&appellant.id, region, &held.groups, now.unix());
        verdict.records_moved = u32::try_from(records.len()).unwrap_or(u32::MAX);
        verdict.minutes_moved = holder.served_minutes;
        let notices = vec![
            appeal_notice(
                a,
                &appellant.id,
                NoticeKind::IdentityAppealApproved,
                &held.volunteer_no,
                None,
                now,
            ),
            appeal_notice(
                a,
                &holder.id,
                NoticeKind::IdentityMovedAway,
                &held.volunteer_no,
                verdict.reason.clone(),
                now,
            ),
        ];
        let decision = DecisionItem {
            appeal_id: a.id.clone(),
            verdict: verdict.clone(),
            from_user: holder.id.clone(),
            to_user: appellant.id.clone(),
            volunteer_no: held.volunteer_no.clone(),
        };
        let m = IdentityMove {
            appeal: a,
            decision: &decision,
            holder: &holder,
            appellant: &appellant,
            volunteer: &volunteer,
            records: &records,
            groups_out: &groups_out,
            groups_in: &groups_in,
            notices: &notices,
        };
        if m.size() > MAX_TX_ITEMS {
            return Err(ApiError::conflict(
                "too_many_records",
                "this identity has more service records than one decision can move at once; contact the platform operator",
            ));
        }
        Ok(Some((self.store.move_identity(&m).await, notices)))
    }
}
