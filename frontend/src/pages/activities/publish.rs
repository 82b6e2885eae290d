//! Publishing an activity with its shifts, and the same form editing one (its texts and
//! the times and places of shifts that have not started).

use super::use_banners;
use crate::api::{self, ApiError, Authorized};
use crate::components::enum_select::EnumSelect;
use crate::components::form::{
    CheckboxGroup, FormAlert, FormError, RegionSelect, TextField, field_message, focus_field,
    show_api_error,
};
use crate::components::signed_in::SignedIn;
use crate::components::time::{self, local_to_rfc3339};
use crate::i18n::{field_label, t, target_label, tr, use_lang};
use crate::pages::AppRoute;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use zhiyuan_shared::account::{Me, ServiceField};
use zhiyuan_shared::activity::{
    Activity, ActivityEditInput, ActivityInput, EditOverlap, RefusedOccurrence, ServiceTarget,
    ShiftEditInput, ShiftInput,
};
use zhiyuan_shared::series::RepeatInput;

/// The weekdays a weekly series can take, 1 (Monday) to 7 (Sunday).
const WEEKDAYS: &[u8] = &[1, 2, 3, 4, 5, 6, 7];

fn weekday_label(lang: crate::i18n::Lang, day: u8) -> &'static str {
    crate::pages::station::weekday_name(lang, day)
}

fn weekday_slug(day: u8) -> &'static str {
    ["1", "2", "3", "4", "5", "6", "7"][usize::from(day.clamp(1, 7)) - 1]
}

#[component]
pub fn NewActivityPage() -> impl IntoView {
    view! {
        <SignedIn render=move |me: Me| {
            let orgs: Vec<String> = me.roles.iter()
                .filter(|g| g.role == zhiyuan_shared::account::Role::Organizer)
                .map(|g| g.scope.clone())
                .collect();
            if orgs.is_empty() {
                view! { <section class="page narrow"><p role="alert">{tr("organizers_only")}</p></section> }.into_any()
            } else {
                view! { <NewActivityForm /> }.into_any()
            }
        } />
    }
}

/// `/activities/:id/edit`: the publish form in edit mode, for the organisation's organizers.
#[component]
pub fn EditActivityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let activity = LocalResource::new(move || {
        let id = id();
        async move { api::activity(&id).await }
    });
    view! {
        <SignedIn render=move |_me: Me| view! {
            {move || match activity.get() {
                None => view! { <section class="page narrow"><p role="status">{tr("loading")}</p></section> }.into_any(),
                Some(Err(e)) => view! { <section class="page narrow"><crate::components::error::ErrorNotice error=e /></section> }.into_any(),
                Some(Ok(a)) if !use_session().organizes(&a.org_id) => view! {
                    <section class="page narrow"><p role="alert">{tr("organizers_only")}</p></section>
                }.into_any(),
                Some(Ok(a)) => view! { <NewActivityForm editing=a /> }.into_any(),
            }}
        }.into_any() />
    }
}

#[derive(Clone, Copy)]
struct ShiftFields {
    /// The shift's id when editing; empty for a new one.
    id: StoredValue<String>,
    /// A shift that has started cannot change.
    locked: bool,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    places: RwSignal<String>,
}

impl ShiftFields {
    fn blank() -> Self {
        Self {
            id: StoredValue::new(String::new()),
            locked: false,
            starts: RwSignal::new(String::new()),
            ends: RwSignal::new(String::new()),
            places: RwSignal::new("10".to_string()),
        }
    }
}

