//! "My hours": the volunteer's records with stars and perks.

use super::{Stars, hours_text, perk_label, record_status_key};
use crate::api::Authorized;
use crate::components::error::ErrorNotice;
use crate::components::recheck::{use_recheck, with_recheck};
use crate::components::signed_in::SignedIn;
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::record::{DisputeStatus, RecordSource, ServiceRecord};

#[component]
pub fn MyRecordsPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <MyRecordsView /> }.into_any() /> }
}

#[component]
fn MyRecordsView() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let token = session.token.get_untracked().unwrap_or_default();
    let data = {
        let token = token.clone();
        LocalResource::new(move || {
            let token = token.clone();
            async move { Authorized(&token).my_records().await }
        })
    };
    let message = RwSignal::new(None::<String>);
    let gate = use_recheck();
    let export = move |_| {
        spawn_local(async move {
            match with_recheck(gate, session, |t| async move {
                Authorized(&t).transfer_file().await
            })
            .await
            {
                Ok(f) => {
                    let text = serde_json::to_string_pretty(&f).unwrap_or_default();
                    crate::components::download::offer(
                        "zhiyuan-transfer.json",
                        "application/json",
                        &text,
                    );
                    message.set(Some(
                        t(lang.get_untracked(), "transfer_downloaded").to_string(),
                    ));
                }
                Err(e) => message.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("my_records")}</h1>
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(m)) => view! {
                    <div class="summary card">
                        <p class="big" data-testid="total-hours">{move || hours_text(lang.get(), m.total_hours)}</p>
                        <Stars level=m.star_level />
                        {m.hours_to_next_star.map(|h| view! { <p class="hint">{move || t(lang.get(), "to_next_star").replace("{h}", &h.to_string())}</p> })}
                        <h2>{tr("my_perks")}</h2>
                        {if m.perks.is_empty() {
                            view! { <p class="muted">{tr("no_perks_yet")}</p> }.into_any()
                        } else {
                            view! { <ul>{m.perks.iter().map(|p| { let k = p.id; view! { <li>{move || perk_label(lang.get(), k)}</li> } }).collect_view()}</ul> }.into_any()
                        }}
                        <A href=AppRoute::Perks.href()>{tr("perks_catalogue")}</A>
                    </div>
                    <p class="actions">
                        <A href=AppRoute::Certificate.href() attr:class="button primary">{tr("certificate")}</A>
                        <button type="button" on:click=export>{tr("export_transfer")}</button>
                        <A href=AppRoute::MyBackfills.href() attr:data-testid="apply-backfill">{tr("backfill_apply")}</A>
                    </p>
                    <p role="status" aria-live="polite">{move || message.get()}</p>
                    {
                        // Service and training apart: trainings are history, not hours.
                        let (trainings, service): (Vec<_>, Vec<_>) =
                            m.items.into_iter().partition(|r| r.training);
                        view! {
                            {if service.is_empty() {
                                view! { <p class="muted">{tr("no_records")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="card-list">
                                        {service.into_iter().map(|r| view! { <RecordCard record=r /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 id="training-history">{tr("training_history")}</h2>
                            {if trainings.is_empty() {
                                view! { <p class="muted">{tr("training_history_none")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="card-list" aria-labelledby="training-history" data-testid="training-history">
                                        {trainings.into_iter().map(|r| view! { <RecordCard record=r /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }
                    }
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RecordCard(record: ServiceRecord) -> impl IntoView {
    let lang = use_lang();
    let r = record;
    let title = r.activity_title.clone();
    let link = (!r.activity_id.is_empty()).then(|| AppRoute::Record(r.id.clone()).href());
    view! {
        <li class="card">
            {match link {
                Some(href) => view! { <A href=href attr:class="station-link">{title}</A> }.into_any(),
                None => view! { <strong>{title}</strong> }.into_any(),
            }}
            <span class="station-meta">{r.date.clone()} " · " {r.org_name.clone()}</span>
            <span>{move || hours_text(lang.get(), r.hours)}</span>
            <span class="badge">{move || t(lang.get(), record_status_key(r.status))}</span>
            {r.training.then(|| view! { <span class="badge">{tr("training")}</span> })}
            {(r.source == RecordSource::Backfill).then(|| view! { <span class="badge" data-testid="backfill-badge">{tr("backfill_badge")}</span> })}
            {r.transferred_from.clone().map(|o| view! { <span class="badge">{tr("transferred_in")} " " {o}</span> })}
            {r.dispute.clone().filter(|d| d.status == DisputeStatus::Open).map(|_| view! { <span class="badge warn">{tr("dispute_waiting")}</span> })}
        </li>
    }
}
