//! Sign-ups: places taken and given up, the waitlist, and each volunteer's own list.
//!
//! | pattern | operation |
//! |---|---|
//! | `sign_up` | TransactWriteItems: one place counter `taken+1` if `taken < capacity` (or, when every counter is full, a check of each + `waitlisted+1`) + sign-up (new) + user `signup_seq` (unchanged) + my-shift mirror [+ wait entry] |
//! | `cancel_signup` | TransactWriteItems: the sign-up's counter or the waitlist count + delete sign-up, mirror [, wait entry] [+ calendar cancellation marker] [+ promote the first waiting: their sign-up, mirror, notice, SMS] |
//! | `first_waiting` | Query `SIGNUPS#shift`, `begins_with(SK, "WAIT#")`, limit 1 |
//! | `signups_page` | Query `SIGNUPS#shift`, `begins_with(SK, "SIGNUP#")` |
//!
//! None of these touch the activity's partition: a popular activity's sign-ups spread
//! over its shifts' partitions and their place counters (see `activities::counters_for`).
//! | `my_shifts_between` | Query `USER#id`, `SK BETWEEN MYSHIFT#from AND MYSHIFT#to` |
//! | `signup_read` | BatchGetItem: activity, shift, its counters and waitlist count, `USER#id / USER`, `USER#id / SCHEDULE` |

use super::accounts::UserItem;
use super::activities::{ActivityItem, ShiftInfo, ShiftItem, place_keys};
use super::keys::{self};
use super::notices::NoticeItem;
use super::{
    ItemKeys, Keyed, QuerySpec, ResumeKey, SortKey, Store, StoreError, Tx, TxError, check_op,
    delete_op, from_item, keyed_item, n, put, s, update_op,
};
use crate::ids::{ActivityId, UserId};
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};
use zhiyuan_shared::time::Timestamp;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignupItem {
    pub activity_id: ActivityId,
    pub n: u8,
    pub user_id: UserId,
    pub real_name: String,
    pub volunteer_no: String,
    pub status: SignupStatus,
    pub signed_up_at: String,
    /// The request's idempotency token: a retry carrying it gets the original answer.
    pub client_token: String,
    /// The place counter a confirmed sign-up took its place from.
    #[serde(default)]
    pub counter: u8,
    /// The waitlist entry's sort key while waitlisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait_sk: Option<String>,
}

impl SignupItem {
    pub(crate) fn keys(&self) -> ItemKeys {
        signup_keys(&self.activity_id, self.n, &self.user_id)
    }

    /// The waitlist entry's sort key while waitlisted.
    pub(crate) fn wait_sk(&self) -> Option<&str> {
        self.wait_sk.as_deref()
    }

    /// The sign-up holding its place on `counter`, or waiting under `wait_sk`.
    pub(crate) fn placed(self, counter: u8, wait_sk: Option<String>) -> Self {
        Self {
            counter,
            wait_sk,
            ..self
        }
    }
}

/// A shift's waitlist entry for `user_id` at `sk` (`keys::wait_sk`), with its keys.
pub(crate) fn wait_entry(
    user_id: &UserId,
    shift_id: &str,
    sk: String,
) -> Result<std::collections::HashMap<String, AttributeValue>, StoreError> {
    let wait = WaitItem {
        user_id: user_id.clone(),
        sk: sk.clone(),
    };
    keyed_item(&wait, ItemKeys::new(keys::signups_pk(shift_id), sk, "wait"))
}

pub(crate) fn signup_keys(activity_id: &str, n: u8, user_id: &str) -> ItemKeys {
    ItemKeys::new(
        keys::signups_pk(&keys::shift_id(activity_id, n)),
        keys::signup_sk(user_id),
        "signup",
    )
}

/// A place on a shift's waitlist; entries sort by when they joined (their key's ULID).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaitItem {
    pub user_id: UserId,
    /// The entry's own sort key, read back so the entry can be deleted.
    #[serde(rename = "SK", skip_serializing)]
    sk: String,
}

