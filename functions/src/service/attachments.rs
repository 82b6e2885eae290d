//! The activity archive (活动档案, SPEC §11): organizers attach the plan, briefing,
//! photos and record list; the activity's organizers and the region's admins read it.
//!
//! Uploading is three steps so the bytes never pass through a function: ask for a
//! presigned `PUT` (type, name and size checked here), send the bytes to it, then report
//! it done, when the bytes that arrived are checked again (exact size, magic bytes) and
//! only then moved where downloads are served from.

use super::activities::require_manager;
use super::looks_like_id;
use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::files::{FileError, Files, incoming_key, stored_key};
use crate::store::activities::ActivityItem;
use crate::store::attachments::AttachmentItem;
use crate::store::{Store, StoreError};
use zhiyuan_shared::archive::{
    Attachment, AttachmentKind, AttachmentList, AttachmentStatus, FileType, LINK_SECONDS,
    MAX_ATTACHMENTS, UploadRequest, UploadTicket,
};
use zhiyuan_shared::time::Timestamp;

/// A pending item outlives its upload link by a day, then the table's TTL removes it.
const PENDING_SECONDS: i64 = 24 * 3600;

/// The storage and keys the archive works with.
pub struct Archive<'a> {
    pub store: &'a Store,
    pub files: &'a Files,
    pub keys: &'a Keys,
}

impl From<FileError> for ApiError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::BadTicket => ApiError::forbidden("bad_link", e.to_string()),
            FileError::TooLarge => ApiError::invalid("file", "is larger than announced"),
            FileError::Storage(detail) => ApiError::Internal(detail),
            FileError::Sign(e) => e.into(),
        }
    }
}

fn no_activity(id: &str) -> ApiError {
    ApiError::NotFound(format!("no activity with id {id}"))
}

fn no_file(id: &str) -> ApiError {
    ApiError::NotFound(format!("no attachment with id {id}"))
}

async fn load_activity(store: &Store, id: &str) -> Result<ActivityItem, ApiError> {
    let found = match crate::ids::ActivityId::parse(id) {
        Some(id) => store.get_activity(&id).await?,
        None => None,
    };
    found.ok_or_else(|| no_activity(id))
}

/// Evidence files one volunteer may have in an activity's archive (stored or on the
/// way): enough for a few applications, never a way to fill the archive.
pub const MAX_EVIDENCE_PER_VOLUNTEER: usize = 10;

/// Who may add a file of this kind: the organisation's organizers any kind; an approved
/// member of the organisation evidence for a 补录 application (see `service::backfills`).
async fn require_uploader(
    store: &Store,
    caller: &Caller,
    a: &ActivityItem,
    kind: AttachmentKind,
) -> Result<(), ApiError> {
    if caller.organizes(&a.org_id) {
        return Ok(());
    }
    if kind == AttachmentKind::Evidence {
        caller.volunteer()?;
        return super::backfills::require_member(store, caller, &a.org_id).await;
    }
    require_organizer(caller, a)
}

/// Only the activity's own organizers add or remove files; region admins read.
fn require_organizer(caller: &Caller, a: &ActivityItem) -> Result<(), ApiError> {
    if caller.organizes(&a.org_id) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may change the activity's archive",
        ))
    }
}

async fn load_file(store: &Store, activity_id: &str, id: &str) -> Result<AttachmentItem, ApiError> {
    if !looks_like_id(id) {
        return Err(no_file(id));
    }
    store
        .get_attachment(activity_id, id)
        .await?
        .ok_or_else(|| no_file(id))
}

