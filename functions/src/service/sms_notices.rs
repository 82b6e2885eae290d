//! Notices that reach the phone. The in-app inbox always gets every notice; when the
//! notice's kind is one the person takes by SMS (`NoticeSettings`), writing the notice
//! also queues an SMS keyed by the notice id, so queuing twice leaves one. A dispatcher
//! ([`drain`]: the scheduled function every minute, the local server every few seconds)
//! sends what is due: it claims each item with a conditional write (a lease), sends,
//! marks it sent (a sent item is never sent again); a failed send is retried with
//! exponential backoff and given up after [`MAX_ATTEMPTS`]. Quiet hours are applied when
//! the message would go: an SMS due between 22:00 and 07:00 Beijing time waits until 07:00.
//! Nothing here runs inside the request that caused the notice, beyond one small write.

use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::sms::{SmsError, SmsMessage, SmsSender};
use crate::store::accounts::UserItem;
use crate::store::notices::NoticeItem;
use crate::store::sms_queue::{NoticeSettingsItem, SmsQueueItem, SmsStatus};
use crate::store::{Store, StoreError};
use zhiyuan_shared::identity::Phone;
use zhiyuan_shared::my_account::MySms;
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::notice_settings::{NoticeSettings, NoticeSettingsInput};
use zhiyuan_shared::time::Timestamp;

/// A whole SMS fits one message: 70 characters (UCS-2), the 【sign】 included.
pub const SMS_MAX_CHARS: usize = 70;
/// Sends tried before an SMS is given up.
pub const MAX_ATTEMPTS: u32 = 8;
/// How long a claim keeps other dispatchers off an item (a send times out in 10 s).
const LEASE_SECONDS: i64 = 120;
/// Items taken from each queue shard per run.
const BATCH: usize = 25;
/// The sign outbox and SNS messages carry; Tencent uses its own configured sign name.
pub const DEFAULT_SIGN: &str = "志愿";

// ---------------------------------------------------------------- templates

/// The SMS for one notice: the whole text as the phone shows it, and the parameters a
/// provider-side template (Tencent) is filled with — the activity's or organisation's
/// name, and the time when the kind has one. Nothing about anyone but the recipient.
pub fn sms_for(
    kind: NoticeKind,
    subject: &str,
    starts_at: Option<&str>,
    sign: &str,
) -> (String, Vec<String>) {
    let when = starts_at
        .and_then(|s| Timestamp::parse(s).ok())
        .map(|t| {
            let d = t.cst_date();
            let (h, m) = t.cst_hm();
            format!("{}月{}日{h:02}:{m:02}", d.month, d.day)
        })
        .unwrap_or_default();
    let subject: String = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut keep = subject.chars().count();
    loop {
        let title: String = if keep < subject.chars().count() {
            subject.chars().take(keep).chain(['…']).collect()
        } else {
            subject.clone()
        };
        let text = format!("【{sign}】{}", body(kind, &title, &when));
        if text.chars().count() <= SMS_MAX_CHARS || keep == 0 {
            let params = if !names_a_subject(kind) {
                vec![]
            } else if uses_time(kind) {
                vec![title, when]
            } else {
                vec![title]
            };
            return (text, params);
        }
        keep -= 1;
    }
}

/// The identity-appeal notices name nothing: their templates take no parameter.
fn names_a_subject(kind: NoticeKind) -> bool {
    !matches!(
        kind,
        NoticeKind::IdentityAppealApproved
            | NoticeKind::IdentityAppealRefused
            | NoticeKind::IdentityMovedAway
    )
}

fn uses_time(kind: NoticeKind) -> bool {
    matches!(
        kind,
        NoticeKind::Promoted
            | NoticeKind::ActivityCancelled
            | NoticeKind::Reminder
            | NoticeKind::ActivityChanged
            | NoticeKind::NeedDispatchedToOrg
            | NoticeKind::BackfillApplied
            | NoticeKind::BackfillApproved
            | NoticeKind::BackfillRefused
    )
}

