//! Hours with evidence (补录, issue 16): a member volunteer applies for hours of a past
//! shift of their organisation with evidence uploaded to the activity's archive; an
//! organizer of the organisation (never the applicant) approves, creating the record
//! confirmed and marked 补录 through the records' commit engine, or refuses with a reason.
//!
//! Rules: the service ended at most [`BACKFILL_DAYS`] days ago and not in the future; it
//! lies near its shift and overlaps none of the applicant's records nor their other
//! applications (the field and the reason are named); at least one evidence file of the
//! applicant's own. One decision per application whatever the concurrency: every
//! decision writes the application on the condition that it is still pending, an
//! approval in the same transaction as the record.

use super::activities::{activity_cancelled, load_shift};
use super::attachments::Archive;
use super::cursor::{next_cursor, parse_limit, resume_from};
use super::looks_like_id;
use super::notices::{deliver, fixed_notice_id, notice};
use super::records::{Actor, all_of_user, refuse_own};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::{AttachmentId, BackfillId, UserId};
use crate::notify::NoticeSender;
use crate::store::Store;
use crate::store::activities::{ActivityItem, ShiftItem};
use crate::store::backfills::BackfillItem;
use crate::store::notices::NoticeItem;
use crate::store::orgs::OrgItem;
use crate::store::records::RecordItem;
use zhiyuan_shared::activity::ActivityStatus;
use zhiyuan_shared::archive::{AttachmentKind, AttachmentStatus};
use zhiyuan_shared::backfill::{
    BACKFILL_DAYS, Backfill, BackfillRequest, BackfillStatus, Backfills, RefuseBackfill,
};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::MemberStatus;
use zhiyuan_shared::query::PageQuery;
use zhiyuan_shared::record::{HAND_ENTRY_SLACK_SECONDS, RecordStatus, hours};
use zhiyuan_shared::time::Timestamp;

/// Milliseconds now: a notice's id orders it after the notices written before it.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn no_backfill(id: &str) -> ApiError {
    ApiError::NotFound(format!("no application with id {id}"))
}

fn no_org(id: &str) -> ApiError {
    ApiError::NotFound(format!("no organisation with id {id}"))
}

pub(crate) fn already_decided() -> ApiError {
    ApiError::conflict(
        "already_decided",
        "this application has been decided already",
    )
}

/// An approved member of the organisation (its organizers are members too), or 403.
pub(crate) async fn require_member(
    store: &Store,
    caller: &Caller,
    org_id: &str,
) -> Result<(), ApiError> {
    match store.get_membership(caller.id(), org_id).await? {
        Some(m) if m.status == MemberStatus::Approved => Ok(()),
        _ => Err(ApiError::forbidden(
            "not_member",
            "only approved members of the organisation may apply for its hours",
        )),
    }
}

fn require_organizer(caller: &Caller, org_id: &str) -> Result<(), ApiError> {
    if caller.organizes(org_id) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may review its 补录 applications",
        ))
    }
}

/// The time a record covers: its own times, else its shift's.
fn span_of(r: &RecordItem) -> (Timestamp, Timestamp) {
    (
        r.check_in.unwrap_or(r.shift_starts),
        r.check_out.unwrap_or(r.shift_ends),
    )
}

fn overlaps(a: (Timestamp, Timestamp), b: (Timestamp, Timestamp)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The first of the volunteer's records the span overlaps (void ones aside), or the one
/// of the same shift.
fn clashing_record<'a>(
    records: &'a [RecordItem],
    activity_id: &str,
    n: u8,
    span: (Timestamp, Timestamp),
) -> Option<&'a RecordItem> {
    records.iter().find(|r| {
        r.status != RecordStatus::Void
            && ((r.activity_id == activity_id && r.n == n) || overlaps(span_of(r), span))
    })
}

fn record_clash(r: &RecordItem) -> ApiError {
    ApiError::invalid(
        "check_in",
        format!(
            "overlaps your record of {} on {}",
            r.activity_title,
            r.shift_starts.cst_date().iso()
        ),
    )
}

/// The services of the application's record-to-be that could clash: the volunteer's
/// records, read once per check.
async fn check_no_record_clash(
    store: &Store,
    user_id: &str,
    activity_id: &str,
    n: u8,
    span: (Timestamp, Timestamp),
) -> Result<(), ApiError> {
    let records = all_of_user(store, user_id).await?;
    match clashing_record(&records, activity_id, n, span) {
        Some(r) => Err(record_clash(r)),
        None => Ok(()),
    }
}

/// The application services and its reviewers work with.
pub struct BackfillDesk<'a> {
    pub archive: Archive<'a>,
    pub step: u32,
    pub sender: NoticeSender,
}

