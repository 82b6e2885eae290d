//! Rating a done need (评单): the poster rates it once; an organizer of the organisation
//! that served it replies once; the organisation's page shows its average, count and
//! recent ratings; the region's satisfaction counters move with each rating.
//!
//! A rating is one transaction: the rating (only if the need has none), a check that the
//! need is done, the organisation's totals and the region's counters. So the totals are
//! exact whatever the concurrency, and are read, never recomputed from the ratings.

use super::looks_like_id;
use super::notices::{deliver, notice};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::NoticeId;
use crate::notify::NoticeSender;
use crate::store::need_ratings::{NeedRatingItem, RateRefused};
use crate::store::needs::NeedItem;
use crate::store::stats::{Counter, CounterAdd};
use crate::store::{Store, StoreError, TxError};
use zhiyuan_shared::need::NeedStatus;
use zhiyuan_shared::need_rating::{
    NeedRating, OrgRatings, RatingDraft, RatingInput, ReplyInput, Stars, average,
};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::org::OrgStatus;
use zhiyuan_shared::time::Timestamp;

/// How many ratings an organisation's page shows.
pub const RECENT_RATINGS: usize = 20;

fn need_not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no need with id {id}"))
}

fn no_rating(id: &str) -> ApiError {
    ApiError::NotFound(format!("the need {id} has no rating"))
}

pub(crate) fn view(r: &NeedRatingItem) -> NeedRating {
    NeedRating {
        need_id: r.need_id.to_string(),
        need_title: r.need_title.clone(),
        org_id: r.org_id.to_string(),
        org_name: r.org_name.clone(),
        stars: r.stars,
        comment: r.comment.clone(),
        rater: r.rater_name.clone(),
        rated_at: r.rated_at.clone(),
        reply: r.reply.clone(),
        replied_at: r.replied_at.clone(),
    }
}

/// The region counters one rating moves: one more rating in the year it was given, and
/// one more satisfied one for 4 or 5 stars.
pub fn rating_effect(r: &NeedRatingItem) -> Vec<CounterAdd> {
    let year = super::stats::year_of(r.rated_unix);
    let mut adds = vec![CounterAdd::in_year(
        &r.region_code,
        &r.need_id,
        year,
        Counter::Ratings,
        1,
    )];
    if Stars::new(i64::from(r.stars)).is_ok_and(Stars::satisfied) {
        adds.push(CounterAdd::in_year(
            &r.region_code,
            &r.need_id,
            year,
            Counter::RatingsSatisfied,
            1,
        ));
    }
    adds
}

fn rating_of(n: &NeedItem, d: &RatingDraft, now: Timestamp) -> Result<NeedRatingItem, ApiError> {
    let (Some(org_id), Some(org_name)) = (&n.claimed_by_org_id, &n.claimed_by_org_name) else {
        return Err(not_done());
    };
    Ok(NeedRatingItem {
        need_id: n.id.clone(),
        need_title: n.title.clone(),
        org_id: org_id.clone(),
        org_name: org_name.clone(),
        region_code: n.region_code.to_string(),
        stars: d.stars.get(),
        comment: d.comment.clone(),
        rated_by: n.posted_by.clone(),
        rater_name: n.poster_name.clone(),
        rated_at: now.rfc3339_cst(),
        rated_unix: now.unix(),
        reply: None,
        replied_by: None,
        replied_at: None,
    })
}

fn not_done() -> ApiError {
    ApiError::conflict(
        "need_not_done",
        "a need can be rated once the organisation has marked it done",
    )
}

fn already_rated() -> ApiError {
    ApiError::conflict("already_rated", "this need has been rated already")
}

/// The poster rates their done need, once. Sending the same rating again (a retry after
/// a lost answer) answers the rating that stands (`false`: nothing new); any other
/// second rating is refused 409 `already_rated`. Returns whether this call rated.
pub async fn rate(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    need_id: &str,
    input: &RatingInput,
    now: Timestamp,
) -> Result<(NeedRating, bool), ApiError> {
    if !looks_like_id(need_id) {
        return Err(need_not_found(need_id));
    }
    let draft = input.validate()?;
    let need = store
        .get_need(need_id)
        .await?
        .ok_or_else(|| need_not_found(need_id))?;
    if caller.id() != &need.posted_by {
        // A withdrawn need is hidden from others (as `GET /api/needs/{id}` hides it).
        if need.status == NeedStatus::Withdrawn {
            return Err(need_not_found(need_id));
        }
        return Err(ApiError::forbidden(
            "not_poster",
            "only the need's poster may rate it",
        ));
    }
    if need.status != NeedStatus::Done {
        return Err(not_done());
    }
    let item = rating_of(&need, &draft, now)?;
    for attempt in 0..super::MAX_ATTEMPTS {
        match store.rate_need(&item, &rating_effect(&item)).await {
            Ok(()) => {
                tell_organizers(store, sender, &item).await;
                return Ok((view(&item), true));
            }
            Err(TxError::Refused(RateRefused::AlreadyRated)) => {
                let existing = store
                    .get_need_rating(need_id)
                    .await?
                    .ok_or_else(already_rated)?;
                return if existing.stars == item.stars && existing.comment == item.comment {
                    Ok((view(&existing), false))
                } else {
                    Err(already_rated())
                };
            }
            Err(TxError::Refused(RateRefused::NotDone)) => return Err(not_done()),
            Err(TxError::Store(StoreError::TransactionConflict | StoreError::Throttled)) => {
                crate::store::backoff(attempt).await
            }
            Err(TxError::Store(e)) => return Err(e.into()),
        }
    }
    Err(ApiError::Busy)
}

