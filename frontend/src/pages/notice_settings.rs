//! 通知设置: which notices also come by SMS, and quiet hours (22:00–07:00 Beijing time,
//! when texts wait until morning). The in-app inbox always gets every notice.

use crate::api::Authorized;
use crate::components::error::ErrorNotice;
use crate::components::form::{CheckboxGroup, FormAlert, FormError, focus_field, from_api};
use crate::components::signed_in::SignedIn;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::notice_settings::{NoticeSettings, NoticeSettingsInput};

/// A notice kind as a person names it.
fn kind_label(lang: Lang, k: NoticeKind) -> &'static str {
    t(
        lang,
        match k {
            NoticeKind::Promoted => "nsms_promoted",
            NoticeKind::ActivityCancelled => "nsms_activity_cancelled",
            NoticeKind::Reminder => "nsms_reminder",
            NoticeKind::OrgApproved => "nsms_org_approved",
            NoticeKind::OrgRejected => "nsms_org_rejected",
            NoticeKind::MemberApproved => "nsms_member_approved",
            NoticeKind::NeedClaimed => "nsms_need_claimed",
            NoticeKind::NeedDone => "nsms_need_done",
            NoticeKind::IdentityAppealApproved => "nsms_identity_appeal_approved",
            NoticeKind::IdentityAppealRefused => "nsms_identity_appeal_refused",
            NoticeKind::IdentityMovedAway => "nsms_identity_moved_away",
            NoticeKind::ActivityChanged => "nsms_activity_changed",
            NoticeKind::NeedDispatched => "nsms_need_dispatched",
            NoticeKind::NeedDispatchedToOrg => "nsms_need_dispatched_to_org",
            NoticeKind::NeedAccepted => "nsms_need_accepted",
            NoticeKind::NeedReturned => "nsms_need_returned",
            NoticeKind::NeedRated => "nsms_need_rated",
            NoticeKind::BackfillApplied => "nsms_backfill_applied",
            NoticeKind::BackfillApproved => "nsms_backfill_approved",
            NoticeKind::BackfillRefused => "nsms_backfill_refused",
            NoticeKind::RatingReplied => "nsms_rating_replied",
        },
    )
}

#[component]
pub fn NoticeSettingsPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <SettingsLoader /> }.into_any() /> }
}

#[component]
fn SettingsLoader() -> impl IntoView {
    let session = use_session();
    let current = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).notice_settings().await }
    });
    view! {
        <section class="page narrow notice-settings">
            <h1>{tr("nsms_title")}</h1>
            <p class="hint">{tr("nsms_intro")}</p>
            {move || match current.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(s)) => view! { <SettingsForm initial=s /> }.into_any(),
            }}
            <p><A href=AppRoute::Notices.href()>{tr("notices")}</A> " · "
                <A href=AppRoute::Me.href()>{tr("nav_me")}</A></p>
        </section>
    }
}

#[component]
fn SettingsForm(initial: NoticeSettings) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let chosen = RwSignal::new(
        initial
            .sms
            .iter()
            .map(|k| k.slug().to_string())
            .collect::<Vec<_>>(),
    );
    let quiet = RwSignal::new(initial.quiet_hours);
    let error = RwSignal::new(None::<FormError>);
    // What was last saved; the confirmation shows while the form still says just that.
    let saved = RwSignal::new(None::<(Vec<String>, bool)>);
    let current = move || {
        let mut sms = chosen.get();
        sms.sort();
        (sms, quiet.get())
    };
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        saved.set(None);
        error.set(None);
        let token = session.token.get_untracked().unwrap_or_default();
        let input = NoticeSettingsInput {
            sms: chosen.get_untracked(),
            quiet_hours: quiet.get_untracked(),
        };
        spawn_local(async move {
            match Authorized(&token).save_notice_settings(&input).await {
                Ok(s) => {
                    let mut sms: Vec<String> = s.sms.iter().map(|k| k.slug().to_string()).collect();
                    sms.sort();
                    chosen.set(sms.clone());
                    quiet.set(s.quiet_hours);
                    saved.set(Some((sms, s.quiet_hours)));
                }
                Err(e) => {
                    let fe = from_api(lang.get_untracked(), &e, &[]);
                    let field = fe.field.clone();
                    error.set(Some(fe));
                    focus_field(&field);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form-stack notice-settings-form" on:submit=on_submit novalidate>
            <FormAlert error=error />
            <CheckboxGroup field="sms" legend="nsms_legend" options=NoticeKind::ALL
                label=kind_label slug=NoticeKind::slug chosen=chosen error=error
                hint="nsms_hint" />
            <fieldset class="form-field checks">
                <legend>{tr("nsms_quiet_legend")}</legend>
                <label class="check">
                    <input type="checkbox" id="f-quiet_hours" role="switch"
                        aria-describedby="f-quiet_hours-hint"
                        prop:checked=move || quiet.get()
                        on:change=move |ev| quiet.set(event_target_checked(&ev)) />
                    <span>{tr("nsms_quiet_label")}</span>
                </label>
                <p class="hint" id="f-quiet_hours-hint">{tr("nsms_quiet_hint")}</p>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {tr("nsms_save")}
                </button>
            </div>
            // Always in the page (a live region announces what appears in it); styled as a
            // notice only while it says something.
            <p role="status" aria-live="polite" data-testid="nsms-saved" class:notice=move || saved.get() == Some(current())
                class:success=move || saved.get() == Some(current())>
                {move || (saved.get() == Some(current())).then(|| t(lang.get(), "nsms_saved"))}
            </p>
        </form>
    }
}
