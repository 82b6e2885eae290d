//! The printable certificate, and the public page that verifies one.

use super::{content, hours_text, qr_svg};
use crate::api::{self, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use zhiyuan_shared::account::Me;

#[component]
pub fn CertificatePage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <CertificateView /> }.into_any() /> }
}

#[component]
fn CertificateView() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let query = use_query_map();
    let data = LocalResource::new(move || {
        let token = session.token.get_untracked().unwrap_or_default();
        let org = query.with(|q| q.get("org").unwrap_or_default());
        async move { Authorized(&token).certificate(&org).await }
    });
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let dash = |s: String| if s.is_empty() { "—".to_string() } else { s };
    view! {
        <section class="page certificate">
            {move || match data.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(c)) => {
                    let verify = format!("{origin}{}", AppRoute::Verify(c.verification_code.clone()).href());
                    let issuer_org = c.issuer.organisation.clone();
                    view! {
                        <h1>{tr("certificate_title")}</h1>
                        <p class="cert-no">{tr("certificate_no")} " " <span data-testid="cert-number">{c.number.clone()}</span></p>
                        <h2>{tr("cert_identity")}</h2>
                        <dl class="facts">
                            <dt>{tr("real_name")}</dt><dd>{c.holder.real_name.clone()}</dd>
                            <dt>{tr("id_type")}</dt><dd>{tr("resident_id")}</dd>
                            <dt>{tr("id_number")}</dt><dd>{c.holder.id_masked.clone()}</dd>
                            <dt>{tr("volunteer_no")}</dt><dd>{c.holder.volunteer_no.clone()}</dd>
                        </dl>
                        <h2>{tr("cert_service")}</h2>
                        <table class="audit">
                            <thead><tr><th scope="col">{tr("date")}</th><th scope="col">{tr("organisation")}</th><th scope="col">{tr("activity")}</th><th scope="col">{tr("service_content")}</th><th scope="col">{tr("hours")}</th></tr></thead>
                            <tbody>
                                {c.records.iter().map(|l| {
                                    let field = l.content.clone();
                                    let backfill = l.backfill;
                                    view! {
                                        <tr><td>{l.date.clone()}</td><td>{l.org_name.clone()}</td><td>{l.activity_title.clone()}
                                            {backfill.then(|| view! { " " <span class="badge" data-testid="cert-backfill">{tr("backfill_badge")}</span> })}</td>
                                            <td>{move || content(lang.get(), &field)}</td><td>{l.hours}</td></tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="big">{tr("total_hours")} " " <span data-testid="cert-total">{move || hours_text(lang.get(), c.total_hours)}</span></p>
                        <h2>{tr("cert_issuer")}</h2>
                        <dl class="facts">
                            <dt>{tr("issuing_org")}</dt>
                            <dd>{move || if issuer_org.is_empty() { t(lang.get(), "platform_issuer").to_string() } else { issuer_org.clone() }}</dd>
                            <dt>{tr("person_in_charge")}</dt><dd>{dash(c.issuer.person_in_charge.clone())}</dd>
                            <dt>{tr("handling_officer")}</dt><dd>{dash(c.issuer.handling_officer.clone())}</dd>
                            <dt>{tr("contact")}</dt><dd>{dash(c.issuer.contact.clone())}</dd>
                            <dt>{tr("issued_on")}</dt><dd>{c.issued_on.clone()}</dd>
                            <dt>{tr("verification_code")}</dt><dd data-testid="cert-code">{c.verification_code.clone()}</dd>
                        </dl>
                        <div class="qr" role="img" aria-label=tr("qr_verify_label") inner_html=qr_svg(&verify)></div>
                        <p class="hint">{tr("verify_hint")} " " <A href=AppRoute::Verify(c.verification_code.clone()).href()>{verify.clone()}</A></p>
                        <button type="button" class="primary no-print" on:click=print>{tr("print")}</button>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let navigate = use_navigate();
    let typed = RwSignal::new(params.with_untracked(|p| p.get("code").unwrap_or_default()));
    let result = LocalResource::new(move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        async move {
            if code.is_empty() {
                None
            } else {
                Some(api::verify_certificate(&code).await)
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = typed.get_untracked().trim().to_string();
        if !code.is_empty() {
            navigate(&AppRoute::Verify(code).href(), Default::default());
        }
    };
    view! {
        <section class="page narrow">
            <h1>{tr("verify_title")}</h1>
            <form class="form-stack" on:submit=submit>
                <div class="form-field">
                    <label for="f-verify">{tr("verification_code")}</label>
                    <input id="f-verify" type="text" autocomplete="off" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{tr("verify")}</button>
            </form>
            <div role="status" aria-live="polite">
                {move || result.get().flatten().map(|r| match r {
                    Ok(c) => {
                        let issuer = c.issuer.clone();
                        view! {
                            <div class="notice success" data-testid="verified">
                                <p><strong>{tr("certificate_valid")}</strong></p>
                                <dl class="facts">
                                    <dt>{tr("certificate_no")}</dt><dd>{c.number.clone()}</dd>
                                    <dt>{tr("real_name")}</dt><dd>{c.holder_name.clone()}</dd>
                                    <dt>{tr("volunteer_no")}</dt><dd>{c.volunteer_no.clone()}</dd>
                                    <dt>{tr("total_hours")}</dt><dd>{move || hours_text(lang.get(), c.total_hours)}</dd>
                                    <dt>{tr("record_count")}</dt><dd>{c.record_count}</dd>
                                    <dt>{tr("issuing_org")}</dt>
                                    <dd>{move || if issuer.is_empty() { t(lang.get(), "platform_issuer").to_string() } else { issuer.clone() }}</dd>
                                    <dt>{tr("issued_on")}</dt><dd>{c.issued_on.clone()}</dd>
                                </dl>
                            </div>
                        }.into_any()
                    }
                    Err(e) if e.is_not_found() => view! { <p class="notice error" role="alert">{tr("certificate_unknown")}</p> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                })}
            </div>
        </section>
    }
}