/// Every organizer of the organisation hears of the new rating (the notice names the
/// need), as they hear of its other news.
async fn tell_organizers(store: &Store, sender: NoticeSender, r: &NeedRatingItem) {
    let organizers = match super::orgs::organizers_of(store, &r.org_id).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(error = %e, "the rated organisation's organizers were not read");
            return;
        }
    };
    let notices: Vec<_> = organizers
        .iter()
        .map(|o| {
            notice(
                o,
                // Sent only by the write that rated, so a retry sends no second one.
                NoticeId::generate(),
                NoticeKind::NeedRated,
                &r.need_title,
                format!("/needs/{}", r.need_id),
                None,
                None,
            )
        })
        .collect();
    deliver(store, sender, &notices).await;
}

/// The rater hears that the organisation replied (the notice leads to the need's page,
/// where the reply is shown).
async fn tell_rater(store: &Store, sender: NoticeSender, r: &NeedRatingItem) {
    let item = notice(
        &r.rated_by,
        // Sent only by the write that replied, so a retry sends no second one.
        NoticeId::generate(),
        NoticeKind::RatingReplied,
        &r.need_title,
        format!("/needs/{}", r.need_id),
        None,
        None,
    );
    deliver(store, sender, &[item]).await;
}

/// An organizer of the organisation that served the need replies to its rating, once.
/// The same reply again answers the rating as it stands; another is refused 409
/// `already_replied`.
pub async fn reply(
    store: &Store,
    sender: NoticeSender,
    caller: &Caller,
    need_id: &str,
    input: &ReplyInput,
    now: Timestamp,
) -> Result<NeedRating, ApiError> {
    if !looks_like_id(need_id) {
        return Err(need_not_found(need_id));
    }
    let text = input.validate()?;
    let rating = store
        .get_need_rating(need_id)
        .await?
        .ok_or_else(|| no_rating(need_id))?;
    if !caller.organizes(&rating.org_id) {
        return Err(ApiError::forbidden(
            "forbidden",
            "only an organizer of the organisation that served the need may reply",
        ));
    }
    let at = now.rfc3339_cst();
    match store
        .reply_to_rating(need_id, &text, caller.id(), &at)
        .await
    {
        Ok(()) => {
            let replied = NeedRatingItem {
                reply: Some(text),
                replied_by: Some(caller.id().clone()),
                replied_at: Some(at),
                ..rating
            };
            tell_rater(store, sender, &replied).await;
            Ok(view(&replied))
        }
        Err(StoreError::ConditionFailed) => {
            let now_stands = store
                .get_need_rating(need_id)
                .await?
                .ok_or_else(|| no_rating(need_id))?;
            if now_stands.reply.as_deref() == Some(text.as_str()) {
                Ok(view(&now_stands))
            } else {
                Err(ApiError::conflict(
                    "already_replied",
                    "this rating has a reply already",
                ))
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// A need's rating, for anyone who may see the need; 404 when it has none.
pub async fn get(store: &Store, need_id: &str) -> Result<NeedRating, ApiError> {
    if !looks_like_id(need_id) {
        return Err(need_not_found(need_id));
    }
    store
        .get_need_rating(need_id)
        .await?
        .map(|r| view(&r))
        .ok_or_else(|| no_rating(need_id))
}

/// An approved organisation's average, count and recent ratings: one item read for the
/// totals and one page of its ratings.
pub async fn of_org(
    store: &Store,
    caller: Option<&Caller>,
    org_id: &str,
) -> Result<OrgRatings, ApiError> {
    let missing = || ApiError::NotFound(format!("no organisation with id {org_id}"));
    if !looks_like_id(org_id) {
        return Err(missing());
    }
    let org = store.get_org(org_id).await?.ok_or_else(missing)?;
    // As the organisation's page: a pending or rejected one only to those who see it.
    if org.status != OrgStatus::Approved
        && !caller.is_some_and(|c| c.organizes(org_id) || c.administers(&org.region_code))
    {
        return Err(missing());
    }
    let (totals, recent) = tokio::try_join!(
        store.org_rating_totals(org_id),
        store.recent_org_ratings(org_id, RECENT_RATINGS),
    )?;
    Ok(OrgRatings {
        org_id: org_id.to_string(),
        count: totals.count,
        average: average(totals.stars_sum, totals.count),
        by_stars: totals.by_stars(),
        recent: recent.iter().map(view).collect(),
    })
}
