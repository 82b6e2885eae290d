//! Activity, shift, sign-up, waitlist and notice access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_activity` | TransactWriteItems: activity + listing copies (org, station) + shifts + `ADD activities [trainings]` on its year's counters |
//! | `get_activity` | GetItem `ACT#id / ACT` |
//! | `shifts_of` | Query `ACT#id`, `begins_with(SK, "SHIFT#")` |
//! | `shift_counts` | BatchGetItem of the shifts a listing page shows |
//! | `activities_page` | Query GSI4 `ACTPROV#15` / `ACTORG#id` / `ACTSTATION#id`, `GSI4SK >= from`, filters |
//! | `sign_up` | TransactWriteItems: shift `taken+1` if `taken < capacity` (or `waitlisted+1` if full) + sign-up (new) + user `signup_seq` (unchanged) + my-shift mirror [+ wait entry] |
//! | `cancel_signup` | TransactWriteItems: shift counters + delete sign-up, mirror [, wait entry] [+ promote the first waiting: their sign-up, mirror, notice] |
//! | `first_waiting` | Query `ACT#id`, `begins_with(SK, "WAIT#nn#")`, limit 1 |
//! | `signups_page` | Query `ACT#id`, `begins_with(SK, "SIGNUP#nn#")` |
//! | `my_shifts_between` | Query `USER#id`, `SK BETWEEN MYSHIFT#from AND MYSHIFT#to` |
//! | `cancel_activity` | TransactWriteItems: activity, copies and shifts → cancelled (conditional) |
//! | `notices_page` | Query `USER#id`, `begins_with(SK, "NOTICE#")`, newest first |
//! | `unread_notices` | Query `USER#id`, `SK BETWEEN NOTICE#seen… AND NOTICE#~` |
//! | `reminders_due` | Query GSI4 `REMIND#date`, `GSI4SK BETWEEN now AND now+24h` |

use super::accounts::put;
use super::keys::{self, GSI4PK, GSI4SK, PK, SK};
use super::stats::{Counter, CounterAdd, counter_ops};
use super::{
    Filter, KeyPrefix, QuerySpec, ResumeKey, SortKey, Store, StoreError, delete_op, n, s, to_item,
    update_op,
};
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::activity::{ActivityStatus, ServiceTarget, SignupStatus};
use zhiyuan_shared::notice::NoticeKind;

/// A shift's fixed facts, kept on the activity so a listing knows its shifts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShiftInfo {
    pub n: u8,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: u32,
}

/// The activity, and (with another SK and GSI4PK) its listing copies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI4PK")]
    pub gsi4pk: String,
    #[serde(rename = "GSI4SK")]
    pub gsi4sk: String,
    pub entity_type: String,
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    pub description: String,
    pub service_field: ServiceField,
    pub service_targets: Vec<ServiceTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_name: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub region_code: String,
    pub deadline: i64,
    pub min_age: u8,
    pub skills: Vec<String>,
    pub requirements: String,
    pub is_training: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkin_radius_m: Option<u32>,
    pub status: ActivityStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Unix milliseconds of the cancellation: the time part of its notices' fixed ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<i64>,
    pub shifts: Vec<ShiftInfo>,
    pub first_start: i64,
    pub until: i64,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShiftItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    /// Set while the shift's reminder is still to be sent (the sparse reminder queue).
    #[serde(rename = "GSI4PK", default, skip_serializing_if = "Option::is_none")]
    pub gsi4pk: Option<String>,
    #[serde(rename = "GSI4SK", default, skip_serializing_if = "Option::is_none")]
    pub gsi4sk: Option<String>,
    pub entity_type: String,
    pub activity_id: String,
    pub n: u8,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: u32,
    pub taken: u32,
    pub waitlisted: u32,
    pub status: ActivityStatus,
}

impl ShiftItem {
    pub fn id(&self) -> String {
        keys::shift_id(&self.activity_id, self.n)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignupItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub activity_id: String,
    pub n: u8,
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    pub status: SignupStatus,
    pub signed_up_at: String,
    /// The request's idempotency token: a retry carrying it gets the original answer.
    pub client_token: String,
    /// The waitlist entry's sort key while waitlisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_sk: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaitItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub user_id: String,
}

/// A sign-up as its volunteer's partition holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MyShiftItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub activity_id: String,
    pub shift_id: String,
    pub title: String,
    pub address: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: SignupStatus,
    pub activity_status: ActivityStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub id: String,
    pub user_id: String,
    pub kind: NoticeKind,
    pub subject: String,
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub created_at: String,
}