impl WaitItem {
    pub(crate) fn sk(&self) -> &str {
        &self.sk
    }
}

/// A sign-up as its volunteer's partition holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MyShiftItem {
    pub activity_id: ActivityId,
    pub shift_id: String,
    pub title: String,
    pub address: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub status: SignupStatus,
    pub activity_status: ActivityStatus,
}

impl MyShiftItem {
    /// What a volunteer's own list shows of their sign-up for a shift of `a`.
    pub fn new(a: &ActivityItem, shift: &ShiftInfo, status: SignupStatus) -> Self {
        Self {
            activity_id: a.id.clone(),
            shift_id: shift.id(&a.id),
            title: a.title.clone(),
            address: a.address.clone(),
            starts_at: shift.starts_at,
            ends_at: shift.ends_at,
            status,
            activity_status: a.status,
        }
    }
}

/// A volunteer's sign-up mirror, with its owner: the user's partition holds it.
pub struct MyShift<'a> {
    pub user_id: &'a UserId,
    pub item: MyShiftItem,
}

fn my_shift_keys(user_id: &str, starts_at: Timestamp, shift_id: &str) -> ItemKeys {
    ItemKeys::new(
        keys::user_pk(user_id),
        keys::my_shift_sk(starts_at.unix(), shift_id),
        "my_shift",
    )
}

impl Keyed for MyShift<'_> {
    fn keys(&self) -> ItemKeys {
        my_shift_keys(self.user_id, self.item.starts_at, &self.item.shift_id)
    }
}

impl Serialize for MyShift<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.item.serialize(s)
    }
}

/// One of a volunteer's sign-ups as their schedule holds it: the shift and its times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booked {
    pub shift_id: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

impl From<&MyShiftItem> for Booked {
    fn from(m: &MyShiftItem) -> Self {
        Self {
            shift_id: m.shift_id.clone(),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
        }
    }
}

/// The times of a volunteer's sign-ups still to end (`USER#id / SCHEDULE`), so a sign-up
/// checks overlaps from one item read in the same BatchGetItem as the shift instead of a
/// Query of the `MYSHIFT#` range. Written only by the sign-up transaction, which sets the
/// user's `signup_seq` to `seq` beside it; it is complete — every sign-up of the user
/// whose shift has not ended is in it, with the times its mirror holds — exactly while
/// `seq` still equals the user's `signup_seq`. Whatever else adds a sign-up or moves a
/// mirror's times (an edit of the shift, closing the account) bumps `signup_seq`, so the
/// next sign-up finds the schedule stale and reads the mirrors instead. A withdrawn
/// sign-up may linger in it: an entry only sends the check to the mirrors. A user whose
/// `signup_seq` is 0 has never signed up: no item is their empty schedule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScheduleItem {
    pub seq: u64,
    pub shifts: Vec<Booked>,
}

pub(crate) fn schedule_keys(user_id: &str) -> ItemKeys {
    ItemKeys::new(keys::user_pk(user_id), keys::SCHEDULE_SK, "schedule")
}

/// A schedule longer than this is not kept (the sign-up reads the mirrors instead).
pub const SCHEDULE_MAX: usize = 50;

/// What a sign-up reads, in one BatchGetItem.
pub struct SignupRead {
    /// The activity and the shift with its live counts; None for an unknown shift.
    pub found: Option<(ActivityItem, ShiftItem)>,
    pub user: Option<UserItem>,
    pub schedule: Option<ScheduleItem>,
}

/// The update a write that moves a volunteer's mirror (or adds one outside
/// [`Store::sign_up`]) makes on their user item: `signup_seq + 1`, so their schedule is
/// stale from then on and an in-flight sign-up of theirs re-reads.
pub(crate) fn schedule_stale_op(
    table: &str,
    user_id: &str,
) -> Result<TransactWriteItem, StoreError> {
    update_op(
        table,
        keys::user_pk(user_id),
        keys::USER_SK,
        "SET #seq = if_not_exists(#seq, :zero) + :one",
        Some("attribute_exists(PK)"),
        &[("#seq", "signup_seq")],
        vec![(":zero", n(0)), (":one", n(1))],
    )
}

