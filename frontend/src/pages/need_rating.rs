//! Rating needs (评单): on a done need, its poster's 评价 form (five stars as a native
//! radio group, each with its words, then an optional comment), then the rating as it
//! stands with the organizer's reply form once; on an organisation's page, its average,
//! count and recent ratings.

use crate::api::{self, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    FormAlert, FormError, TextField, field_message, focus_field, show_api_error,
};
use crate::components::time::when;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::need_rating::{NeedRating, OrgRatings, RatingInput, ReplyInput};

/// The words of each number of stars, 1 to 5.
const STAR_WORDS: [&str; 5] = [
    "rating_star_1",
    "rating_star_2",
    "rating_star_3",
    "rating_star_4",
    "rating_star_5",
];

/// "★★★★☆": drawn for the eye only; the words say the number.
fn glyphs(stars: u8) -> String {
    let n = usize::from(stars.min(5));
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

fn stars_words(lang: Lang, stars: u8) -> String {
    t(lang, "rating_n_stars").replace("{n}", &stars.to_string())
}

/// The rating panel of a done need: the form for its poster until rated, then the
/// rating, with the reply form for an organizer of the organisation that served it.
#[component]
pub fn NeedRatingPanel(need_id: String, mine: bool, ours: bool) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let id = need_id.clone();
    let rating = LocalResource::new(move || {
        version.track();
        let id = id.clone();
        async move { api::need_rating(&id).await }
    });
    view! {
        <section class="need-rating" aria-labelledby="need-rating-heading">
            <h2 id="need-rating-heading">{tr("rating_heading")}</h2>
            {move || match rating.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) if e.is_not_found() => if mine {
                    view! { <RateForm need_id=need_id.clone() version=version /> }.into_any()
                } else {
                    view! { <p class="muted">{tr("rating_none")}</p> }.into_any()
                },
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(r)) => {
                    let can_reply = ours && r.reply.is_none();
                    view! {
                        <RatingShown r=r />
                        {can_reply.then(|| view! { <ReplyForm need_id=need_id.clone() version=version /> })}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// One rating: its stars in words, who (masked) and when, the comment and the reply.
#[component]
fn RatingShown(r: NeedRating) -> impl IntoView {
    let lang = use_lang();
    let stars = r.stars;
    view! {
        <div class="rating-shown" data-testid="need-rating">
            <p class="rating-line">
                <span class="rating-glyphs" aria-hidden="true">{glyphs(stars)}</span>
                " "
                <span class="rating-words">{move || stars_words(lang.get(), stars)}</span>
            </p>
            <p class="muted">{r.rater.clone()} " · " {when(&r.rated_at)}</p>
            {r.comment.clone().map(|c| view! { <p class="rating-comment">{c}</p> })}
            {r.reply.clone().map(|reply| view! {
                <div class="rating-reply">
                    <p class="rating-reply-by">{tr("rating_reply_from")} " " {r.org_name.clone()}</p>
                    <p>{reply}</p>
                </div>
            })}
        </div>
    }
}

/// The poster's 评价: a star is required, a comment optional.
#[component]
fn RateForm(need_id: String, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let stars = RwSignal::new(None::<u8>);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let Some(n) = stars.get_untracked() else {
            error.set(Some(FormError::new("stars", field_message(l, "stars"))));
            focus_field("stars");
            return;
        };
        let input = RatingInput {
            stars: Some(i64::from(n)),
            comment: comment.get_untracked(),
        };
        let token = session.token.get_untracked().unwrap_or_default();
        let id = need_id.clone();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token).rate_need(&id, &input).await {
                Ok(_) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    let stars_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == "stars")
                .map(|e| e.message.clone())
        })
    });
    let options = (1u8..=5)
        .map(|n| {
            // The first radio carries the field's id, so focus can move to the group.
            let id = if n == 1 {
                "f-stars".to_string()
            } else {
                format!("f-stars-{n}")
            };
            let words = STAR_WORDS[usize::from(n - 1)];
            view! {
                <label class="rating-option">
                    <input type="radio" name="rating-stars" id=id value=n.to_string()
                        data-testid=format!("rating-star-{n}")
                        prop:checked=move || stars.get() == Some(n)
                        on:change=move |_| {
                            stars.set(Some(n));
                            // A choice answers the "choose the stars" message.
                            if error.with_untracked(|e| e.as_ref().is_some_and(|e| e.field == "stars")) {
                                error.set(None);
                            }
                        } />
                    <span class="rating-glyphs" aria-hidden="true">{glyphs(n)}</span>
                    <span class="rating-words">{move || t(lang.get(), words)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="form-stack rating-form" on:submit=submit novalidate>
            <FormAlert error=error />
            <fieldset class="form-field rating-stars" class:invalid=move || stars_error.with(Option::is_some)
                aria-describedby="f-stars-err">
                <legend>{tr("rating_stars")}</legend>
                <div class="rating-options">{options}</div>
                <p class="field-error" id="f-stars-err" hidden=move || stars_error.with(Option::is_none)>
                    {move || stars_error.get().unwrap_or_default()}
                </p>
            </fieldset>
            <TextField field="comment" label="rating_comment" value=comment error=error multiline=true
                hint="rating_comment_hint" />
            <button type="submit" class="primary" data-testid="rating-submit" disabled=move || busy.get()>
                {move || if busy.get() { tr("submitting")() } else { tr("rating_submit")() }}
            </button>
        </form>
    }
}

/// An organizer's one reply to the rating.
#[component]
fn ReplyForm(need_id: String, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        if text.with_untracked(|x| x.trim().is_empty()) {
            error.set(Some(FormError::new("text", field_message(l, "text"))));
            focus_field("text");
            return;
        }
        let input = ReplyInput {
            text: text.get_untracked(),
        };
        let token = session.token.get_untracked().unwrap_or_default();
        let id = need_id.clone();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token).reply_to_rating(&id, &input).await {
                Ok(_) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form-stack rating-form" on:submit=submit novalidate>
            <FormAlert error=error />
            <TextField field="text" label="rating_reply" value=text error=error multiline=true
                hint="rating_reply_hint" />
            <button type="submit" class="secondary" data-testid="rating-reply-submit" disabled=move || busy.get()>
                {move || if busy.get() { tr("submitting")() } else { tr("rating_reply_submit")() }}
            </button>
        </form>
    }
}

/// An organisation's ratings: its average and count (kept exact by the server) and its
/// most recent ratings.
#[component]
pub fn OrgRatingsSummary(org_id: String) -> impl IntoView {
    let ratings = LocalResource::new(move || {
        let id = org_id.clone();
        async move { api::org_ratings(&id).await }
    });
    view! {
        <section class="org-ratings" aria-labelledby="org-ratings-heading">
            <h2 id="org-ratings-heading">{tr("org_ratings")}</h2>
            {move || match ratings.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(r)) => view! { <OrgRatingsShown r=r /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn OrgRatingsShown(r: OrgRatings) -> impl IntoView {
    let lang = use_lang();
    if r.count == 0 {
        return view! { <p class="muted" data-testid="org-rating-average">{tr("org_ratings_none")}</p> }
            .into_any();
    }
    let (average, count) = (r.average, r.count);
    let rounded = average.round().clamp(0.0, 5.0) as u8;
    view! {
        <p class="rating-summary" data-testid="org-rating-average">
            <span class="rating-glyphs" aria-hidden="true">{glyphs(rounded)}</span>
            " "
            <span class="rating-average">{move || {
                t(lang.get(), "org_ratings_average")
                    .replace("{average}", &format!("{average:.1}"))
                    .replace("{count}", &count.to_string())
            }}</span>
        </p>
        <ul class="rating-list">
            {r.recent.into_iter().map(|x| view! {
                <li>
                    <p class="rating-need">{x.need_title.clone()}</p>
                    <RatingShown r=x />
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