/// Each kind's wording (the same texts are registered as Tencent templates, with `{1}`
/// for the name and `{2}` for the time).
fn body(kind: NoticeKind, title: &str, when: &str) -> String {
    match kind {
        NoticeKind::Promoted => {
            format!("您已从候补转为正式报名「{title}」，{when}开始，请准时参加。")
        }
        NoticeKind::ActivityCancelled => {
            format!("您报名的「{title}」（{when}）已取消，详情请在应用内查看。")
        }
        NoticeKind::Reminder => format!("提醒：您报名的「{title}」将于{when}开始，请准时到达。"),
        NoticeKind::OrgApproved => format!("您创建的组织「{title}」已通过审核。"),
        NoticeKind::OrgRejected => {
            format!("您创建的组织「{title}」未通过审核，原因请在应用内查看。")
        }
        NoticeKind::MemberApproved => format!("您已加入组织「{title}」，欢迎参加志愿服务。"),
        NoticeKind::NeedClaimed => format!("您发布的需求「{title}」已有组织认领。"),
        NoticeKind::NeedDone => format!("您发布的需求「{title}」已完成服务。"),
        NoticeKind::NeedRated => format!("您的组织服务的需求「{title}」收到了新的评价。"),
        NoticeKind::RatingReplied => format!("您对需求「{title}」的评价收到了组织的回复。"),
        NoticeKind::ActivityChanged => {
            format!("您报名的「{title}」有变更，现于{when}开始，详情请在应用内查看。")
        }
        NoticeKind::NeedDispatched => {
            format!("您发布的需求「{title}」已派给志愿服务组织，等待接单。")
        }
        NoticeKind::NeedDispatchedToOrg => {
            format!("需求「{title}」已派给贵组织，请于{when}前在应用内接单或说明原因拒绝。")
        }
        NoticeKind::NeedAccepted => format!("您发布的需求「{title}」已有组织接单。"),
        NoticeKind::NeedReturned => {
            format!("您发布的需求「{title}」暂未有组织接单，已回到待派单队列。")
        }
        // The identity notices name no activity: nothing of the other account is said.
        NoticeKind::IdentityAppealApproved => {
            "您的身份证占用申诉已通过，志愿者身份已转入您的账号。".to_string()
        }
        NoticeKind::IdentityAppealRefused => {
            "您的身份证占用申诉未通过，原因请在应用内查看。".to_string()
        }
        NoticeKind::IdentityMovedAway => {
            "经核实，您账号中的志愿者实名身份已转给身份证本人，详情请在应用内查看。".to_string()
        }
        NoticeKind::BackfillApplied => {
            format!("有志愿者申请补录「{title}」（{when}）的服务时长，请在应用内审核。")
        }
        NoticeKind::BackfillApproved => {
            format!("您补录「{title}」（{when}）的服务时长已通过审核，已计入您的记录。")
        }
        NoticeKind::BackfillRefused => {
            format!("您补录「{title}」（{when}）的服务时长未通过审核，原因请在应用内查看。")
        }
    }
}

fn sign_of(sms: &SmsSender) -> &str {
    match sms {
        SmsSender::Tencent(t) => &t.sign_name,
        SmsSender::Outbox { .. } | SmsSender::Sns(_) => DEFAULT_SIGN,
    }
}

// ---------------------------------------------------------------- settings

pub async fn settings(store: &Store, caller: &Caller) -> Result<NoticeSettings, ApiError> {
    Ok(settings_of(store, caller.id()).await?)
}

pub(crate) async fn settings_of(
    store: &Store,
    user_id: &str,
) -> Result<NoticeSettings, StoreError> {
    Ok(store
        .notice_settings(user_id)
        .await?
        .map(NoticeSettings::from)
        .unwrap_or_default())
}

pub async fn save_settings(
    store: &Store,
    caller: &Caller,
    input: &NoticeSettingsInput,
) -> Result<NoticeSettings, ApiError> {
    let settings = NoticeSettings::parse(input)?;
    store
        .put_notice_settings(&NoticeSettingsItem {
            user_id: caller.id().clone(),
            sms: settings.sms.clone(),
            quiet_hours: settings.quiet_hours,
            updated_at: crate::clock::now_rfc3339(),
        })
        .await?;
    Ok(settings)
}

// ---------------------------------------------------------------- enqueue