impl Archive<'_> {
    async fn view(&self, f: AttachmentItem, now: Timestamp) -> Result<Attachment, ApiError> {
        let download_url = if f.status == AttachmentStatus::Stored {
            Some(
                self.files
                    .download_url(
                        self.keys,
                        &stored_key(&f.activity_id, &f.id),
                        &f.content_type,
                        &f.name,
                        now,
                        LINK_SECONDS,
                    )
                    .await?,
            )
        } else {
            None
        };
        Ok(Attachment {
            id: f.id.into(),
            activity_id: f.activity_id.into(),
            kind: f.kind,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            status: f.status,
            uploaded_by: f.uploaded_by_name,
            uploaded_at: f.uploaded_at,
            download_url,
        })
    }

    /// Step 1: a pending attachment and the presigned `PUT` for its bytes.
    pub async fn request_upload(
        &self,
        caller: &Caller,
        activity_id: &str,
        req: &UploadRequest,
        now: Timestamp,
    ) -> Result<UploadTicket, ApiError> {
        let a = load_activity(self.store, activity_id).await?;
        let spec = req.validate()?;
        require_uploader(self.store, caller, &a, spec.kind).await?;
        let existing = self.store.attachments_of(&a.id).await?;
        let is_live = |f: &&AttachmentItem| {
            f.status == AttachmentStatus::Stored || f.expires_at > Some(now.unix())
        };
        let live = existing.iter().filter(is_live).count();
        if spec.kind == AttachmentKind::Evidence
            && existing
                .iter()
                .filter(is_live)
                .filter(|f| f.uploaded_by == *caller.id() && f.kind == AttachmentKind::Evidence)
                .count()
                >= MAX_EVIDENCE_PER_VOLUNTEER
        {
            return Err(ApiError::conflict(
                "archive_full",
                format!(
                    "one volunteer may add at most {MAX_EVIDENCE_PER_VOLUNTEER} evidence files to an activity"
                ),
            ));
        }
        if live >= MAX_ATTACHMENTS {
            return Err(ApiError::conflict(
                "archive_full",
                format!("an activity's archive holds at most {MAX_ATTACHMENTS} files"),
            ));
        }
        let id = crate::ids::AttachmentId::generate();
        let item = AttachmentItem {
            id: id.clone(),
            activity_id: a.id.clone(),
            kind: spec.kind,
            name: spec.name,
            content_type: spec.file_type.mime.into(),
            size: spec.size,
            status: AttachmentStatus::Pending,
            uploaded_by: caller.id().clone(),
            uploaded_by_name: caller.user.display_name.clone(),
            uploaded_at: now.rfc3339_cst(),
            expires_at: Some(now.plus(PENDING_SECONDS).unix()),
        };
        let upload = self
            .files
            .upload_target(
                self.keys,
                &incoming_key(&a.id, &id),
                spec.file_type.mime,
                spec.size,
                now,
                LINK_SECONDS,
            )
            .await?;
        self.store.put_attachment(&item).await?;
        Ok(UploadTicket {
            attachment: self.view(item, now).await?,
            upload,
        })
    }

    /// Step 3: checks what arrived and files it, or throws it away and says why.
    /// Completing a stored file again answers it as it is.
    pub async fn complete(
        &self,
        caller: &Caller,
        activity_id: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<Attachment, ApiError> {
        let a = load_activity(self.store, activity_id).await?;
        let f = load_file(self.store, &a.id, id).await?;
        // The uploader completes their own evidence; anything else is the organizers'.
        if !(f.kind == AttachmentKind::Evidence && f.uploaded_by == *caller.id()) {
            require_organizer(caller, &a)?;
        }
        if f.status == AttachmentStatus::Stored {
            return self.view(f, now).await;
        }
        let (incoming, stored) = (incoming_key(&a.id, &f.id), stored_key(&a.id, &f.id));
        match self.files.probe(&incoming).await? {
            Some(probe) => {
                let declared = FileType::by_mime(&f.content_type);
                let fault = if probe.size != f.size {
                    Some(format!(
                        "arrived with {} bytes, not the {} announced",
                        probe.size, f.size
                    ))
                } else if !declared.is_some_and(|t| t.matches(&probe.head)) {
                    Some(format!("its content is not a {} file", f.content_type))
                } else {
                    None
                };
                if let Some(reason) = fault {
                    // Nothing of a refused upload is kept.
                    self.files.delete(&incoming).await?;
                    self.store.delete_attachment(&a.id, &f.id).await?;
                    return Err(ApiError::invalid("file", reason));
                }
                // A completion running at the same time may have moved it first.
                if let Err(e) = self.files.promote(&incoming, &stored).await
                    && self.files.probe(&stored).await?.is_none()
                {
                    return Err(e.into());
                }
            }
            // Already moved by a completion that then failed before marking the item (or
            // is marking it now): the bytes were checked before they were moved.
            None if self.files.probe(&stored).await?.is_some() => {}
            None => {
                return Err(ApiError::conflict(
                    "upload_missing",
                    "the file has not arrived yet; send it to the upload link first",
                ));
            }
        }
        match self.store.mark_attachment_stored(&a.id, &f.id).await {
            // Marked by a concurrent completion: answer what is there now.
            Ok(()) | Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
        let now_stored = load_file(self.store, &a.id, &f.id).await?;
        self.view(now_stored, now).await
    }

    /// The stored files of an activity named by `ids`, in that order, with download links
    /// (a 补录 application's evidence; a file removed since is left out).
    pub(crate) async fn files_of(
        &self,
        activity_id: &str,
        ids: &[crate::ids::AttachmentId],
        now: Timestamp,
    ) -> Result<Vec<Attachment>, ApiError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(f) = self.store.get_attachment(activity_id, id).await?
                && f.status == AttachmentStatus::Stored
            {
                out.push(self.view(f, now).await?);
            }
        }
        Ok(out)
    }

    /// The archive, for the activity's organizers and the region's admins.
    pub async fn list(
        &self,
        caller: &Caller,
        activity_id: &str,
        now: Timestamp,
    ) -> Result<AttachmentList, ApiError> {
        let a = load_activity(self.store, activity_id).await?;
        require_manager(caller, &a)?;
        let mut items = Vec::new();
        for f in self.store.attachments_of(&a.id).await? {
            if f.status == AttachmentStatus::Stored {
                items.push(self.view(f, now).await?);
            }
        }
        Ok(AttachmentList {
            items,
            can_upload: caller.organizes(&a.org_id),
            max_files: MAX_ATTACHMENTS,
        })
    }

    /// Removes a file and its bytes.
    pub async fn remove(
        &self,
        caller: &Caller,
        activity_id: &str,
        id: &str,
    ) -> Result<(), ApiError> {
        let a = load_activity(self.store, activity_id).await?;
        require_organizer(caller, &a)?;
        let f = load_file(self.store, &a.id, id).await?;
        self.files.delete(&incoming_key(&a.id, &f.id)).await?;
        self.files.delete(&stored_key(&a.id, &f.id)).await?;
        self.store.delete_attachment(&a.id, &f.id).await?;
        Ok(())
    }
}