/// A volunteer asking for a place on a shift, as the service decided it.
pub struct SignupAttempt<'a> {
    pub activity: &'a ActivityItem,
    /// The shift as read: its counts decide between a place and the waitlist.
    pub shift: &'a ShiftItem,
    pub user_id: &'a UserId,
    pub real_name: &'a str,
    pub volunteer_no: &'a str,
    /// The counter to take a place from (one that had places left when read); None to
    /// join the waitlist, every counter having been read full.
    pub place: Option<u8>,
    pub client_token: &'a str,
    pub signed_up_at: String,
    /// The user's `signup_seq` as read: the write holds only if it is unchanged.
    pub user_seq_seen: u64,
    /// The user's schedule after this sign-up (complete, this shift included), written
    /// beside the new `signup_seq`; None when it would be too long to keep.
    pub schedule: Option<Vec<Booked>>,
}

impl SignupAttempt<'_> {
    /// Confirmed with a place from a counter, waitlisted without.
    pub fn status(&self) -> SignupStatus {
        match self.place {
            Some(_) => SignupStatus::Confirmed,
            None => SignupStatus::Waitlisted,
        }
    }
}

/// Why [`Store::sign_up`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupRefused {
    /// The counter filled, a place was freed or the shift was cancelled since it was read.
    ShiftChanged,
    /// This person is signed up for the shift already.
    AlreadySignedUp,
    /// Another of this person's sign-ups committed since they were read.
    UserChanged,
}

/// How a cancellation changes the shift.
pub enum CancelWrite<'a> {
    /// A confirmed place is given up and nobody waits: `taken - 1`.
    FreePlace,
    /// A confirmed place passes to the first waiting volunteer, who is told.
    Promote {
        wait: &'a WaitItem,
        notice: &'a NoticeItem,
        /// The notice's SMS when the promoted volunteer takes promotions by SMS: queued
        /// in the same transaction, so the place and the text message commit together.
        sms: Option<&'a super::sms_queue::SmsQueueItem>,
    },
    /// A waitlist entry is withdrawn.
    LeaveWaitlist,
}

/// Why [`Store::cancel_signup`] refused: the shift, the sign-up or the waitlist changed
/// since they were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelSignupRefused {
    Changed,
}

/// What a write to a place counter or the waitlist item checks about the shift's times
/// (`#times`, `:times`): unchanged since they were read (see `activities::ShiftItem::times`).
pub(crate) const SAME_TIMES: &str = "(attribute_not_exists(#times) OR #times = :times)";

const COUNTER_NAMES: [(&str, &str); 4] = [
    ("#st", "status"),
    ("#cap", "capacity"),
    ("#taken", "taken"),
    ("#times", "times"),
];

const NAMES: &[(&str, &str)] = &[
    ("#st", "status"),
    ("#cap", "capacity"),
    ("#taken", "taken"),
    ("#wl", "waitlisted"),
];