/// Items of [`Store::sign_up`]'s transaction, for telling its refusals apart.
pub const SHIFT_HAS_ROOM: usize = 0;
pub const SIGNUP_IS_NEW: usize = 1;
pub const USER_UNCHANGED: usize = 2;

/// What a sign-up writes.
pub struct SignupWrite<'a> {
    pub shift: &'a ShiftItem,
    pub signup: &'a SignupItem,
    pub mine: &'a MyShiftItem,
    pub wait: Option<&'a WaitItem>,
    pub user_seq_seen: u64,
}

/// How a cancellation changes the shift.
pub enum CancelWrite<'a> {
    /// A confirmed place is given up and nobody waits: `taken - 1`.
    FreePlace,
    /// A confirmed place passes to the first waiting volunteer.
    Promote {
        wait: &'a WaitItem,
        promoted_signup_sk: String,
        promoted_mine: &'a MyShiftItem,
        notice: &'a NoticeItem,
    },
    /// A waitlist entry is withdrawn.
    LeaveWaitlist { wait_sk: String },
}

const NAMES: &[(&str, &str)] = &[
    ("#st", "status"),
    ("#cap", "capacity"),
    ("#taken", "taken"),
    ("#wl", "waitlisted"),
];

impl Store {
    pub async fn create_activity(
        &self,
        activity: &ActivityItem,
        copies: &[ActivityItem],
        shifts: &[ShiftItem],
    ) -> Result<(), StoreError> {
        let new = Some("attribute_not_exists(PK)");
        let mut ops = vec![put(to_item(activity)?, &self.table, new)?];
        for c in copies {
            ops.push(put(to_item(c)?, &self.table, new)?);
        }
        for sh in shifts {
            ops.push(put(to_item(sh)?, &self.table, new)?);
        }
        // Counted in the year of its first shift (trainings also as trainings).
        if let Some(first) = shifts.iter().map(|s| s.starts_at).min() {
            let year = i32::from(
                zhiyuan_shared::time::Timestamp::from_unix(first)
                    .cst_date()
                    .year,
            );
            let add = |c| CounterAdd::in_year(&activity.region_code, &activity.id, year, c, 1);
            let mut adds = vec![add(Counter::Activities)];
            if activity.is_training {
                adds.push(add(Counter::Trainings));
            }
            ops.extend(counter_ops(&self.table, &adds)?);
        }
        self.transact(ops).await
    }

    pub async fn get_activity(&self, id: &str) -> Result<Option<ActivityItem>, StoreError> {
        self.get_item(keys::activity_pk(id), keys::ACTIVITY_SK)
            .await
    }

    pub async fn get_shift(
        &self,
        activity_id: &str,
        n: u8,
    ) -> Result<Option<ShiftItem>, StoreError> {
        self.get_item(keys::activity_pk(activity_id), &keys::shift_sk(n))
            .await
    }

    /// An activity's shifts with their live counts (at most ten).
    pub async fn shifts_of(&self, activity_id: &str) -> Result<Vec<ShiftItem>, StoreError> {
        let (items, _) = self
            .query_page(
                KeyPrefix {
                    index: None,
                    pk_attr: PK,
                    pk: keys::activity_pk(activity_id),
                    sk_attr: SK,
                    sk_prefix: keys::SHIFT_PREFIX,
                },
                None,
                zhiyuan_shared::activity::MAX_SHIFTS,
            )
            .await?;
        Ok(items)
    }

    /// The live counts of the shifts of several activities, in one batch read.
    pub async fn shift_counts(
        &self,
        activities: &[&ActivityItem],
    ) -> Result<Vec<ShiftItem>, StoreError> {
        let wanted = activities
            .iter()
            .flat_map(|a| {
                a.shifts
                    .iter()
                    .map(|sh| (keys::activity_pk(&a.id), keys::shift_sk(sh.n)))
            })
            .collect();
        self.batch_get(wanted).await
    }

