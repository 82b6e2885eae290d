//! In-app notices (站内通知): waitlist promotion, cancellation, shift reminders, decisions
//! on organisations and memberships. The server stores the facts; the client words them in
//! the reader's language.

use crate::slug_enum;
use serde::{Deserialize, Serialize};

slug_enum! {
    NoticeKind {
        Promoted = "promoted",
        ActivityCancelled = "activity_cancelled",
        Reminder = "reminder",
        OrgApproved = "org_approved",
        OrgRejected = "org_rejected",
        MemberApproved = "member_approved",
        NeedClaimed = "need_claimed",
        NeedDone = "need_done",
        IdentityAppealApproved = "identity_appeal_approved",
        IdentityAppealRefused = "identity_appeal_refused",
        IdentityMovedAway = "identity_moved_away",
        ActivityChanged = "activity_changed",
        NeedDispatched = "need_dispatched",
        NeedDispatchedToOrg = "need_dispatched_to_org",
        NeedAccepted = "need_accepted",
        NeedReturned = "need_returned",
        NeedRated = "need_rated",
        /// To an organisation's organizers: a member applied for hours with evidence (补录).
        BackfillApplied = "backfill_applied",
        /// To the applicant: their 补录 application was approved.
        BackfillApproved = "backfill_approved",
        /// To the applicant: refused, with the reason.
        BackfillRefused = "backfill_refused",
        /// To a need's poster: the organisation replied to their rating (评单).
        RatingReplied = "rating_replied",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: String,
    pub kind: NoticeKind,
    /// What it is about: an activity's title or an organisation's name.
    pub subject: String,
    /// Where it leads in the app, e.g. `/activities/{id}` or `/orgs/{id}`.
    pub link: String,
    /// The shift's start, for reminders and promotions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    /// A cancellation's or rejection's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub created_at: String,
    pub unread: bool,
}

/// `GET /api/me/notices`: newest first, with how many are unread (counted up to 99).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notices {
    pub items: Vec<Notice>,
    pub next_cursor: Option<String>,
    pub unread: u32,
}