impl Store {
    /// Signs up: a place from the chosen counter while it has one, a waitlist entry when
    /// every counter is full.
    pub async fn sign_up(&self, w: &SignupAttempt<'_>) -> Result<(), TxError<SignupRefused>> {
        let shift_id = w.shift.id();
        let open = || (":open", s(ActivityStatus::Published.slug()));
        // The shift's times as read: an edit that moved the shift since refuses the write,
        // so the volunteer's mirror and overlap check are of the times that hold.
        let times = || (":times", s(w.shift.times()));
        let mut tx = Tx::new();
        let wait_sk = match w.place {
            Some(i) => {
                let k = place_keys(&shift_id, i);
                let op = update_op(
                    &self.table,
                    k.pk().to_string(),
                    k.sk(),
                    "SET #taken = #taken + :one",
                    Some(&format!("#st = :open AND #taken < #cap AND {SAME_TIMES}")),
                    &COUNTER_NAMES,
                    vec![(":one", n(1)), open(), times()],
                )?;
                tx.guarded(op, SignupRefused::ShiftChanged);
                None
            }
            None => {
                // Nobody waits while a place is free: every counter must still be full.
                // A cancellation frees a place only while the waitlist count is zero, and
                // both write the count, so the two cannot interleave.
                for i in 0..w.shift.counters() {
                    let k = place_keys(&shift_id, i);
                    let op = check_op(
                        &self.table,
                        k.pk().to_string(),
                        k.sk(),
                        &format!("#st = :open AND #taken >= #cap AND {SAME_TIMES}"),
                        &COUNTER_NAMES,
                        vec![open(), times()],
                    )?;
                    tx.guarded(op, SignupRefused::ShiftChanged);
                }
                tx.push(update_op(
                    &self.table,
                    keys::waitlist_pk(&shift_id),
                    keys::WAITLIST_SK,
                    "SET shift_id = :id ADD #wl :one",
                    None,
                    &NAMES[3..],
                    vec![(":one", n(1)), (":id", s(shift_id.clone()))],
                )?);
                Some(keys::wait_sk(&ulid::Ulid::new().to_string()))
            }
        };
        let status = w.status();
        let user_op = update_op(
            &self.table,
            keys::user_pk(w.user_id),
            keys::USER_SK,
            "SET #seq = :next",
            Some(
                "attribute_exists(PK) AND attribute_not_exists(closed_at) \
                 AND (attribute_not_exists(#seq) OR #seq = :seen)",
            ),
            &[("#seq", "signup_seq")],
            vec![
                (":seen", n(w.user_seq_seen)),
                (":next", n(w.user_seq_seen + 1)),
            ],
        )?;
        let signup = SignupItem {
            activity_id: w.shift.activity_id.clone(),
            n: w.shift.n,
            user_id: w.user_id.clone(),
            real_name: w.real_name.to_string(),
            volunteer_no: w.volunteer_no.to_string(),
            status,
            signed_up_at: w.signed_up_at.clone(),
            client_token: w.client_token.to_string(),
            counter: w.place.unwrap_or_default(),
            wait_sk: wait_sk.clone(),
        };
        let mine = MyShift {
            user_id: w.user_id,
            item: MyShiftItem::new(w.activity, &w.shift.info(), status),
        };
        let new = Some("attribute_not_exists(PK)");
        tx.guarded(
            put(keyed_item(&signup, signup.keys())?, &self.table, new)?,
            SignupRefused::AlreadySignedUp,
        );
        tx.guarded(user_op, SignupRefused::UserChanged);
        tx.push(put(keyed_item(&mine, mine.keys())?, &self.table, None)?);
        if let Some(shifts) = &w.schedule {
            let item = ScheduleItem {
                seq: w.user_seq_seen + 1,
                shifts: shifts.clone(),
            };
            let k = schedule_keys(w.user_id);
            // Guarded by the user's `signup_seq` condition in the same transaction.
            tx.push(put(keyed_item(&item, k)?, &self.table, None)?);
        }
        if let Some(sk) = wait_sk {
            tx.push(put(
                wait_entry(w.user_id, &shift_id, sk)?,
                &self.table,
                new,
            )?);
        }
        self.commit(tx).await
    }