    /// A page of listing entries of one GSI4 partition ending at or after `from`.
    pub(crate) async fn activities_page(
        &self,
        partition: String,
        from: i64,
        filter: Option<Filter>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<ActivityItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec {
                index: Some("GSI4"),
                pk_attr: GSI4PK,
                pk: partition,
                sk_attr: GSI4SK,
                sort: SortKey::Between(keys::list_from(from), keys::LIST_END.into()),
                filter,
                descending: false,
            },
            resume,
            limit,
        )
        .await
    }

    /// Signs up: a confirmed place when `taken < capacity`, a waitlist entry when the shift
    /// is full. Fails at [`SHIFT_HAS_ROOM`] when the shift changed (filled, freed or was
    /// cancelled), at [`SIGNUP_IS_NEW`] when this person is signed up already, at
    /// [`USER_UNCHANGED`] when another of their sign-ups committed since they were read.
    pub async fn sign_up(&self, w: SignupWrite<'_>) -> Result<(), StoreError> {
        let shift_pk = w.shift.pk.clone();
        let shift_op = match w.wait {
            None => update_op(
                &self.table,
                shift_pk,
                &w.shift.sk,
                "SET #taken = #taken + :one",
                Some("#st = :open AND #taken < #cap"),
                &[("#st", "status"), ("#cap", "capacity"), ("#taken", "taken")],
                vec![
                    (":one", n(1)),
                    (":open", s(ActivityStatus::Published.slug())),
                ],
            )?,
            Some(_) => update_op(
                &self.table,
                shift_pk,
                &w.shift.sk,
                "SET #wl = #wl + :one",
                Some("#st = :open AND #taken >= #cap"),
                NAMES,
                vec![
                    (":one", n(1)),
                    (":open", s(ActivityStatus::Published.slug())),
                ],
            )?,
        };
        let user_op = update_op(
            &self.table,
            keys::user_pk(&w.signup.user_id),
            keys::USER_SK,
            "SET #seq = :next",
            Some("attribute_exists(PK) AND (attribute_not_exists(#seq) OR #seq = :seen)"),
            &[("#seq", "signup_seq")],
            vec![
                (":seen", n(w.user_seq_seen)),
                (":next", n(w.user_seq_seen + 1)),
            ],
        )?;
        let new = Some("attribute_not_exists(PK)");
        let mut ops = vec![
            shift_op,
            put(to_item(w.signup)?, &self.table, new)?,
            user_op,
            put(to_item(w.mine)?, &self.table, None)?,
        ];
        if let Some(wait) = w.wait {
            ops.push(put(to_item(wait)?, &self.table, new)?);
        }
        self.transact(ops).await
    }

    pub async fn get_signup(
        &self,
        activity_id: &str,
        n: u8,
        user_id: &str,
    ) -> Result<Option<SignupItem>, StoreError> {
        self.get_item(keys::activity_pk(activity_id), &keys::signup_sk(n, user_id))
            .await
    }

    /// The longest-waiting entry of a shift's waitlist.
    pub async fn first_waiting(
        &self,
        activity_id: &str,
        n: u8,
    ) -> Result<Option<WaitItem>, StoreError> {
        let prefix = keys::wait_prefix(n);
        let (mut items, _) = self
            .query_page::<WaitItem>(
                KeyPrefix {
                    index: None,
                    pk_attr: PK,
                    pk: keys::activity_pk(activity_id),
                    sk_attr: SK,
                    sk_prefix: &prefix,
                },
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
        shift: &ShiftItem,
        signup: &SignupItem,
        mine_sk: &str,
        how: CancelWrite<'_>,
    ) -> Result<(), StoreError> {
        let t = &self.table;
        let status_is = |st: SignupStatus| vec![(":was", s(st.slug()))];
        let mut ops: Vec<TransactWriteItem> = Vec::with_capacity(7);
        match &how {
            CancelWrite::FreePlace => {
                ops.push(update_op(
                    t,
                    shift.pk.clone(),
                    &shift.sk,
                    "SET #taken = #taken - :one",
                    Some("#taken > :zero AND #wl = :zero"),
                    &[("#taken", "taken"), ("#wl", "waitlisted")],
                    vec![(":one", n(1)), (":zero", n(0))],
                )?);
            }
            CancelWrite::Promote { .. } | CancelWrite::LeaveWaitlist { .. } => {
                ops.push(update_op(
                    t,
                    shift.pk.clone(),
                    &shift.sk,
                    "SET #wl = #wl - :one",
                    Some("#wl > :zero"),
                    &[("#wl", "waitlisted")],
                    vec![(":one", n(1)), (":zero", n(0))],
                )?);
            }
        }
        let was = match how {
            CancelWrite::LeaveWaitlist { .. } => SignupStatus::Waitlisted,
            _ => SignupStatus::Confirmed,
        };
        ops.push(delete_op(
            t,
            signup.pk.clone(),
            &signup.sk,
            Some("#st = :was"),
            &[("#st", "status")],
            status_is(was),
        )?);
        ops.push(delete_op(
            t,
            keys::user_pk(&signup.user_id),
            mine_sk,
            None,
            &[],
            vec![],
        )?);
        match how {
            CancelWrite::FreePlace => {}
            CancelWrite::LeaveWaitlist { wait_sk } => {
                ops.push(delete_op(
                    t,
                    shift.pk.clone(),
                    &wait_sk,
                    Some("attribute_exists(PK)"),
                    &[],
                    vec![],
                )?);
            }
            CancelWrite::Promote {
                wait,
                promoted_signup_sk,
                promoted_mine,
                notice,
            } => {
                ops.push(delete_op(
                    t,
                    wait.pk.clone(),
                    &wait.sk,
                    Some("attribute_exists(PK)"),
                    &[],
                    vec![],
                )?);
                ops.push(update_op(
                    t,
                    shift.pk.clone(),
                    &promoted_signup_sk,
                    "SET #st = :confirmed REMOVE wait_sk",
                    Some("#st = :was"),
                    &[("#st", "status")],
                    vec![
                        (":confirmed", s(SignupStatus::Confirmed.slug())),
                        (":was", s(SignupStatus::Waitlisted.slug())),
                    ],
                )?);
                ops.push(put(to_item(promoted_mine)?, t, None)?);
                ops.push(put(to_item(notice)?, t, None)?);
            }
        }
        self.transact(ops).await
    }

    /// One page of a shift's sign-ups (or, with `n = None`, of the whole activity's).
    pub async fn signups_page(
        &self,
        activity_id: &str,
        n: Option<u8>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<SignupItem>, Option<ResumeKey>), StoreError> {
        let prefix = n.map_or_else(|| keys::SIGNUP_PREFIX.to_string(), keys::signup_prefix);
        self.query_page(
            KeyPrefix {
                index: None,
                pk_attr: PK,
                pk: keys::activity_pk(activity_id),
                sk_attr: SK,
                sk_prefix: &prefix,
            },
            resume,
            limit,
        )
        .await
    }

    /// The volunteer's sign-ups starting within `[from, to]` (Unix seconds).
    pub async fn my_shifts_between(
        &self,
        user_id: &str,
        from: i64,
        to: i64,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<MyShiftItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec {
                index: None,
                pk_attr: PK,
                pk: keys::user_pk(user_id),
                sk_attr: SK,
                sort: SortKey::Between(keys::my_shift_from(from), keys::my_shift_from(to)),
                filter: None,
                descending: false,
            },
            resume,
            limit,
        )
        .await
    }

    /// Cancels a published activity with its copies and shifts, so no sign-up can commit
    /// after it; `ConditionFailed…` when it was cancelled already.
    pub async fn cancel_activity(
        &self,
        activity: &ActivityItem,
        copies: &[(String, String)],
        reason: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        let t = &self.table;
        let values = || {
            vec![
                (":c", s(ActivityStatus::Cancelled.slug())),
                (":r", s(reason)),
                (":at", n(at_ms)),
            ]
        };
        let mut ops = vec![update_op(
            t,
            activity.pk.clone(),
            &activity.sk,
            "SET #st = :c, cancel_reason = :r, cancelled_at = :at",
            Some("#st = :p"),
            &[("#st", "status")],
            values()
                .into_iter()
                .chain([(":p", s(ActivityStatus::Published.slug()))])
                .collect(),
        )?];
        for (pk, sk) in copies {
            ops.push(update_op(
                t,
                pk.clone(),
                sk,
                "SET #st = :c, cancel_reason = :r, cancelled_at = :at",
                None,
                &[("#st", "status")],
                values(),
            )?);
        }
        for sh in &activity.shifts {
            ops.push(update_op(
                t,
                activity.pk.clone(),
                &keys::shift_sk(sh.n),
                "SET #st = :c REMOVE GSI4PK, GSI4SK",
                None,
                &[("#st", "status")],
                vec![(":c", s(ActivityStatus::Cancelled.slug()))],
            )?);
        }
        self.transact(ops).await
    }

    /// Idempotent fan-out writes: notices with fixed ids, refreshed mirrors.
    pub async fn put_all<T: Serialize>(&self, items: &[T]) -> Result<(), StoreError> {
        let raw = items.iter().map(to_item).collect::<Result<Vec<_>, _>>()?;
        self.batch_put(raw).await
    }

    pub async fn notices_page(
        &self,
        user_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<NoticeItem>, Option<ResumeKey>), StoreError> {
        self.query_spec(
            QuerySpec {
                index: None,
                pk_attr: PK,
                pk: keys::user_pk(user_id),
                sk_attr: SK,
                sort: SortKey::Prefix(keys::NOTICE_PREFIX),
                filter: None,
                descending: true,
            },
            resume,
            limit,
        )
        .await
    }

    /// How many notices are newer than `seen`, counted up to `cap`.
    pub async fn unread_notices(
        &self,
        user_id: &str,
        seen: Option<&str>,
        cap: usize,
    ) -> Result<usize, StoreError> {
        // Any id sorts before itself followed by "0", and every later ULID after that.
        let lo = match seen {
            Some(id) => format!("{}0", keys::notice_sk(id)),
            None => keys::NOTICE_PREFIX.to_string(),
        };
        let (items, _) = self
            .query_spec::<NoticeItem>(
                QuerySpec {
                    index: None,
                    pk_attr: PK,
                    pk: keys::user_pk(user_id),
                    sk_attr: SK,
                    sort: SortKey::Between(lo, keys::NOTICE_END.into()),
                    filter: None,
                    descending: false,
                },
                None,
                cap,
            )
            .await?;
        Ok(items.len())
    }

    /// Marks every notice up to `latest` as seen.
    pub async fn mark_notices_seen(&self, user_id: &str, latest: &str) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .update_item()
            .table_name(&self.table)
            .key(PK, s(keys::user_pk(user_id)))
            .key(SK, s(keys::USER_SK))
            .update_expression("SET notices_seen = :id")
            .condition_expression(
                "attribute_exists(PK) AND (attribute_not_exists(notices_seen) OR notices_seen < :id)",
            )
            .expression_attribute_values(":id", s(latest))
            .send()
            .await
            .map_err(super::classify)
            .map(|_| ())
            .or_else(|e| match e {
                // Someone (another tab) marked a later notice seen first: nothing to do.
                StoreError::ConditionFailed => Ok(()),
                other => Err(other),
            })
    }

    /// Shifts of one local day whose reminder is due (start within `[from, to]`).
    pub async fn reminders_due(
        &self,
        cst_date: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<ShiftItem>, StoreError> {
        let (items, _) = self
            .query_spec(
                QuerySpec {
                    index: Some("GSI4"),
                    pk_attr: GSI4PK,
                    pk: keys::reminder_pk(cst_date),
                    sk_attr: GSI4SK,
                    sort: SortKey::Between(keys::list_from(from), keys::list_from(to)),
                    filter: None,
                    descending: false,
                },
                None,
                100,
            )
            .await?;
        Ok(items)
    }

    /// Takes a shift off the reminder queue once its reminders are written.
    pub async fn reminder_sent(&self, shift: &ShiftItem) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .update_item()
            .table_name(&self.table)
            .key(PK, s(shift.pk.clone()))
            .key(SK, s(shift.sk.clone()))
            .update_expression("REMOVE GSI4PK, GSI4SK")
            .condition_expression("attribute_exists(PK)")
            .send()
            .await
            .map_err(super::classify)?;
        Ok(())
    }
}