/// Queues an SMS for each notice whose kind its recipient takes by SMS. Idempotent: a
/// notice already queued (or sent) stays as it is.
pub async fn enqueue(
    store: &Store,
    notices: &[NoticeItem],
    now: Timestamp,
) -> Result<usize, StoreError> {
    let mut queued = 0;
    // One settings read per recipient, even when a batch holds several of their notices.
    let mut known: Vec<(&str, NoticeSettings)> = Vec::new();
    for n in notices {
        let wants = match known.iter().find(|(u, _)| *u == n.user_id.as_str()) {
            Some((_, s)) => s.wants_sms(n.kind),
            None => {
                let s = settings_of(store, &n.user_id).await?;
                let wants = s.wants_sms(n.kind);
                known.push((n.user_id.as_str(), s));
                wants
            }
        };
        if wants {
            store.enqueue_sms(&pending(n, now)).await?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// The queue item of one notice, when its recipient takes its kind by SMS: for a write
/// that commits the notice and its SMS together (a waitlist promotion).
pub async fn queue_item(
    store: &Store,
    notice: &NoticeItem,
    now: Timestamp,
) -> Result<Option<SmsQueueItem>, StoreError> {
    let settings = settings_of(store, &notice.user_id).await?;
    Ok(settings
        .wants_sms(notice.kind)
        .then(|| pending(notice, now)))
}

fn pending(n: &NoticeItem, now: Timestamp) -> SmsQueueItem {
    SmsQueueItem {
        notice_id: n.id.to_string(),
        user_id: n.user_id.clone(),
        kind: n.kind,
        subject: n.subject.clone(),
        starts_at: n.starts_at.clone(),
        status: SmsStatus::Pending,
        due_at: now.unix(),
        attempts: 0,
        created_at: crate::clock::now_rfc3339(),
        sent_at: None,
        last_error: None,
    }
}

// ---------------------------------------------------------------- dispatch

/// What one run of the dispatcher did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SmsRun {
    pub sent: usize,
    /// Held for quiet hours.
    pub held: usize,
    /// Failed now, to be tried again later.
    pub retried: usize,
    pub failed: usize,
}

/// The wait before the next try after `attempts` failed sends: 1, 2, 4 … minutes, at most
/// an hour.
pub fn retry_delay(attempts: u32) -> i64 {
    (60i64 << attempts.saturating_sub(1).min(6)).min(3600)
}

enum Outcome {
    Sent,
    Held,
    Retry,
    Failed,
    /// Someone else had it, or it was no longer due.
    Skipped,
}

/// Sends every SMS due at `now`. Safe to run concurrently and repeatedly.
pub async fn drain(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    now: Timestamp,
) -> Result<SmsRun, ApiError> {
    let mut run = SmsRun::default();
    let due = store.sms_due(now.unix(), BATCH).await?;
    for chunk in due.chunks(8) {
        let outcomes = futures_util::future::join_all(
            chunk
                .iter()
                .map(|item| dispatch(store, keys, sms, item, now)),
        )
        .await;
        for o in outcomes {
            match o {
                Ok(Outcome::Sent) => run.sent += 1,
                Ok(Outcome::Held) => run.held += 1,
                Ok(Outcome::Retry) => run.retried += 1,
                Ok(Outcome::Failed) => run.failed += 1,
                Ok(Outcome::Skipped) => {}
                // The item keeps its claim and comes round again when it lapses.
                Err(e) => tracing::warn!(error = %e, "sms dispatch interrupted"),
            }
        }
    }
    if run != SmsRun::default() {
        tracing::info!(
            sent = run.sent,
            held = run.held,
            retried = run.retried,
            failed = run.failed,
            "sms dispatched"
        );
    }
    Ok(run)
}

async fn dispatch(
    store: &Store,
    keys: &Keys,
    sms: &SmsSender,
    item: &SmsQueueItem,
    now: Timestamp,
) -> Result<Outcome, StoreError> {
    if item.status != SmsStatus::Pending || item.due_at > now.unix() {
        return Ok(Outcome::Skipped);
    }
    match store.claim_sms(item, now.unix() + LEASE_SECONDS).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Ok(Outcome::Skipped),
        Err(e) => return Err(e),
    }
    let attempts = item.attempts + 1;
    // A closed account's messages never go, even those queued before it closed: its
    // tidying deletes them, and until then this stops any a dispatcher reaches first.
    let Some(user) = store
        .get_user(&item.user_id)
        .await?
        .filter(|u| u.closed_at.is_none())
    else {
        return give_up(store, &item.notice_id, "the account is closed").await;
    };
    let settings = settings_of(store, &item.user_id).await?;
    let quiet_until = settings.sms_due(now);
    if quiet_until > now {
        store
            .sms_later(&item.notice_id, quiet_until.unix(), None)
            .await?;
        return Ok(Outcome::Held);
    }
    let Some(to) = phone_of(keys, &user) else {
        return give_up(store, &item.notice_id, "no phone to send to").await;
    };
    let (text, params) = sms_for(
        item.kind,
        &item.subject,
        item.starts_at.as_deref(),
        sign_of(sms),
    );
    let msg = SmsMessage {
        to,
        text,
        kind: item.kind.slug().to_string(),
        params,
    };
    match sms.send(&msg).await {
        Ok(()) => {
            mark_sent(store, &item.notice_id).await;
            Ok(Outcome::Sent)
        }
        Err(SmsError::Unavailable(e)) if attempts < MAX_ATTEMPTS => {
            tracing::warn!(notice_id = %item.notice_id, attempts, error = %e, "sms send failed; will retry");
            store
                .sms_later(
                    &item.notice_id,
                    now.unix() + retry_delay(attempts),
                    Some(&e),
                )
                .await?;
            Ok(Outcome::Retry)
        }
        Err(e) => {
            tracing::warn!(notice_id = %item.notice_id, attempts, error = %e, "sms given up");
            store.sms_failed(&item.notice_id, &e.to_string()).await?;
            Ok(Outcome::Failed)
        }
    }
}

/// Records a send. Tried a few times: if it cannot be recorded, the claim lapses and the
/// message goes again (at least once, never silently dropped).
async fn mark_sent(store: &Store, notice_id: &str) {
    for round in 0..4 {
        match store
            .sms_sent(notice_id, &crate::clock::now_rfc3339())
            .await
        {
            // Done, or done by an earlier try whose answer was lost.
            Ok(()) | Err(StoreError::ConditionFailed) => return,
            Err(e) => {
                tracing::warn!(notice_id, error = %e, "sms sent but not yet recorded");
                crate::store::backoff(round + 3).await;
            }
        }
    }
}

/// Takes an item off the queue for good; one deleted meanwhile (its account's tidying)
/// is gone already.
async fn give_up(store: &Store, notice_id: &str, why: &str) -> Result<Outcome, StoreError> {
    match store.sms_failed(notice_id, why).await {
        Ok(()) => Ok(Outcome::Failed),
        Err(StoreError::ConditionFailed) => Ok(Outcome::Skipped),
        Err(e) => Err(e),
    }
}

fn phone_of(keys: &Keys, user: &UserItem) -> Option<Phone> {
    keys.open(&user.phone_sealed)
        .ok()
        .and_then(|p| Phone::parse(&p).ok())
}

/// Deletes the text messages of a closed account's notices, sent or pending (see
/// `my_account::tidy`): they name the person's activities.
pub async fn forget_sms_of(store: &Store, notices: &[NoticeItem]) -> Result<(), StoreError> {
    for n in notices {
        store.delete_sms(n.id.as_str()).await?;
    }
    Ok(())
}

/// The text messages of these notices, for "my data".
pub async fn sms_of(store: &Store, notices: &[NoticeItem]) -> Result<Vec<MySms>, StoreError> {
    let ids: Vec<&str> = notices.iter().map(|n| n.id.as_str()).collect();
    let mut items = store.sms_items(&ids).await?;
    items.sort_by(|a, b| a.notice_id.cmp(&b.notice_id));
    Ok(items
        .into_iter()
        .map(|i| MySms {
            notice_id: i.notice_id,
            kind: i.kind,
            status: match i.status {
                SmsStatus::Pending => "pending",
                SmsStatus::Sent => "sent",
                SmsStatus::Failed => "failed",
            }
            .to_string(),
            queued_at: i.created_at,
            sent_at: i.sent_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_kind_fits_one_sms_with_the_sign_even_for_a_long_name() {
        let long_name = "鄂尔多斯市东胜区新时代文明实践中心青年志愿者协会关爱留守儿童暑期陪伴与课业辅导志愿服务活动第二期";
        for sign in [DEFAULT_SIGN, "鄂尔多斯志愿服务"] {
            for kind in NoticeKind::ALL {
                for subject in ["植树", long_name] {
                    let (text, params) =
                        sms_for(*kind, subject, Some("2026-12-01T09:00:00+08:00"), sign);
                    assert!(
                        text.chars().count() <= SMS_MAX_CHARS,
                        "{kind:?} with sign {sign}: {} chars: {text}",
                        text.chars().count()
                    );
                    assert!(text.starts_with(&format!("【{sign}】")), "{text}");
                    for p in &params {
                        assert!(text.contains(p.as_str()), "{text} holds {p}");
                    }
                    assert_eq!(params.is_empty(), !names_a_subject(*kind), "{text}");
                }
            }
        }
    }

    #[test]
    fn a_short_name_is_kept_whole_and_the_time_is_beijing_time() {
        let (text, params) = sms_for(
            NoticeKind::Promoted,
            "社区植树",
            Some("2026-12-01T01:30:00Z"),
            DEFAULT_SIGN,
        );
        assert_eq!(
            text,
            "【志愿】您已从候补转为正式报名「社区植树」，12月1日09:30开始，请准时参加。"
        );
        assert_eq!(
            params,
            vec!["社区植树".to_string(), "12月1日09:30".to_string()]
        );
    }

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let delays: Vec<i64> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(delays[..4], [60, 120, 240, 480]);
        assert!(delays.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*delays.last().expect("some"), 3600);
    }
}