    /// Everything a sign-up decides from, in one BatchGetItem: the shift with its
    /// activity and live counts, the user and their schedule.
    pub async fn signup_read(
        &self,
        shift_id: &str,
        user_id: &str,
    ) -> Result<SignupRead, StoreError> {
        let pk = keys::user_pk(user_id);
        let extra = vec![
            (pk.clone(), keys::USER_SK.to_string()),
            (pk, keys::SCHEDULE_SK.to_string()),
        ];
        let (found, items) = self.shift_with_activity_and(shift_id, extra).await?;
        if found.is_none() && items.is_empty() {
            // A malformed shift id reads nothing: the user still decides 401 before 404.
            return Ok(SignupRead {
                found,
                user: self.get_user(user_id).await?,
                schedule: None,
            });
        }
        let (mut user, mut schedule) = (None, None);
        for item in items {
            match item.get(keys::SK) {
                Some(AttributeValue::S(sk)) if sk == keys::USER_SK => {
                    user = Some(from_item(item)?);
                }
                Some(AttributeValue::S(sk)) if sk == keys::SCHEDULE_SK => {
                    schedule = Some(from_item(item)?);
                }
                _ => {}
            }
        }
        Ok(SignupRead {
            found,
            user,
            schedule,
        })
    }

    pub async fn get_signup(
        &self,
        activity_id: &str,
        n: u8,
        user_id: &str,
    ) -> Result<Option<SignupItem>, StoreError> {
        let k = signup_keys(activity_id, n, user_id);
        self.get_item(k.pk().to_string(), k.sk()).await
    }

    /// The longest-waiting entry of a shift's waitlist.
    pub async fn first_waiting(
        &self,
        activity_id: &str,
        n: u8,
    ) -> Result<Option<WaitItem>, StoreError> {
        let (mut items, _) = self
            .query_spec::<WaitItem>(
                QuerySpec::table(
                    keys::signups_pk(&keys::shift_id(activity_id, n)),
                    SortKey::Prefix(keys::WAIT_PREFIX),
                ),
                None,
                1,
            )
            .await?;
        Ok(items.pop())
    }

