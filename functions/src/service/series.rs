//! Regular activities (常态化): a series publishes one activity per occurrence, each a
//! normal activity (its own shifts, places, sign-ups, records) with the series' shift
//! pattern moved to its date. Occurrences are published 8 weeks ahead; the scheduled job
//! tops up the rest. The organizer edits one occurrence (the ordinary edit) or it and
//! every later one (`scope=future`), and cancels one occurrence (the ordinary cancel) or
//! it and every later one; the volunteers signed up are told by those same paths.

use super::activities::{activity_cancelled, load, require_manager, view};
use super::activity_edits::{self, EditOutcome, Planned};
use super::{MAX_ATTEMPTS, looks_like_id};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::ActivityId;
use crate::notify::NoticeSender;
use crate::store::activities::ActivityItem;
use crate::store::series::{SeriesItem, SeriesRefused, occurrence_id};
use crate::store::{Store, StoreError, TxError, backoff};
use zhiyuan_shared::activity::{
    Activity, ActivityEditInput, ActivityStatus, EditOverlap, RefusedOccurrence, ShiftEditInput,
};
use zhiyuan_shared::series::{RepeatFreq, RepeatRule, StationSchedule, local_day};
use zhiyuan_shared::time::Timestamp;

fn not_in_series() -> ApiError {
    ApiError::conflict(
        "not_in_series",
        "this activity is not an occurrence of a regular activity",
    )
}

fn is_retryable(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::TransactionConflict | StoreError::Throttled | StoreError::Unavailable(_)
    )
}

/// `POST /api/activities` with `repeat`: writes the series with its first occurrence,
/// publishes the others due within the weeks ahead, and answers the first occurrence.
/// `template` is the activity as drafted (its id becomes the series id).
pub async fn publish(
    store: &Store,
    template: ActivityItem,
    rule: RepeatRule,
    now: Timestamp,
) -> Result<Activity, ApiError> {
    let series = SeriesItem {
        id: template.id.clone(),
        rule,
        start_day: local_day(template.first_start),
        template,
        next_index: 1,
        cancelled_from: None,
        version: 0,
    };
    let (first, shifts) = series.occurrence(0, &crate::clock::now_rfc3339());
    store.create_series(&series, &first, &shifts).await?;
    top_up(store, series, now).await?;
    Ok(view(first, &shifts, None))
}

