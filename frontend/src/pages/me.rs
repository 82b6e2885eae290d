//! "My account": profile with masked personal data (and the owner's "show" action),
//! roles, organisations, sign-out; and the real-name registration form.

use crate::api::{self, Authorized};
use crate::components::calendar::CalendarFeedCard;
use crate::components::error::ErrorNotice;
use crate::components::form::{
    CheckboxGroup, FormAlert, FormError, RegionSelect, TextField, field_message, focus_field,
    from_api,
};
use crate::components::names::ScopeName;
use crate::components::nav::MoreLinks;
use crate::components::recheck::{use_recheck, with_recheck};
use crate::components::signed_in::SignedIn;
use crate::components::time::today;
use crate::i18n::{Lang, field_label, group_label, role_label, t, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use zhiyuan_shared::account::{
    GUARDIAN_AGE, GuardianInput, Me, ServiceField, VolunteerGroup, VolunteerRequest,
};
use zhiyuan_shared::identity::{Gender, IdNumber, IdNumberError};

#[component]
pub fn MePage() -> impl IntoView {
    // On a phone "我的" is the tab that reaches every page the tab bar does not name.
    view! {
        <SignedIn render=move |me: Me| view! { <Profile me=me /> }.into_any() />
        <MoreLinks />
    }
}

#[component]
fn Profile(me: Me) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let token = session.token.get_untracked().unwrap_or_default();
    let revealed = RwSignal::new(None::<zhiyuan_shared::account::Revealed>);
    let reveal_error = RwSignal::new(None::<api::ApiError>);
    let gate = use_recheck();
    let toggle_reveal = move |_| {
        if revealed.get_untracked().is_some() {
            revealed.set(None);
            return;
        }
        spawn_local(async move {
            match with_recheck(
                gate,
                session,
                |t| async move { Authorized(&t).reveal().await },
            )
            .await
            {
                Ok(r) => {
                    reveal_error.set(None);
                    revealed.set(Some(r));
                }
                Err(e) => reveal_error.set(Some(e)),
            }
        });
    };
    let tok = token.clone();
    let orgs = LocalResource::new(move || {
        let tok = tok.clone();
        async move { Authorized(&tok).my_orgs().await }
    });
    let tok = token.clone();
    let logout = move |_| {
        let tok = tok.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = Authorized(&tok).logout().await;
            session.forget();
            navigate(&AppRoute::Home.href(), Default::default());
        });
    };
    let phone_masked = me.phone_masked.clone();
    let roles = me.roles.clone();
    let volunteer = me.volunteer.clone();
    let id_masked = volunteer.as_ref().map(|v| v.id_number_masked.clone());
    // An account a helper registered (代注册) that its owner has not taken over yet: the
    // owner signed in by code; point them to setting their own password.
    let not_taken_over = me
        .assisted
        .as_ref()
        .is_some_and(|a| a.taken_over_at.is_none());
    view! {
        <section class="page narrow">
            <h1 data-testid="me-title">{tr("me_title")}</h1>
            {not_taken_over.then(|| view! {
                <p class="callout" data-testid="assisted-takeover-hint">
                    {tr("assisted_me_hint")} " "
                    <A href=AppRoute::Takeover.href()>{tr("takeover_link")}</A>
                </p>
            })}
            <dl class="facts">
                <dt>{tr("display_name")}</dt><dd>{me.display_name.clone()}</dd>
                <dt>{tr("phone")}</dt>
                <dd class="pii">{move || revealed.get().map(|r| r.phone).unwrap_or_else(|| phone_masked.clone())}</dd>
                <dt>{tr("roles")}</dt>
                <dd>
                    <ul class="plain">
                        {volunteer.is_some().then(|| view! { <li>{tr("role_volunteer")}</li> })}
                        {roles.into_iter().map(|g| view! {
                            <li>{move || role_label(lang.get(), g.role)} " · " <ScopeName grant=g.clone() /></li>
                        }).collect_view()}
                        {(volunteer.is_none() && me.roles.is_empty()).then(|| view! { <li>{tr("role_none")}</li> })}
                    </ul>
                </dd>
                <dt>{tr("total_hours")}</dt><dd>{format!("{}", me.total_hours)} " " {tr("hours")}</dd>
                <dt>{tr("star_level")}</dt>
                <dd>{move || if me.star_level == 0 { t(lang.get(), "stars_none").to_string() } else { "★".repeat(me.star_level as usize) }}</dd>
            </dl>
            {match volunteer.clone() {
                None => view! {
                    <div class="callout">
                        <h2>{tr("become_volunteer")}</h2>
                        <p>{tr("become_volunteer_intro")}</p>
                        <A href=AppRoute::BecomeVolunteer.href() attr:class="button primary">{tr("become_volunteer")}</A>
                    </div>
                }.into_any(),
                Some(v) => view! {
                    <h2>{tr("volunteer_profile")}</h2>
                    <dl class="facts">
                        <dt>{tr("volunteer_no")}</dt><dd class="volunteer-no">{v.volunteer_no.clone()}</dd>
                        <dt>{tr("real_name")}</dt><dd>{v.real_name.clone()}</dd>
                        <dt>{tr("id_number")}</dt>
                        <dd class="pii id-number">{move || revealed.get().and_then(|r| r.id_number).unwrap_or_else(|| id_masked.clone().unwrap_or_default())}</dd>
                        <dt>{tr("gender")}</dt>
                        <dd>{move || t(lang.get(), if v.gender == Gender::Male { "gender_male" } else { "gender_female" })}</dd>
                        <dt>{tr("birth_date")}</dt><dd>{v.birth_date.clone()}</dd>
                        <dt>{tr("service_fields")}</dt>
                        <dd>{move || v.service_fields.iter().map(|f| field_label(lang.get(), *f)).collect::<Vec<_>>().join("、")}</dd>
                        {v.guardian_name.clone().map(|g| view! {
                            <dt>{tr("guardian_consent_label")}</dt>
                            <dd data-testid="guardian-consent-recorded">{tr("guardian_consent_recorded")} " · " {g}</dd>
                        })}
                    </dl>
                }.into_any(),
            }}
            <button type="button" class="reveal" data-testid="reveal" on:click=toggle_reveal aria-pressed=move || revealed.get().is_some().to_string()>
                {move || if revealed.get().is_some() { tr("hide_full")() } else { tr("show_full")() }}
            </button>
            {move || reveal_error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {volunteer.is_some().then(|| view! { <CalendarFeedCard /> })}
            <h2>{tr("my_orgs")}</h2>
            {move || match orgs.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{tr("my_orgs_none")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="plain my-orgs">
                        {list.into_iter().map(|m| view! {
                            <li>
                                <A href=AppRoute::Org(m.org_id.clone()).href()>{m.org_name.clone()}</A>
                                " · " {move || t(lang.get(), &format!("status_{}", m.status.slug()))}
                                {m.organizer.then(|| view! { " · " <span class="badge five">{tr("organizer_badge")}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <p><A href=AppRoute::Orgs.href()>{tr("nav_orgs")}</A> " · " <A href=AppRoute::NewOrg.href()>{tr("register_org")}</A></p>
            <p><A href=AppRoute::NoticeSettings.href()>{tr("nsms_title")}</A></p>
            <p><A href=AppRoute::Account.href() attr:data-testid="account-link">{tr("account_link")}</A></p>
            <p class="hint">{tr("logout_note")}</p>
            <button type="button" data-testid="logout" on:click=logout>{tr("logout")}</button>
        </section>
    }
}

pub(crate) fn id_message(lang: Lang, e: &IdNumberError) -> String {
    t(
        lang,
        match e {
            IdNumberError::Format => "err_id_format",
            IdNumberError::Checksum => "err_id_checksum",
            IdNumberError::BirthDate => "err_id_birth",
            IdNumberError::Region => "err_id_region",
        },
    )
    .to_string()
}

#[component]
pub fn VolunteerPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| match me {
            me if me.volunteer.is_some() => view! {
                <section class="page narrow"><p>{tr("code_already_volunteer")}</p>
                <A href=AppRoute::Me.href()>{tr("nav_me")}</A></section>
            }.into_any(),
            _ => view! { <VolunteerForm /> }.into_any(),
        } />
    }
}

#[component]
fn VolunteerForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let real_name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let fields = RwSignal::new(Vec::<String>::new());
    let groups = RwSignal::new(Vec::<String>::new());
    let skills = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let g_name = RwSignal::new(String::new());
    let g_phone = RwSignal::new(String::new());
    let g_relation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    // The number is someone else's: its real owner may appeal.
    let taken = RwSignal::new(false);
    let regions_res = LocalResource::new(api::regions);
    let regions = Signal::derive(move || {
        regions_res
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect::<Vec<_>>()
    });
    // Guardian fields appear as soon as the ID number says the person is under 14.
    let minor = Memo::new(move |_| {
        IdNumber::parse(&id_number.get(), today())
            .map(|id| id.birth_date().years_until(today()) < GUARDIAN_AGE)
            .unwrap_or(false)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let req = VolunteerRequest {
            real_name: real_name.get_untracked(),
            id_number: id_number.get_untracked(),
            region_code: region.get_untracked(),
            service_fields: fields.get_untracked(),
            groups: groups.get_untracked(),
            skills: skills
                .get_untracked()
                .split([',', '，', '、'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            consent: consent.get_untracked(),
            guardian: minor.get_untracked().then(|| GuardianInput {
                name: g_name.get_untracked(),
                phone: g_phone.get_untracked(),
                relation: g_relation.get_untracked(),
            }),
        };
        if let Err(e) = req.validate(today()) {
            let message = match (e.field, IdNumber::parse(&req.id_number, today())) {
                ("id_number", Err(id_err)) => id_message(l, &id_err),
                (f, _) => field_message(l, f),
            };
            error.set(Some(FormError::new(e.field, message)));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            match Authorized(&token).become_volunteer(&req).await {
                Ok(_) => {
                    error.set(None);
                    session.refresh();
                    navigate(&AppRoute::Me.href(), Default::default());
                }
                Err(e) => {
                    taken.set(e.code() == Some("id_number_taken"));
                    let fe = from_api(l, &e, &[("id_number_taken", "id_number")]);
                    focus_field(&fe.field);
                    error.set(Some(fe));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow">
            <h1>{tr("become_volunteer")}</h1>
            <p>{tr("become_volunteer_intro")}</p>
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                <TextField field="real_name" label="real_name" value=real_name error=error autocomplete="name" />
                <TextField field="id_number" label="id_number" value=id_number error=error hint="id_number_hint" />
                <Show when=move || taken.get()>
                    <p class="appeal-link" data-testid="appeal-link">
                        <A href=AppRoute::IdentityAppeal.href()
                            on:click=move |_| crate::pages::appeals::carry_over(real_name.get_untracked(), id_number.get_untracked())>
                            {tr("appeal_link")}
                        </A>
                    </p>
                </Show>
                <RegionSelect field="region_code" label="org_region" value=region error=error regions=regions />
                <CheckboxGroup field="service_fields" legend="service_fields" options=ServiceField::ALL
                    label=field_label slug=ServiceField::slug chosen=fields error=error />
                <CheckboxGroup field="groups" legend="groups" options=VolunteerGroup::ALL
                    label=group_label slug=VolunteerGroup::slug chosen=groups error=error hint="groups_hint" />
                <TextField field="skills" label="skills" value=skills error=error hint="skills_hint" />
                <Show when=move || minor.get()>
                    <fieldset class="form-field guardian">
                        <legend>{tr("guardian_title")}</legend>
                        <p class="hint">{tr("guardian_intro")}</p>
                        <TextField field="guardian.name" label="guardian_name" value=g_name error=error />
                        <TextField field="guardian.phone" label="guardian_phone" value=g_phone error=error input_type="tel" inputmode="numeric" />
                        <TextField field="guardian.relation" label="guardian_relation" value=g_relation error=error />
                    </fieldset>
                </Show>
                <div class="form-field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.field == "consent" || e.field == "guardian"))>
                    <label class="check consent">
                        <input type="checkbox" id="f-consent" prop:checked=move || consent.get()
                            on:change=move |ev| consent.set(event_target_checked(&ev)) />
                        <span>{tr("consent")}</span>
                    </label>
                    {move || error.get().filter(|e| e.field == "consent" || e.field == "guardian").map(|e| view! { <p class="field-error">{e.message}</p> })}
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr("volunteer_submit")() }}
                </button>
            </form>
        </section>
    }
}