impl BackfillDesk<'_> {
    fn store(&self) -> &Store {
        self.archive.store
    }

    async fn load(&self, id: &str) -> Result<BackfillItem, ApiError> {
        if !looks_like_id(id) {
            return Err(no_backfill(id));
        }
        self.store()
            .get_backfill(id)
            .await?
            .ok_or_else(|| no_backfill(id))
    }

    async fn load_org(&self, id: &str) -> Result<OrgItem, ApiError> {
        if !looks_like_id(id) {
            return Err(no_org(id));
        }
        self.store().get_org(id).await?.ok_or_else(|| no_org(id))
    }

    async fn view(&self, b: BackfillItem, now: Timestamp) -> Result<Backfill, ApiError> {
        let evidence = self
            .archive
            .files_of(&b.activity_id, &b.evidence, now)
            .await?;
        Ok(Backfill {
            shift_id: crate::store::keys::shift_id(&b.activity_id, b.n),
            id: b.id.into(),
            org_id: b.org_id.into(),
            org_name: b.org_name,
            activity_id: b.activity_id.into(),
            activity_title: b.activity_title,
            user_id: b.user_id.into(),
            real_name: b.real_name,
            volunteer_no: b.volunteer_no,
            shift_starts_at: b.shift_starts.rfc3339_cst(),
            shift_ends_at: b.shift_ends.rfc3339_cst(),
            check_in: b.check_in.rfc3339_cst(),
            check_out: b.check_out.rfc3339_cst(),
            hours: hours(u64::from(b.minutes)),
            content: b.content,
            evidence,
            status: b.status,
            applied_at: b.applied_at,
            decided_by: b.decided_by_name,
            decided_at: b.decided_at,
            reason: b.reason,
            record_id: b.record_id,
        })
    }

    async fn views(
        &self,
        items: Vec<BackfillItem>,
        now: Timestamp,
    ) -> Result<Vec<Backfill>, ApiError> {
        let mut out = Vec::with_capacity(items.len());
        for b in items {
            out.push(self.view(b, now).await?);
        }
        Ok(out)
    }

    /// The shift the application names: one of this organisation's, not cancelled, ended.
    async fn past_shift(
        &self,
        org: &OrgItem,
        shift_id: &str,
        now: Timestamp,
    ) -> Result<(ActivityItem, ShiftItem), ApiError> {
        let not_ours = || {
            ApiError::invalid(
                "shift_id",
                "is not a shift of an activity of this organisation",
            )
        };
        let (a, shift) = match load_shift(self.store(), shift_id).await {
            Ok(found) => found,
            Err(ApiError::NotFound(_)) => return Err(not_ours()),
            Err(e) => return Err(e),
        };
        if a.org_id != org.id {
            return Err(not_ours());
        }
        if a.status == ActivityStatus::Cancelled {
            return Err(ApiError::invalid("shift_id", "the activity was cancelled"));
        }
        if shift.ends_at > now {
            return Err(ApiError::invalid("shift_id", "has not ended yet"));
        }
        Ok((a, shift))
    }

    /// Each evidence file: in the activity's archive, stored, of kind evidence, the
    /// applicant's own.
    async fn check_evidence(
        &self,
        caller: &Caller,
        a: &ActivityItem,
        ids: &[String],
    ) -> Result<Vec<AttachmentId>, ApiError> {
        let mut out = Vec::with_capacity(ids.len());
        for raw in ids {
            let bad = || {
                ApiError::invalid(
                    "evidence",
                    format!("{raw} is not an evidence file you uploaded to this activity"),
                )
            };
            let id = AttachmentId::parse(raw).ok_or_else(bad)?;
            match self.store().get_attachment(&a.id, &id).await? {
                Some(f)
                    if f.kind == AttachmentKind::Evidence
                        && f.uploaded_by == *caller.id()
                        && f.status == AttachmentStatus::Stored =>
                {
                    out.push(id)
                }
                Some(f) if f.status == AttachmentStatus::Pending => {
                    return Err(ApiError::invalid(
                        "evidence",
                        format!("{raw} has not finished uploading"),
                    ));
                }
                _ => return Err(bad()),
            }
        }
        Ok(out)
    }

    /// `POST /api/orgs/{id}/backfills`.
    pub async fn apply(
        &self,
        caller: &Caller,
        org_id: &str,
        req: &BackfillRequest,
        now: Timestamp,
    ) -> Result<Backfill, ApiError> {
        let v = caller.volunteer()?;
        let org = self.load_org(org_id).await?;
        require_member(self.store(), caller, &org.id).await?;
        let d = req.validate(now)?;
        let (a, shift) = self.past_shift(&org, &d.shift_id, now).await?;
        let near = |t: Timestamp| {
            t.unix() >= shift.starts_at.unix() - HAND_ENTRY_SLACK_SECONDS
                && t.unix() <= shift.ends_at.unix() + HAND_ENTRY_SLACK_SECONDS
        };
        if !near(d.check_in) {
            return Err(ApiError::invalid(
                "check_in",
                "is not near the shift's time",
            ));
        }
        if !near(d.check_out) {
            return Err(ApiError::invalid(
                "check_out",
                "is not near the shift's time",
            ));
        }
        let minutes =
            super::records::backfill::minutes_of(&shift, d.check_in, d.check_out, self.step);
        if minutes == 0 {
            return Err(ApiError::invalid(
                "check_out",
                "the times cover no counted service inside the shift",
            ));
        }
        let span = (d.check_in, d.check_out);
        check_no_record_clash(self.store(), caller.id(), &a.id, shift.n, span).await?;
        // Applications newer than the oldest service one could clash with.
        let since = now.plus(-(BACKFILL_DAYS + 2) * 24 * 3600);
        let mine = self
            .store()
            .backfills_of_user_since(caller.id(), since)
            .await?;
        if let Some(other) = mine.iter().find(|b| {
            b.status == BackfillStatus::Pending
                && ((b.activity_id == a.id && b.n == shift.n)
                    || overlaps((b.check_in, b.check_out), span))
        }) {
            return Err(ApiError::invalid(
                "check_in",
                format!(
                    "overlaps your pending application for {} on {}",
                    other.activity_title,
                    other.shift_starts.cst_date().iso()
                ),
            ));
        }
        let evidence = self.check_evidence(caller, &a, &d.evidence).await?;
        let item = BackfillItem {
            id: BackfillId::generate(),
            org_id: org.id.clone(),
            org_name: org.name.clone(),
            activity_id: a.id.clone(),
            n: shift.n,
            activity_title: a.title.clone(),
            user_id: caller.id().clone(),
            real_name: v.real_name.clone(),
            volunteer_no: v.volunteer_no.clone(),
            shift_starts: shift.starts_at,
            shift_ends: shift.ends_at,
            check_in: d.check_in,
            check_out: d.check_out,
            minutes,
            content: d.content,
            evidence,
            status: BackfillStatus::Pending,
            applied_at: now.rfc3339_cst(),
            decided_by: None,
            decided_by_name: None,
            decided_at: None,
            reason: None,
            record_id: None,
        };
        self.store().put_backfill(&item).await?;
        let notices = self.organizer_notices(&item, caller.id()).await?;
        deliver(self.store(), self.sender, &notices).await;
        self.view(item, now).await
    }

    /// A notice for each organizer of the organisation but the applicant.
    async fn organizer_notices(
        &self,
        b: &BackfillItem,
        applicant: &UserId,
    ) -> Result<Vec<NoticeItem>, ApiError> {
        let organizers = super::orgs::organizers_of(self.store(), &b.org_id).await?;
        let out = organizers
            .iter()
            .filter(|o| *o != applicant)
            .map(|o| {
                notice(
                    o,
                    fixed_notice_id(now_ms(), &format!("backfill-applied:{}:{o}", b.id)),
                    NoticeKind::BackfillApplied,
                    &b.activity_title,
                    format!("/orgs/{}/backfills", b.org_id),
                    Some(b.shift_starts.rfc3339_cst()),
                    None,
                )
            })
            .collect();
        Ok(out)
    }

    fn decision_notice(b: &BackfillItem) -> NoticeItem {
        let kind = if b.status == BackfillStatus::Approved {
            NoticeKind::BackfillApproved
        } else {
            NoticeKind::BackfillRefused
        };
        notice(
            &b.user_id,
            fixed_notice_id(now_ms(), &format!("backfill-decided:{}", b.id)),
            kind,
            &b.activity_title,
            "/me/backfills".to_string(),
            Some(b.shift_starts.rfc3339_cst()),
            b.reason.clone(),
        )
    }

    /// The application to decide: the caller organizes its organisation and is not its
    /// applicant; it is still pending.
    async fn to_decide(&self, caller: &Caller, id: &str) -> Result<BackfillItem, ApiError> {
        let b = self.load(id).await?;
        require_organizer(caller, &b.org_id)?;
        refuse_own(caller, &b.user_id)?;
        if b.status != BackfillStatus::Pending {
            return Err(already_decided());
        }
        Ok(b)
    }

    /// `POST /api/backfills/{id}/approve`: the record, confirmed and marked 补录, and the
    /// decision in one transaction.
    pub async fn approve(
        &self,
        caller: &Caller,
        id: &str,
        now: Timestamp,
    ) -> Result<Backfill, ApiError> {
        let b = self.to_decide(caller, id).await?;
        let (a, shift) = load_shift(
            self.store(),
            &crate::store::keys::shift_id(&b.activity_id, b.n),
        )
        .await?;
        if a.status == ActivityStatus::Cancelled {
            return Err(activity_cancelled());
        }
        let applicant = self
            .store()
            .get_user(&b.user_id)
            .await?
            .filter(|u| u.volunteer.is_some())
            .ok_or_else(|| {
                ApiError::conflict("applicant_gone", "the applicant is no longer a volunteer")
            })?;
        // A record made since the application (they checked in after all) is named here;
        // the transaction refuses a record of the same shift made in between.
        if let Err(ApiError::Invalid { reason, .. }) = check_no_record_clash(
            self.store(),
            &b.user_id,
            &b.activity_id,
            b.n,
            (b.check_in, b.check_out),
        )
        .await
        {
            // The clash may be this application's own record, which a racing approval
            // wrote together with its decision: then this one came too late.
            if self.load(id).await?.status != BackfillStatus::Pending {
                return Err(already_decided());
            }
            return Err(ApiError::conflict("record_exists", reason));
        }
        let by = Actor::of(caller);
        let approved = BackfillItem {
            status: BackfillStatus::Approved,
            decided_by: Some(caller.id().clone()),
            decided_by_name: Some(by.name.to_string()),
            decided_at: Some(now.rfc3339_cst()),
            record_id: Some(RecordItem::local_id(&shift.id(), &b.user_id)),
            ..b
        };
        super::records::backfill::approve(
            self.store(),
            self.step,
            &a,
            &shift,
            &applicant,
            &approved,
            &by,
            now,
        )
        .await?;
        deliver(
            self.store(),
            self.sender,
            &[Self::decision_notice(&approved)],
        )
        .await;
        self.view(approved, now).await
    }

    /// `POST /api/backfills/{id}/refuse {reason}`.
    pub async fn refuse(
        &self,
        caller: &Caller,
        id: &str,
        req: &RefuseBackfill,
        now: Timestamp,
    ) -> Result<Backfill, ApiError> {
        let reason = zhiyuan_shared::text::clean(&req.reason, 500, true)
            .map_err(|e| ApiError::invalid("reason", e))?;
        let b = self.to_decide(caller, id).await?;
        let by = Actor::of(caller);
        let refused = BackfillItem {
            status: BackfillStatus::Refused,
            decided_by: Some(caller.id().clone()),
            decided_by_name: Some(by.name.to_string()),
            decided_at: Some(now.rfc3339_cst()),
            reason: Some(reason),
            ..b
        };
        self.store().refuse_backfill(&refused).await?;
        deliver(
            self.store(),
            self.sender,
            &[Self::decision_notice(&refused)],
        )
        .await;
        self.view(refused, now).await
    }

    /// `GET /api/orgs/{id}/backfills`: the pending applications, oldest first, for the
    /// organisation's organizers.
    pub async fn pending_of_org(
        &self,
        caller: &Caller,
        org_id: &str,
        q: &PageQuery,
        now: Timestamp,
    ) -> Result<Backfills, ApiError> {
        let org = self.load_org(org_id).await?;
        require_organizer(caller, &org.id)?;
        let limit = parse_limit(q.limit.as_deref())?;
        let resume = resume_from(q.cursor.as_deref(), "org_backfills", &org.id)?;
        let (items, next) = self
            .store()
            .backfills_of_org(&org.id, BackfillStatus::Pending, resume, limit.get())
            .await?;
        Ok(Backfills {
            items: self.views(items, now).await?,
            next_cursor: next_cursor(next, "org_backfills", org.id.to_string())?,
        })
    }

    /// `GET /api/me/backfills`: the caller's applications, newest first.
    pub async fn mine(
        &self,
        caller: &Caller,
        q: &PageQuery,
        now: Timestamp,
    ) -> Result<Backfills, ApiError> {
        let limit = parse_limit(q.limit.as_deref())?;
        let resume = resume_from(q.cursor.as_deref(), "my_backfills", caller.id())?;
        let (items, next) = self
            .store()
            .backfills_of_user(caller.id(), resume, limit.get())
            .await?;
        Ok(Backfills {
            items: self.views(items, now).await?,
            next_cursor: next_cursor(next, "my_backfills", caller.id().to_string())?,
        })
    }
}