    /// Withdraws a sign-up, all or nothing, keeping the shift's counters equal to its
    /// sign-ups: a freed place goes to the first waiting volunteer if there is one.
    pub async fn cancel_signup(
        &self,
        activity: &ActivityItem,
        shift: &ShiftItem,
        signup: &SignupItem,
        how: CancelWrite<'_>,
    ) -> Result<(), TxError<CancelSignupRefused>> {
        let t = &self.table;
        let shift_id = shift.id();
        let status_is = |st: SignupStatus| vec![(":was", s(st.slug()))];
        // Unchanged since read, so the mirror deleted is the one keyed by these times.
        let times = || (":times", s(shift.times()));
        let mut ops: Vec<TransactWriteItem> = Vec::with_capacity(10);
        let wl = &NAMES[3..];
        match &how {
            CancelWrite::FreePlace => {
                let k = place_keys(&shift_id, signup.counter);
                ops.push(update_op(
                    t,
                    k.pk().to_string(),
                    k.sk(),
                    "SET #taken = #taken - :one",
                    Some(&format!("#taken > :zero AND {SAME_TIMES}")),
                    &[("#taken", "taken"), ("#times", "times")],
                    vec![(":one", n(1)), (":zero", n(0)), times()],
                )?);
                // A place is freed only while nobody waits (else it passes to them).
                ops.push(check_op(
                    t,
                    keys::waitlist_pk(&shift_id),
                    keys::WAITLIST_SK,
                    "attribute_not_exists(#wl) OR #wl = :zero",
                    wl,
                    vec![(":zero", n(0))],
                )?);
            }
            CancelWrite::Promote { .. } | CancelWrite::LeaveWaitlist => {
                ops.push(update_op(
                    t,
                    keys::waitlist_pk(&shift_id),
                    keys::WAITLIST_SK,
                    "SET #wl = #wl - :one",
                    Some(&format!("#wl > :zero AND {SAME_TIMES}")),
                    &[wl[0], ("#times", "times")],
                    vec![(":one", n(1)), (":zero", n(0)), times()],
                )?);
            }
        }
        let was = match how {
            CancelWrite::LeaveWaitlist => SignupStatus::Waitlisted,
            _ => SignupStatus::Confirmed,
        };
        let k = signup.keys();
        ops.push(delete_op(
            t,
            k.pk().to_string(),
            k.sk(),
            Some("#st = :was"),
            &[("#st", "status")],
            status_is(was),
        )?);
        let mine = my_shift_keys(&signup.user_id, shift.starts_at, &shift.id());
        ops.push(delete_op(
            t,
            mine.pk().to_string(),
            mine.sk(),
            None,
            &[],
            vec![],
        )?);
        if was == SignupStatus::Confirmed {
            // The volunteer's calendar feed shows the withdrawn shift as cancelled.
            ops.push(super::calendar::gone_op(
                t,
                activity,
                shift,
                &signup.user_id,
            )?);
        }
        let exists = Some("attribute_exists(PK)");
        match how {
            CancelWrite::FreePlace => {}
            CancelWrite::LeaveWaitlist => {
                let wait_sk = signup.wait_sk.clone().unwrap_or_default();
                ops.push(delete_op(
                    t,
                    keys::signups_pk(&shift_id),
                    &wait_sk,
                    exists,
                    &[],
                    vec![],
                )?);
            }
            CancelWrite::Promote { wait, notice, sms } => {
                ops.push(delete_op(
                    t,
                    keys::signups_pk(&shift_id),
                    &wait.sk,
                    exists,
                    &[],
                    vec![],
                )?);
                let promoted = signup_keys(&shift.activity_id, shift.n, &wait.user_id);
                ops.push(update_op(
                    t,
                    promoted.pk().to_string(),
                    promoted.sk(),
                    // The freed place stays on its counter: the promoted volunteer holds it.
                    "SET #st = :confirmed, #ctr = :ctr REMOVE wait_sk",
                    Some("#st = :was"),
                    &[("#st", "status"), ("#ctr", "counter")],
                    vec![
                        (":ctr", n(signup.counter)),
                        (":confirmed", s(SignupStatus::Confirmed.slug())),
                        (":was", s(SignupStatus::Waitlisted.slug())),
                    ],
                )?);
                let promoted_mine = MyShift {
                    user_id: &wait.user_id,
                    item: MyShiftItem::new(activity, &shift.info(), SignupStatus::Confirmed),
                };
                ops.push(put(
                    keyed_item(&promoted_mine, promoted_mine.keys())?,
                    t,
                    None,
                )?);
                ops.push(put(keyed_item(notice, notice.keys())?, t, None)?);
                if let Some(sms) = sms {
                    ops.push(put(
                        keyed_item(sms, sms.keys())?,
                        t,
                        Some("attribute_not_exists(PK)"),
                    )?);
                }
            }
        }
        // Each condition fails only when what it guards changed since it was read.
        let mut tx = Tx::new();
        for op in ops {
            tx.guarded(op, CancelSignupRefused::Changed);
        }
        self.commit(tx).await
    }

    /// One page of a shift's sign-ups.
    pub async fn signups_page(
        &self,
        activity_id: &str,
        n: u8,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<SignupItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::table(
                keys::signups_pk(&keys::shift_id(activity_id, n)),
                SortKey::Prefix(keys::SIGNUP_PREFIX),
            ),
            resume,
            limit,
        )
        .await
    }

    /// Rewrites volunteers' sign-up mirrors (e.g. after their activity was cancelled).
    pub async fn put_my_shifts(&self, mirrors: &[MyShift<'_>]) -> Result<(), StoreError> {
        self.put_all(mirrors).await
    }

    /// The volunteer's sign-ups starting within `[from, to]` (Unix seconds).
    pub async fn my_shifts_between(
        &self,
        user_id: &str,
        from: Timestamp,
        to: Timestamp,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<MyShiftItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec::table(
                keys::user_pk(user_id),
                SortKey::Between(
                    keys::my_shift_from(from.unix()),
                    keys::my_shift_from(to.unix()),
                ),
            ),
            resume,
            limit,
        )
        .await
    }
}