#[component]
fn NewActivityForm(#[prop(optional)] editing: Option<Activity>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let my_orgs = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        async move { Authorized(&token).my_orgs().await.unwrap_or_default() }
    });
    let org = RwSignal::new(query.read_untracked().get("org").unwrap_or_default());
    let edit_id = editing.as_ref().map(|a| a.id.clone());
    let creating = edit_id.is_none();
    let title = RwSignal::new(
        editing
            .as_ref()
            .map(|a| a.title.clone())
            .unwrap_or_default(),
    );
    let description = RwSignal::new(
        editing
            .as_ref()
            .map(|a| a.description.clone())
            .unwrap_or_default(),
    );
    let field = RwSignal::new(String::new());
    let targets = RwSignal::new(Vec::<String>::new());
    let region = RwSignal::new(String::new());
    let station = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let min_age = RwSignal::new(String::new());
    let requirements = RwSignal::new(
        editing
            .as_ref()
            .map(|a| a.requirements.clone())
            .unwrap_or_default(),
    );
    let radius = RwSignal::new(String::new());
    let training = RwSignal::new(false);
    let now = time::now();
    let shifts = RwSignal::new(match &editing {
        None => vec![ShiftFields::blank()],
        Some(a) => a
            .shifts
            .iter()
            .map(|s| ShiftFields {
                id: StoredValue::new(s.id.clone()),
                locked: zhiyuan_shared::time::Timestamp::parse(&s.starts_at)
                    .is_ok_and(|at| at <= now),
                starts: RwSignal::new(time::to_local_input(&s.starts_at)),
                ends: RwSignal::new(time::to_local_input(&s.ends_at)),
                places: RwSignal::new(s.capacity.to_string()),
            })
            .collect(),
    });
    // Shifts as they were, so unchanged ones go back exactly as the server has them.
    let original = StoredValue::new(
        editing
            .as_ref()
            .map(|a| a.shifts.clone())
            .unwrap_or_default(),
    );
    // Regular activities: the repeat rule when publishing ("" for none), and when editing
    // an occurrence whether every later one changes too.
    let repeat_freq = RwSignal::new(String::new());
    let repeat_weekdays = RwSignal::new(Vec::<String>::new());
    let repeat_day = RwSignal::new(String::new());
    let repeat_count = RwSignal::new("8".to_string());
    let in_series = editing.as_ref().is_some_and(|a| a.series.is_some());
    let edit_future = RwSignal::new(false);
    let overlaps = RwSignal::new(None::<Vec<EditOverlap>>);
    let refused = RwSignal::new(None::<Vec<RefusedOccurrence>>);
    let error = RwSignal::new(None::<FormError>);
    let busy = RwSignal::new(false);
    let banners = use_banners();
    // Made from a claimed need (供需对接): its words, place and people fill the form.
    let need_id = query.read_untracked().get("need").unwrap_or_default();
    let need_at = RwSignal::new(None::<(f64, f64)>);
    if !need_id.is_empty() {
        let id = need_id.clone();
        let token = session.token.get_untracked();
        spawn_local(async move {
            if let Ok(n) = api::need(&id, token.as_deref()).await {
                title.set(n.title.clone());
                description.set(format!("{}\n{}", n.description, n.when));
                region.set(n.region_code.clone());
                targets.set(vec![n.service_target.slug().to_string()]);
                // The claiming organisation sees the exact place; anyone else the area.
                match &n.place {
                    Some(p) => {
                        address.set(p.address.clone());
                        need_at.set(Some((p.lat, p.lng)));
                    }
                    None => need_at.set(Some((n.lat, n.lng))),
                }
            }
        });
    }
    let stations = LocalResource::new(move || {
        let r = region.get();
        async move {
            if r.is_empty() {
                return Vec::new();
            }
            let f = api::StationFilter {
                region: r,
                ..Default::default()
            };
            api::stations_in_region(&f).await.unwrap_or_default()
        }
    });
    let save_edit = {
        let navigate = navigate.clone();
        let edit_id = edit_id.clone().unwrap_or_default();
        move |confirm: bool| {
            let l = lang.get_untracked();
            let input = ActivityEditInput {
                title: title.get_untracked(),
                description: description.get_untracked(),
                requirements: requirements.get_untracked(),
                shifts: shifts
                    .get_untracked()
                    .iter()
                    .map(|s| {
                        let id = s.id.get_value();
                        let was = original.with_value(|o| o.iter().find(|x| x.id == id).cloned());
                        let at = |local: &str, old: Option<&String>| match old {
                            // An untouched time goes back as the server wrote it.
                            Some(o) if time::to_local_input(o) == local => o.clone(),
                            _ => local_to_rfc3339(local),
                        };
                        ShiftEditInput {
                            starts_at: at(
                                &s.starts.get_untracked(),
                                was.as_ref().map(|w| &w.starts_at),
                            ),
                            ends_at: at(&s.ends.get_untracked(), was.as_ref().map(|w| &w.ends_at)),
                            capacity: s.places.get_untracked().trim().parse().unwrap_or(0),
                            id,
                        }
                    })
                    .collect(),
                confirm_overlaps: confirm,
            };
            if let Err(e) = input.validate() {
                let msg = if e.field == "shifts" {
                    format!("{} {}", field_message(l, e.field), e.reason)
                } else {
                    field_message(l, e.field)
                };
                error.set(Some(FormError::new(e.field, msg)));
                focus_field(if e.field == "shifts" {
                    "shift-0-starts"
                } else {
                    e.field
                });
                return;
            }
            busy.set(true);
            error.set(None);
            let token = session.token.get_untracked().unwrap_or_default();
            let navigate = navigate.clone();
            let id = edit_id.clone();
            spawn_local(async move {
                let future = edit_future.get_untracked();
                match Authorized(&token)
                    .edit_activities(&id, &input, future)
                    .await
                {
                    Ok(api::EditAnswer::Saved(a)) => {
                        navigate(&AppRoute::Activity(a.id).href(), Default::default())
                    }
                    Ok(api::EditAnswer::Refused(r)) => {
                        refused.set(Some(r));
                        request_animation_frame(|| focus_field("refused"));
                    }
                    Ok(api::EditAnswer::Overlaps(o)) => {
                        overlaps.set(Some(o));
                        // Once the list is drawn: a screen reader reads it, the keyboard
                        // is one Tab from "save anyway".
                        request_animation_frame(|| focus_field("overlaps"));
                    }
                    Err(e) => {
                        show_api_error(l, &e, error);
                    }
                }
                busy.set(false);
            });
        }
    };
    let confirm_edit = save_edit.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !creating {
            overlaps.set(None);
            refused.set(None);
            save_edit(false);
            return;
        }
        let l = lang.get_untracked();
        let st = station.get_untracked();
        // A station gives the place; without one the address is placed at the banner's seat.
        let seat = banners
            .get_untracked()
            .into_iter()
            .find(|b| b.code.as_str() == region.get_untracked());
        let input = ActivityInput {
            org_id: org.get_untracked(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            service_field: field.get_untracked(),
            service_targets: targets.get_untracked(),
            station_id: (!st.is_empty()).then_some(st),
            address: address.get_untracked(),
            lat: need_at
                .get_untracked()
                .map(|p| p.0)
                .or(seat.as_ref().map(|b| b.lat)),
            lng: need_at
                .get_untracked()
                .map(|p| p.1)
                .or(seat.as_ref().map(|b| b.lng)),
            region_code: region.get_untracked(),
            deadline: String::new(),
            min_age: min_age.get_untracked().trim().parse().ok(),
            skills: vec![],
            requirements: requirements.get_untracked(),
            is_training: training.get_untracked(),
            checkin_radius_m: radius.get_untracked().trim().parse().ok(),
            shifts: shifts
                .get_untracked()
                .iter()
                .map(|s| ShiftInput {
                    starts_at: local_to_rfc3339(&s.starts.get_untracked()),
                    ends_at: local_to_rfc3339(&s.ends.get_untracked()),
                    capacity: s.places.get_untracked().trim().parse().unwrap_or(0),
                })
                .collect(),
            need_id: (!need_id.is_empty()).then(|| need_id.clone()),
            repeat: repeat_of(
                &repeat_freq.get_untracked(),
                &repeat_weekdays.get_untracked(),
                &repeat_day.get_untracked(),
                &repeat_count.get_untracked(),
            ),
        };
        if let Err(e) = input.validate(time::now()) {
            let msg = if e.field == "shifts" {
                format!("{} {}", field_message(l, e.field), e.reason)
            } else {
                field_message(l, e.field)
            };
            error.set(Some(FormError::new(e.field, msg)));
            focus_field(if e.field == "shifts" {
                "shift-0-starts"
            } else {
                e.field
            });
            return;
        }
        if let Some(Err(e)) = input.repeat.as_ref().map(RepeatInput::validate) {
            error.set(Some(FormError::new(e.field, field_message(l, e.field))));
            focus_field(e.field);
            return;
        }
        busy.set(true);
        let token = session.token.get_untracked().unwrap_or_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            match Authorized(&token).create_activity(&input).await {
                Ok(a) => navigate(&AppRoute::Activity(a.id).href(), Default::default()),
                Err(e) => {
                    show_api_error(l, &e, error);
                }
            }
            busy.set(false);
        });
    };
    let add_shift = move |_| {
        shifts.update(|v| {
            if v.len() < zhiyuan_shared::activity::MAX_SHIFTS {
                v.push(ShiftFields::blank())
            }
        })
    };
    let shifts_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field == "shifts")
                .map(|e| e.message.clone())
        })
    });
    view! {
        <section class="page narrow">
            <h1>{tr(if creating { "publish_activity" } else { "edit_activity" })}</h1>
            {(!creating).then(|| view! { <p class="hint">{tr("edit_explained")}</p> })}
            <form class="form-stack" on:submit=submit novalidate>
                <FormAlert error=error />
                {move || refused.get().map(|list| view! {
                    <div class="alert edit-refused" role="alert" id="f-refused" tabindex="-1">
                        <p>{tr("code_occurrences_refused")}</p>
                        <ul>
                            {list.into_iter().map(|r| {
                                let why = ApiError::Api { status: 409, code: r.code, message: String::new(), field: None };
                                view! {
                                    <li>
                                        <a href=AppRoute::Activity(r.activity_id).href()>{crate::components::time::when(&r.starts_at)}</a>
                                        " · " {move || why.message(lang.get())}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                {move || overlaps.get().map(|list| {
                    let confirm = confirm_edit.clone();
                    view! {
                        <div class="alert edit-overlaps" role="alert" id="f-overlaps" tabindex="-1">
                            <p>{tr("overlaps_heading")}</p>
                            <ul>
                                {list.into_iter().map(|o| view! {
                                    <li>{o.real_name} " (" {o.volunteer_no} ") · " {tr("overlap_with")} " 「" {o.other_title} "」 " {crate::components::time::when(&o.other_starts_at)}</li>
                                }).collect_view()}
                            </ul>
                            <button type="button" on:click=move |_| confirm(true) disabled=move || busy.get()>{tr("save_anyway")}</button>
                        </div>
                    }
                })}
                {creating.then(|| view! {
                <div class="form-field">
                    <label for="f-org_id">{tr("organisation")}</label>
                    <select id="f-org_id" on:change=move |ev| org.set(event_target_value(&ev))>
                        <option value="">{tr("choose")}</option>
                        {move || my_orgs.get().unwrap_or_default().into_iter().filter(|m| m.organizer).map(|m| {
                            let selected = m.org_id == org.get_untracked();
                            view! { <option value=m.org_id.clone() selected=selected>{m.org_name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                })}
                <TextField field="title" label="activity_title" value=title error=error />
                <TextField field="description" label="description" value=description error=error multiline=true />
                {creating.then(|| view! {
                <EnumSelect id="f-service_field" label="service_field" options=ServiceField::ALL
                    option_label=field_label slug=ServiceField::slug value=field empty="choose" />
                <CheckboxGroup field="service_targets" legend="service_targets" options=ServiceTarget::ALL
                    label=target_label slug=ServiceTarget::slug chosen=targets error=error />
                <RegionSelect field="region_code" label="activity_region" value=region error=error regions=banners />
                <div class="form-field">
                    <label for="f-station_id">{tr("station")}</label>
                    <select id="f-station_id" on:change=move |ev| station.set(event_target_value(&ev))>
                        <option value="">{tr("no_station")}</option>
                        {move || stations.get().unwrap_or_default().into_iter().map(|s| view! {
                            <option value=s.id.clone()>{s.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField field="address" label="address" value=address error=error hint="address_hint" />
                })}
                <fieldset class="form-field" class:invalid=move || shifts_error.with(Option::is_some)>
                    <legend>{tr("shifts")}</legend>
                    {move || shifts.get().into_iter().enumerate().map(|(i, s)| view! {
                        <div class="shift-fields" role="group" aria-label=move || format!("{} {}", t(lang.get(), "shift"), i + 1)>
                            {s.locked.then(|| view! { <p class="hint">{tr("shift_started_locked")}</p> })}
                            <label for=format!("f-shift-{i}-starts")>{tr("starts_at")}</label>
                            <input id=format!("f-shift-{i}-starts") type="datetime-local" prop:value=move || s.starts.get()
                                disabled=s.locked on:input=move |ev| s.starts.set(event_target_value(&ev)) />
                            <label for=format!("f-shift-{i}-ends")>{tr("ends_at")}</label>
                            <input id=format!("f-shift-{i}-ends") type="datetime-local" prop:value=move || s.ends.get()
                                disabled=s.locked on:input=move |ev| s.ends.set(event_target_value(&ev)) />
                            <label for=format!("f-shift-{i}-places")>{tr("places")}</label>
                            <input id=format!("f-shift-{i}-places") type="number" min="1" max="10000" inputmode="numeric"
                                disabled=s.locked prop:value=move || s.places.get() on:input=move |ev| s.places.set(event_target_value(&ev)) />
                        </div>
                    }).collect_view()}
                    <p class="field-error" role="alert" hidden=move || shifts_error.with(Option::is_none)>{move || shifts_error.get().unwrap_or_default()}</p>
                    {creating.then(|| view! { <button type="button" on:click=add_shift>{tr("add_shift")}</button> })}
                </fieldset>
                {creating.then(|| view! {
                    <RepeatFields freq=repeat_freq weekdays=repeat_weekdays day=repeat_day count=repeat_count error=error />
                })}
                {in_series.then(|| view! {
                    <fieldset class="form-field repeat-scope">
                        <legend>{tr("series_edit_scope")}</legend>
                        <label class="check">
                            <input type="radio" name="edit-scope" id="f-scope" value="one"
                                prop:checked=move || !edit_future.get() on:change=move |_| edit_future.set(false) />
                            <span>{tr("series_this_one")}</span>
                        </label>
                        <label class="check">
                            <input type="radio" name="edit-scope" id="f-scope-future" value="future"
                                prop:checked=move || edit_future.get() on:change=move |_| edit_future.set(true) />
                            <span>{tr("series_this_and_later")}</span>
                        </label>
                    </fieldset>
                })}
                {creating.then(|| view! { <TextField field="min_age" label="min_age" value=min_age error=error inputmode="numeric" /> })}
                <TextField field="requirements" label="requirements" value=requirements error=error multiline=true />
                {creating.then(|| view! {
                <div class="form-field">
                    <label class="check" for="f-is_training">
                        <input id="f-is_training" type="checkbox" aria-describedby="f-is_training-hint"
                            on:change=move |ev| training.set(event_target_checked(&ev)) />
                        {tr("is_training")}
                    </label>
                    <p class="hint" id="f-is_training-hint">{tr("training_explained")}</p>
                </div>
                <div class="form-field">
                    <label for="f-checkin_radius_m">{tr("checkin_radius")}</label>
                    <select id="f-checkin_radius_m" aria-describedby="f-checkin_radius_m-hint"
                        on:change=move |ev| radius.set(event_target_value(&ev))>
                        <option value="">{tr("no_distance_check")}</option>
                        {[300, 500, 1000, 3000].into_iter().map(|m| view! {
                            <option value=m.to_string()>{move || format!("{} {m} {}", t(lang.get(), "within"), t(lang.get(), "metres"))}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" id="f-checkin_radius_m-hint">{tr("checkin_radius_hint")}</p>
                </div>
                })}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { tr("submitting")() } else { tr(if creating { "publish_activity" } else { "save_changes" })() }}
                </button>
            </form>
        </section>
    }
}

/// The repeat rule as typed: none without a frequency; numbers that do not parse go to
/// the server as out of range, so the fault is named.
fn repeat_of(freq: &str, weekdays: &[String], day: &str, count: &str) -> Option<RepeatInput> {
    if freq.is_empty() {
        return None;
    }
    let weekly = freq == "weekly";
    Some(RepeatInput {
        freq: freq.to_string(),
        weekdays: weekly.then(|| weekdays.iter().filter_map(|d| d.parse().ok()).collect()),
        day: (!weekly).then(|| day.trim().parse().unwrap_or(0)),
        count: count.trim().parse().unwrap_or(0),
    })
}

/// 重复: none, weekly on chosen weekdays, or monthly on a day; and how many times.
#[component]
fn RepeatFields(
    freq: RwSignal<String>,
    weekdays: RwSignal<Vec<String>>,
    day: RwSignal<String>,
    count: RwSignal<String>,
    error: RwSignal<Option<FormError>>,
) -> impl IntoView {
    let choice = move |value: &'static str, id: &'static str, label: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="repeat-freq" id=id value=value
                    prop:checked=move || freq.get() == value
                    on:change=move |_| freq.set(value.to_string()) />
                <span>{tr(label)}</span>
            </label>
        }
    };
    view! {
        <fieldset class="form-field repeat-fields" aria-describedby="f-repeat-hint">
            <legend>{tr("repeat")}</legend>
            <p class="hint" id="f-repeat-hint">{tr("repeat_hint")}</p>
            <div class="repeat-choices">
                {choice("", "f-repeat-freq", "repeat_none")}
                {choice("weekly", "f-repeat-freq-weekly", "repeat_weekly")}
                {choice("monthly", "f-repeat-freq-monthly", "repeat_monthly")}
            </div>
            {move || match freq.get().as_str() {
                "weekly" => view! {
                    <CheckboxGroup field="repeat.weekdays" legend="repeat_weekdays" options=WEEKDAYS
                        label=weekday_label slug=weekday_slug chosen=weekdays error=error />
                }.into_any(),
                "monthly" => view! {
                    <TextField field="repeat.day" label="repeat_day" value=day error=error
                        inputmode="numeric" hint="repeat_day_hint" />
                }.into_any(),
                _ => ().into_any(),
            }}
            {move || (!freq.get().is_empty()).then(|| view! {
                <TextField field="repeat.count" label="repeat_count" value=count error=error
                    inputmode="numeric" hint="repeat_count_hint" />
            })}
        </fieldset>
    }
}