/// Publishes the series' occurrences due by `now`; returns how many it published. Each
/// goes with the series' next index in one transaction over the version read, so two runs
/// never publish one twice: a run that loses reads the series again and goes on from there.
async fn top_up(store: &Store, mut series: SeriesItem, now: Timestamp) -> Result<usize, ApiError> {
    let mut published = 0;
    let mut attempt = 0;
    while series.next_index < series.occurrences() && series.due(series.next_index) <= now {
        let mut after = series.clone();
        after.next_index += 1;
        after.version += 1;
        let (occurrence, shifts) =
            series.occurrence(series.next_index, &crate::clock::now_rfc3339());
        match store
            .publish_occurrence(&series, &after, &occurrence, &shifts)
            .await
        {
            Ok(()) => {
                published += 1;
                series = after;
            }
            Err(TxError::Refused(SeriesRefused::Changed)) => {
                match store.get_series(&series.id).await? {
                    Some(s) => series = s,
                    None => break,
                }
            }
            Err(TxError::Store(e)) if is_retryable(&e) && attempt < MAX_ATTEMPTS => {
                attempt += 1;
                backoff(attempt).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(published)
}

/// The scheduled job's part: every series with an occurrence due publishes it (and any
/// others due). Safe to run twice, or twice at once.
pub async fn top_up_due(store: &Store, now: Timestamp) -> Result<usize, ApiError> {
    let mut published = 0;
    let mut resume = None;
    loop {
        let (page, next) = store.series_due(now, resume, 50).await?;
        for series in page {
            published += top_up(store, series, now).await?;
        }
        match next {
            Some(k) => resume = Some(k),
            None => return Ok(published),
        }
    }
}

/// The series an activity is an occurrence of, with its index.
async fn series_of(store: &Store, a: &ActivityItem) -> Result<(SeriesItem, u8), ApiError> {
    let link = a.series.as_ref().ok_or_else(not_in_series)?;
    let series = store
        .get_series(&link.series_id)
        .await?
        .ok_or_else(not_in_series)?;
    Ok((series, link.index))
}

/// Changes the series with `change` over the version read, reading again when another
/// writer came first; returns the series as saved.
async fn change_series(
    store: &Store,
    mut series: SeriesItem,
    change: impl Fn(&mut SeriesItem),
) -> Result<SeriesItem, ApiError> {
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            backoff(attempt).await;
        }
        let mut after = series.clone();
        change(&mut after);
        after.version += 1;
        match store.save_series(&series, &after).await {
            Ok(()) => return Ok(after),
            Err(TxError::Refused(SeriesRefused::Changed)) => {
                series = store
                    .get_series(&series.id)
                    .await?
                    .ok_or_else(not_in_series)?;
            }
            Err(TxError::Store(e)) if is_retryable(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Busy)
}

/// `POST /api/activities/{id}/series/cancel`: cancels this occurrence and every later one
/// (published or still to come); everyone signed up for them is told, as for a cancelled
/// activity. Repeating it re-sends what a failure left unsent, never twice to one person.
pub async fn cancel_future(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    reason: String,
) -> Result<Activity, ApiError> {
    let a = load(store, id).await?;
    require_manager(caller, &a)?;
    let (series, index) = series_of(store, &a).await?;
    let series = change_series(store, series, |s| {
        s.cancelled_from = Some(s.cancelled_from.map_or(index, |c| c.min(index)));
    })
    .await?;
    // Every occurrence published from here on; one already cancelled is told again only
    // what a failure left unsent.
    for i in index..series.next_index {
        let occurrence = occurrence_id(&series.id, i);
        super::activities::cancel_activity(store, sender, caller, &occurrence, reason.clone())
            .await?;
    }
    super::activities::get(store, id).await
}

/// The series' pattern taken from one occurrence as edited (`index`, `edited`): its
/// texts, and its shifts' times and places moved back to the template's day.
fn follow_occurrence(s: &mut SeriesItem, index: u8, edited: &ActivityItem) {
    let back = s.template.first_start.unix() - s.occurrence(index, "").0.first_start.unix();
    let t = &mut s.template;
    t.title = edited.title.clone();
    t.description = edited.description.clone();
    t.requirements = edited.requirements.clone();
    for shift in &mut t.shifts {
        if let Some(e) = edited.shifts.iter().find(|e| e.n == shift.n) {
            shift.starts_at = e.starts_at.plus(back);
            shift.ends_at = e.ends_at.plus(back);
            shift.capacity = e.capacity;
        }
    }
    if let Some(first) = t.shifts.iter().map(|s| s.starts_at).min() {
        t.first_start = first;
    }
    if let Some(until) = t.shifts.iter().map(|s| s.ends_at).max() {
        t.until = until;
    }
    if let Some(last) = t.shifts.iter().map(|s| s.starts_at).max()
        && t.deadline > last
    {
        t.deadline = last;
    }
}

/// The ordinary edit that makes a later occurrence as the pattern has it.
fn edit_input_of(want: &ActivityItem, confirm_overlaps: bool) -> ActivityEditInput {
    ActivityEditInput {
        title: want.title.clone(),
        description: want.description.clone(),
        requirements: want.requirements.clone(),
        shifts: want
            .shifts
            .iter()
            .map(|s| ShiftEditInput {
                id: s.id(&want.id),
                starts_at: s.starts_at.rfc3339_cst(),
                ends_at: s.ends_at.rfc3339_cst(),
                capacity: i64::from(s.capacity),
            })
            .collect(),
        confirm_overlaps,
    }
}

/// The later occurrences that cannot take the edit (answered as 409
/// `occurrences_refused`), each by its id, its start and the code it alone would have been
/// refused with, so the page can name them in the reader's language.
fn occurrences_refused(refused: &[(ActivityItem, ApiError)]) -> EditOutcome {
    EditOutcome::Refused(
        refused
            .iter()
            .map(|(a, e)| RefusedOccurrence {
                activity_id: a.id.to_string(),
                starts_at: a.first_start.rfc3339_cst(),
                code: e.code().to_string(),
            })
            .collect(),
    )
}

/// `PUT /api/activities/{id}?scope=future`: this occurrence and every later one published
/// take the edit (the later ones its texts, times of day and places), and so do those
/// still to come. All or nothing as far as the rules go: every occurrence is checked
/// first — a refusal of this one is answered as the ordinary edit's, the later ones'
/// are collected and answered together (409 `occurrences_refused`, naming each), and
/// overlaps anywhere are named together (409 `overlaps_found`; `confirm_overlaps` goes
/// on) — before anything is written. Then each occurrence is written conditional on the
/// version its check read. An occurrence already as asked plans nothing, so sending the
/// edit again after a failure part way (a lost connection) finishes the rest and edits
/// none twice.
pub async fn edit_future(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    id: &str,
    input: &ActivityEditInput,
    now: Timestamp,
) -> Result<EditOutcome, ApiError> {
    input.validate()?;
    let a = load(store, id).await?;
    if !caller.organizes(&a.org_id) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only the organisation's organizers may edit its activities",
        ));
    }
    if a.status != ActivityStatus::Published {
        return Err(activity_cancelled());
    }
    let (series, index) = series_of(store, &a).await?;
    // Check: this occurrence, then each later one as the new pattern makes it.
    let this = activity_edits::plan(store, caller, id, input, now).await?;
    let edited = match &this {
        Planned::Unchanged(a) => (**a).clone(),
        Planned::Overlaps(_, p) | Planned::Write(p) => p.after.clone(),
    };
    let mut pattern = series.clone();
    follow_occurrence(&mut pattern, index, &edited);
    let mut plans = vec![this];
    let mut refused = Vec::new();
    let checked_to = series.next_index.min(series.occurrences());
    for i in index + 1..checked_to {
        let (want, _) = pattern.occurrence(i, "");
        let Some(stored) = store.get_activity(&want.id).await? else {
            continue;
        };
        if stored.status != ActivityStatus::Published {
            continue;
        }
        let later = edit_input_of(&want, input.confirm_overlaps);
        match activity_edits::plan(store, caller, &want.id, &later, now).await {
            Ok(p) => plans.push(p),
            // A refusal is collected; a fault (the store busy) or a denial is answered.
            Err(e) if e.is_refusal() => refused.push((want, e)),
            Err(e) => return Err(e),
        }
    }
    if !refused.is_empty() {
        return Ok(occurrences_refused(&refused));
    }
    let overlaps: Vec<EditOverlap> = plans
        .iter()
        .flat_map(|p| match p {
            Planned::Overlaps(found, _) => found.clone(),
            _ => Vec::new(),
        })
        .collect();
    if !overlaps.is_empty() {
        return Ok(EditOutcome::Overlaps(overlaps));
    }
    // Write: the pattern (for occurrences still to come), then each occurrence checked.
    let saved = change_series(store, series, |s| follow_occurrence(s, index, &edited)).await?;
    for p in plans {
        if let Planned::Write(p) = p {
            activity_edits::apply(store, sender, *p, now).await?;
        }
    }
    // Occurrences the scheduled job published between the check and the pattern's write
    // were made from the old pattern: they are new, so nobody's sign-up is in the way.
    for i in checked_to..saved.next_index.min(saved.occurrences()) {
        let (want, _) = saved.occurrence(i, "");
        let later = edit_input_of(&want, true);
        activity_edits::edit(store, sender, caller, &want.id, &later, now).await?;
    }
    Ok(EditOutcome::Saved(Box::new(
        super::activities::get(store, id).await?,
    )))
}

