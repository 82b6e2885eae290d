//! The in-app inbox: promotions from a waitlist, cancellations, reminders, decisions.

use crate::api::Authorized;
use crate::components::error::ErrorNotice;
use crate::components::signed_in::SignedIn;
use crate::components::time::when;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use zhiyuan_shared::account::Me;
use zhiyuan_shared::notice::{Notice, NoticeKind};

/// One notice in words.
fn sentence(lang: Lang, n: &Notice) -> String {
    let key = match n.kind {
        NoticeKind::Promoted => "notice_promoted",
        NoticeKind::ActivityCancelled => "notice_activity_cancelled",
        NoticeKind::Reminder => "notice_reminder",
        NoticeKind::OrgApproved => "notice_org_approved",
        NoticeKind::OrgRejected => "notice_org_rejected",
        NoticeKind::MemberApproved => "notice_member_approved",
        NoticeKind::NeedClaimed => "notice_need_claimed",
        NoticeKind::NeedDone => "notice_need_done",
        NoticeKind::IdentityAppealApproved => "notice_identity_appeal_approved",
        NoticeKind::IdentityAppealRefused => "notice_identity_appeal_refused",
        NoticeKind::IdentityMovedAway => "notice_identity_moved_away",
        NoticeKind::ActivityChanged => "notice_activity_changed",
        NoticeKind::NeedDispatched => "notice_need_dispatched",
        NoticeKind::NeedDispatchedToOrg => "notice_need_dispatched_to_org",
        NoticeKind::NeedAccepted => "notice_need_accepted",
        NoticeKind::NeedReturned => "notice_need_returned",
        NoticeKind::NeedRated => "notice_need_rated",
        NoticeKind::BackfillApplied => "notice_backfill_applied",
        NoticeKind::BackfillApproved => "notice_backfill_approved",
        NoticeKind::BackfillRefused => "notice_backfill_refused",
        NoticeKind::RatingReplied => "notice_rating_replied",
    };
    let mut s = t(lang, key).replace("{subject}", &n.subject);
    if let Some(at) = &n.starts_at {
        s = s.replace("{time}", &when(at));
    }
    if let Some(r) = &n.reason {
        s.push_str(&format!(" {}{r}", t(lang, "reason_prefix")));
    }
    s
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    view! { <SignedIn render=move |_me: Me| view! { <Inbox /> }.into_any() /> }
}

#[component]
fn Inbox() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let inbox = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        version.track();
        async move { Authorized(&token).notices().await }
    });
    let mark_read = move |_| {
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            let _ = Authorized(&token).mark_notices_read().await;
            version.update(|v| *v += 1);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("notices")}</h1>
            <p><A href=crate::pages::AppRoute::NoticeSettings.href()>{tr("nsms_title")}</A></p>
            {move || match inbox.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(n)) if n.items.is_empty() => view! { <p class="muted">{tr("notices_none")}</p> }.into_any(),
                Some(Ok(n)) => view! {
                    <p role="status">{move || format!("{} {}", t(lang.get(), "unread"), n.unread)}</p>
                    <button type="button" on:click=mark_read disabled=n.unread == 0>{tr("mark_all_read")}</button>
                    <ul class="card-list notices">
                        {n.items.into_iter().map(|item| {
                            let unread = item.unread;
                            let link = item.link.clone();
                            view! {
                                <li class="card" class:unread=unread>
                                    {unread.then(|| view! { <span class="badge">{tr("new")}</span> })}
                                    <A href=link>{move || sentence(lang.get(), &item)}</A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
