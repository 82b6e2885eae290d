//! The volunteer's check-in to a shift.

use crate::api::{self, ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::components::time::when;
use crate::i18n::{t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use wasm_bindgen::JsCast;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::record::{CheckinAction, CheckinRequest};

#[component]
pub fn CheckinPage() -> impl IntoView {
    let params = use_params_map();
    let shift = move || params.with(|p| p.get("shift").unwrap_or_default());
    view! { <SignedIn render=move |_me: Me| view! { <VolunteerCheckin shift=shift() /> }.into_any() /> }
}

/// The browser's position, once (None when refused or unavailable).
async fn position() -> Option<(f64, f64)> {
    let geo = web_sys::window()?.navigator().geolocation().ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = geo.get_current_position_with_error_callback(&resolve, Some(&reject));
    });
    let pos: web_sys::Position = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let c = pos.coords();
    Some((c.latitude(), c.longitude()))
}

#[component]
fn VolunteerCheckin(shift: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let query = use_query_map();
    let code = RwSignal::new(query.with_untracked(|q| q.get("code").unwrap_or_default()));
    let activity_id: String = shift.chars().take(26).collect();
    let activity = LocalResource::new(move || {
        let id = activity_id.clone();
        async move { api::activity(&id).await }
    });
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<zhiyuan_shared::record::CheckinResult, ApiError>>);
    let submit = {
        let shift = shift.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let token = session.token.get_untracked().unwrap_or_default();
            let shift = shift.clone();
            let needs_place = activity
                .get_untracked()
                .and_then(Result::ok)
                .is_some_and(|a| a.checkin_radius_m.is_some());
            busy.set(true);
            spawn_local(async move {
                let at = if needs_place { position().await } else { None };
                let req = CheckinRequest {
                    code: code.get_untracked(),
                    lat: at.map(|p| p.0),
                    lng: at.map(|p| p.1),
                };
                result.set(Some(Authorized(&token).check_in(&shift, &req).await));
                busy.set(false);
            });
        }
    };
    view! {
        <section class="page narrow">
            <h1>{tr("checkin_title")}</h1>
            {move || activity.get().and_then(Result::ok).map(|a| view! {
                <p><strong>{a.title.clone()}</strong> " · " {a.address.clone()}</p>
                {a.checkin_radius_m.map(|m| view! { <p class="hint">{move || t(lang.get(), "checkin_needs_location").replace("{m}", &m.to_string())}</p> })}
            })}
            <form class="form-stack" on:submit=submit novalidate>
                <div class="form-field">
                    <label for="f-code">{tr("checkin_code")}</label>
                    <input id="f-code" class="code-input" type="text" inputmode="numeric" autocomplete="one-time-code"
                        maxlength="7" aria-describedby="f-code-hint" prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                    <p class="hint" id="f-code-hint">{tr("checkin_code_hint")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr("checkin_submit")}</button>
            </form>
            <div role="status" aria-live="polite">
                {move || result.get().map(|r| match r {
                    Ok(r) => {
                        let key = if r.action == CheckinAction::CheckedIn { "checked_in_at" } else { "checked_out_at" };
                        let time = if r.action == CheckinAction::CheckedIn { r.record.check_in.clone() } else { r.record.check_out.clone() };
                        let hours = r.record.hours;
                        let out = r.action == CheckinAction::CheckedOut;
                        view! {
                            <p class="notice success">{move || t(lang.get(), key).replace("{time}", &time.as_deref().map(when).unwrap_or_default())}</p>
                            {out.then(|| view! { <p>{move || t(lang.get(), "hours_pending").replace("{h}", &hours.to_string())}</p> })}
                            <A href=AppRoute::MyRecords.href()>{tr("my_records")}</A>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                })}
            </div>
        </section>
    }
}
