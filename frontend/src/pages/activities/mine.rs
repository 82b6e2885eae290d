//! "My activities": the shifts the volunteer signed up for.

use super::status_key;
use crate::api::Authorized;
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::components::time::span;
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};

#[component]
pub fn MyActivitiesPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <MyActivities /> }.into_any() /> }
}

#[component]
fn MyActivities() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        version.track();
        async move { Authorized(&token).my_activities().await }
    });
    let message = RwSignal::new(None::<String>);
    view! {
        <section class="page narrow">
            <h1>{tr("my_activities")}</h1>
            <p role="status" aria-live="polite">{move || message.get()}</p>
            {move || match list.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <p class="muted">{tr("my_activities_none")}</p>
                    <A href=AppRoute::Activities.href()>{tr("find_activities")}</A>
                }.into_any(),
                Some(Ok(p)) => view! {
                    <ul class="card-list">
                        {p.items.into_iter().map(|m| {
                            let sid = m.shift_id.clone();
                            let st = m.status;
                            let gone = m.activity_status == ActivityStatus::Cancelled;
                            let cancel = move |_| {
                                let token = session.token.get_untracked().unwrap_or_default();
                                let sid = sid.clone();
                                spawn_local(async move {
                                    let l = lang.get_untracked();
                                    match Authorized(&token).cancel_signup(&sid).await {
                                        Ok(()) => message.set(Some(t(l, "signup_cancelled").to_string())),
                                        Err(e) => message.set(Some(e.message(l))),
                                    }
                                    version.update(|v| *v += 1);
                                });
                            };
                            view! {
                                <li class="card">
                                    <A href=AppRoute::Activity(m.activity_id.clone()).href() attr:class="station-link">{m.title.clone()}</A>
                                    <span class="station-meta">{span(&m.starts_at, &m.ends_at)} " · " {m.address.clone()}</span>
                                    <span class="badge">{move || t(lang.get(), if gone { "activity_cancelled" } else { status_key(st) })}</span>
                                    {(!gone && st == SignupStatus::Confirmed).then(|| view! {
                                        <A href=AppRoute::Checkin(m.shift_id.clone()).href()>{tr("checkin_title")}</A>
                                    })}
                                    {(!gone).then(|| view! { <button type="button" on:click=cancel>{tr("cancel_signup")}</button> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