fn hm(seconds: i64) -> String {
    let s = seconds.rem_euclid(86_400);
    format!("{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// A station's regular schedule: its series with occurrences still to come.
pub async fn schedule_of(
    store: &Store,
    station_id: &str,
) -> Result<Vec<StationSchedule>, ApiError> {
    if !looks_like_id(station_id) {
        return Ok(Vec::new());
    }
    let today = local_day(Timestamp::from_unix(crate::clock::now_unix()));
    let mut out = Vec::new();
    for s in store.series_at_station(station_id, 50).await? {
        let days = s.days();
        let len = usize::from(s.occurrences());
        let Some(next) = days.iter().take(len).position(|d| *d >= today) else {
            continue;
        };
        let (starts, ends) = s.times_of_day();
        let next = next as u8;
        out.push(StationSchedule {
            series_id: s.id.to_string(),
            title: s.template.title.clone(),
            org_name: s.template.org_name.clone(),
            freq: s.rule.freq,
            weekdays: s.rule.weekdays.clone(),
            day: (s.rule.freq == RepeatFreq::Monthly).then_some(s.rule.day),
            starts: hm(starts),
            ends: hm(ends),
            next_activity_id: (next < s.next_index).then(|| occurrence_id(&s.id, next).to_string()),
        });
    }
    Ok(out)
}

/// The id of occurrence `index` of series `series_id` (tests and tools).
pub fn occurrence_of(series_id: &str, index: u8) -> Option<String> {
    ActivityId::parse(series_id).map(|id| occurrence_id(&id, index).to_string())
}