/// A filter on listing entries: `#st = published`, region prefix, field, start bound and
/// a bounding box, each only when asked for.
#[derive(Default)]
pub struct ListFilter {
    pub published_only: bool,
    pub region_prefix: Option<String>,
    pub field: Option<ServiceField>,
    pub starts_before: Option<i64>,
    /// (south, west, north, east)
    pub bbox: Option<(f64, f64, f64, f64)>,
}

impl ListFilter {
    pub(crate) fn build(self) -> Option<Filter> {
        let mut parts = Vec::new();
        let mut names = Vec::new();
        let mut values: Vec<(&'static str, AttributeValue)> = Vec::new();
        if self.published_only {
            parts.push("#st = :pub");
            names.push(("#st", "status"));
            values.push((":pub", s(ActivityStatus::Published.slug())));
        }
        if let Some(r) = self.region_prefix {
            parts.push("begins_with(region_code, :reg)");
            values.push((":reg", s(r)));
        }
        if let Some(f) = self.field {
            parts.push("service_field = :field");
            values.push((":field", s(f.slug())));
        }
        if let Some(t) = self.starts_before {
            parts.push("first_start <= :before");
            values.push((":before", n(t)));
        }
        if let Some((south, west, north, east)) = self.bbox {
            parts.push("lat BETWEEN :s AND :n AND lng BETWEEN :w AND :e");
            values.push((":s", n(south)));
            values.push((":n", n(north)));
            values.push((":w", n(west)));
            values.push((":e", n(east)));
        }
        (!parts.is_empty()).then(|| Filter {
            expression: parts.join(" AND "),
            names,
            values,
        })
    }
}
