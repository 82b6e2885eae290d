//! 谁看过我的个人信息 / 个人信息查看记录: the personal-data trail, on 我的账号 (one's own)
//! and on the admin page (the people of each region the admin holds).

use crate::api::{ApiError, Authorized};
use crate::components::error::ErrorNotice;
use crate::components::names::RegionName;
use crate::components::time::when;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::audit::{PersonalDataAccess, PersonalDataView};

fn access_label(lang: Lang, a: PersonalDataAccess) -> &'static str {
    t(
        lang,
        match a {
            PersonalDataAccess::Reveal => "pdv_access_reveal",
            PersonalDataAccess::Export => "pdv_access_export",
            PersonalDataAccess::TransferExport => "pdv_access_transfer_export",
        },
    )
}

/// 我的账号's section: who saw my data.
#[component]
pub fn MyDataViews() -> impl IntoView {
    view! {
        <section class="pd-trail" aria-labelledby="pd-trail-mine">
            <h2 id="pd-trail-mine">{tr("pdv_title_mine")}</h2>
            <p class="muted">{tr("pdv_intro_mine")}</p>
            <Trail region=None heading_id="pd-trail-mine" />
        </section>
    }
}

/// The admin page's section for one region.
#[component]
pub fn RegionDataViews(scope: String) -> impl IntoView {
    let heading_id = format!("pd-trail-{scope}");
    let list_label = heading_id.clone();
    view! {
        <section class="pd-trail" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{tr("pdv_title_region")} " · " {tr("admin_scope")} " " <RegionName code=scope.clone() /></h2>
            <p class="muted">{tr("pdv_intro_region")}</p>
            <Trail region=Some(scope) heading_id=list_label />
        </section>
    }
}

/// The list, a page at a time ("load more").
#[component]
fn Trail(region: Option<String>, #[prop(into)] heading_id: String) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let items = RwSignal::new(Vec::<PersonalDataView>::new());
    let cursor = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(true);
    let loaded = RwSignal::new(false);
    let by_region = region.is_some();
    let load = move |from: String| {
        let token = session.token.get_untracked().unwrap_or_default();
        let region = region.clone();
        busy.set(true);
        spawn_local(async move {
            match Authorized(&token)
                .personal_data_views(region.as_deref(), &from)
                .await
            {
                Ok(p) => {
                    items.update(|i| i.extend(p.items));
                    cursor.set(p.next_cursor);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
            loaded.set(true);
        });
    };
    let first = load.clone();
    Effect::new(move |_| first(String::new()));
    view! {
        {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
        {move || {
            let list = items.get();
            if !loaded.get() {
                view! { <p role="status">{tr("loading")}</p> }.into_any()
            } else if list.is_empty() {
                view! { <p class="muted" role="status">{tr("pdv_empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list pd-trail-list" aria-labelledby=heading_id.clone() data-testid="pd-trail">
                        {list.into_iter().map(|v| {
                            let access = v.access;
                            let actor = if v.by_self { None } else { Some(v.actor_name.clone()) };
                            view! {
                                <li class="card pd-trail-entry">
                                    <span class="pd-trail-access">{move || access_label(lang.get(), access)}</span>
                                    " · " <span class="muted">{when(&v.at)}</span>
                                    <p class="pd-trail-who">
                                        {by_region.then(|| view! { {tr("pdv_subject")} ": " {v.subject_name.clone()} " · " })}
                                        {tr("pdv_actor")} ": "
                                        {match actor {
                                            Some(name) => view! { {name} }.into_any(),
                                            None => view! { {tr("pdv_self")} }.into_any(),
                                        }}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        {move || cursor.get().map(|c| {
            let more = load.clone();
            view! {
                <div class="actions">
                    <button type="button" class="secondary" disabled=move || busy.get()
                        on:click=move |_| more(c.clone())>{tr("load_more")}</button>
                </div>
            }
        })}
    }
}
