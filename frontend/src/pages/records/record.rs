//! One record with its audit trail and dispute.

use super::{action_key, content, hours_text, record_status_key};
use crate::api::Authorized;
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::components::time::{span, when};
use crate::i18n::{t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::record::{DisputeStatus, RecordStatus};

#[component]
pub fn RecordPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    view! { <SignedIn render=move |me: Me| view! { <RecordView id=id() me=me /> }.into_any() /> }
}

#[component]
fn RecordView(id: String, me: Me) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let data = {
        let id = id.clone();
        LocalResource::new(move || {
            version.track();
            let token = session.token.get_untracked().unwrap_or_default();
            let id = id.clone();
            async move { Authorized(&token).record(&id).await }
        })
    };
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let dispute = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = session.token.get_untracked().unwrap_or_default();
        let id = id.clone();
        spawn_local(async move {
            let l = lang.get_untracked();
            match Authorized(&token)
                .record_reason(&id, "dispute", &reason.get_untracked())
                .await
            {
                Ok(_) => message.set(Some(t(l, "dispute_sent").to_string())),
                Err(e) => message.set(Some(e.message(l))),
            }
            version.update(|v| *v += 1);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("record")}</h1>
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(d)) => {
                    let r = d.record.clone();
                    let mine = r.user_id == me.user_id;
                    let can_dispute = mine && r.status != RecordStatus::Void
                        && r.dispute.as_ref().is_none_or(|d| d.status != DisputeStatus::Open);
                    let field = r.content.clone();
                    view! {
                        <dl class="facts">
                            <dt>{tr("activity")}</dt><dd>{r.activity_title.clone()}</dd>
                            <dt>{tr("organisation")}</dt><dd>{r.org_name.clone()}</dd>
                            <dt>{tr("service_content")}</dt><dd>{move || content(lang.get(), &field)}</dd>
                            <dt>{tr("address")}</dt><dd>{r.address.clone()}</dd>
                            <dt>{tr("shift")}</dt><dd>{span(&r.shift_starts_at, &r.shift_ends_at)}</dd>
                            <dt>{tr("check_in")}</dt><dd>{r.check_in.as_deref().map(when).unwrap_or_else(|| "—".into())}</dd>
                            <dt>{tr("check_out")}</dt><dd>{r.check_out.as_deref().map(when).unwrap_or_else(|| "—".into())}</dd>
                            <dt>{tr("hours")}</dt><dd>{move || hours_text(lang.get(), r.hours)}</dd>
                            <dt>{tr("status")}</dt><dd>{move || t(lang.get(), record_status_key(r.status))}</dd>
                            <dt>{tr("recorded_by")}</dt><dd>{r.recorded_by.clone()} " · " {when(&r.recorded_at)}</dd>
                        </dl>
                        {r.dispute.clone().map(|d| view! {
                            <div class="card">
                                <p>{tr("dispute")} ": " {d.reason.clone()}</p>
                                {d.answer.clone().map(|a| view! { <p>{tr("answer")} ": " {a}</p> })}
                            </div>
                        })}
                        <h2>{tr("audit_trail")}</h2>
                        <table class="audit">
                            <thead><tr><th scope="col">{tr("when")}</th><th scope="col">{tr("what")}</th><th scope="col">{tr("who")}</th><th scope="col">{tr("before_after")}</th><th scope="col">{tr("reason")}</th></tr></thead>
                            <tbody>
                                {d.audit.into_iter().map(|a| {
                                    let before = a.before.as_ref().map(|b| b.hours);
                                    let after = a.after.hours;
                                    view! {
                                        <tr>
                                            <td>{when(&a.at)}</td>
                                            <td>{move || t(lang.get(), action_key(a.action))}</td>
                                            <td>{a.by.clone()}</td>
                                            <td>{before.map(|b| format!("{b} → {after}")).unwrap_or_else(|| after.to_string())}</td>
                                            <td>{a.reason.clone().unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {can_dispute.then(|| view! {
                            <form class="form-stack" on:submit=dispute.clone()>
                                <div class="form-field">
                                    <label for="f-reason">{tr("dispute_reason")}</label>
                                    <textarea id="f-reason" required prop:value=move || reason.get()
                                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                                </div>
                                <button type="submit">{tr("send_dispute")}</button>
                            </form>
                        })}
                        <p role="status" aria-live="polite">{move || message.get()}</p>
                    }.into_any()
                }
            }}
        </section>
    }
}
