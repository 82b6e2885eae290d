//! A station page: address, opening hours, masked contact, type, demonstration badge,
//! the 五有 checklist, the regular schedule (常态化) and upcoming activities.

use crate::api;
use crate::components::error::ErrorNotice;
use crate::i18n::{Lang, t, tr, type_label, use_lang};
use crate::pages::AppRoute;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use zhiyuan_shared::series::{RepeatFreq, StationSchedule};
use zhiyuan_shared::station::StationDetail;

/// A weekday's name, 1 (Monday) to 7 (Sunday).
pub fn weekday_name(lang: Lang, day: u8) -> &'static str {
    const KEYS: [&str; 7] = [
        "weekday_1",
        "weekday_2",
        "weekday_3",
        "weekday_4",
        "weekday_5",
        "weekday_6",
        "weekday_7",
    ];
    t(lang, KEYS[usize::from(day.clamp(1, 7)) - 1])
}

/// One regular activity as a line: 每周六 09:00–11:00 敬老院陪伴 / Every Saturday ….
pub fn schedule_line(lang: Lang, s: &StationSchedule) -> String {
    let when = match s.freq {
        RepeatFreq::Weekly => {
            let days: Vec<&str> = s.weekdays.iter().map(|d| weekday_name(lang, *d)).collect();
            let sep = if lang == Lang::Zh { "、" } else { ", " };
            format!("{}{}", t(lang, "schedule_every"), days.join(sep))
        }
        RepeatFreq::Monthly => {
            t(lang, "schedule_monthly").replace("{day}", &s.day.unwrap_or_default().to_string())
        }
    };
    format!("{when} {}–{} {}", s.starts, s.ends, s.title)
}

#[component]
pub fn StationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let station = LocalResource::new(move || {
        let id = id();
        async move { api::station(&id).await }
    });
    let lang = use_lang();

    view! {
        <section class="page narrow">
            <A href=AppRoute::Home.href() attr:class="back">{tr("back_to_map")}</A>
            {move || match station.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) if e.is_not_found() => view! {
                    <h1>{tr("not_found_title")}</h1>
                    <p role="alert">{tr("station_not_found")}</p>
                }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorNotice error=e />
                    <button type="button" on:click=move |_| station.refetch()>{tr("retry")}</button>
                }.into_any(),
                Some(Ok(s)) => view! { <StationDetails station=s lang=lang /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn StationDetails(station: StationDetail, lang: ReadSignal<crate::i18n::Lang>) -> impl IntoView {
    let s = station;
    let five = s.five_have.as_array();
    let items = [
        "five_have_venue",
        "five_have_manager",
        "five_have_rules",
        "five_have_projects",
        "five_have_funds",
    ];
    let station_type = s.station_type;
    view! {
        <article class="station" aria-labelledby="station-name">
            <h1 id="station-name" data-testid="station-name">{s.name.clone()}</h1>
            <p class="badges">
                {s.demonstration.then(|| view! { <span class="badge demo">{tr("demonstration")}</span> })}
                {s.five_have_complete.then(|| view! { <span class="badge five">{tr("five_have_ok")}</span> })}
            </p>
            <dl class="facts">
                <dt>{tr("station_type")}</dt>
                <dd>{move || type_label(lang.get(), station_type)}</dd>
                <dt>{tr("address")}</dt>
                <dd>{s.address.clone()}</dd>
                <dt>{tr("opening_hours")}</dt>
                <dd>{s.opening_hours.clone()}</dd>
                <dt>{tr("contact")}</dt>
                <dd><span data-testid="station-contact">{s.contact_masked.clone()}</span>
                    " " <span class="muted">{tr("contact_masked_note")}</span></dd>
            </dl>
            {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
            <h2>{tr("five_have_title")}</h2>
            <ul class="checklist" data-testid="five-have">
                {items.into_iter().zip(five).map(|(key, ok)| view! {
                    <li class=if ok { "ok" } else { "missing" }>
                        <span aria-hidden="true">{if ok { "✔" } else { "✘" }}</span>
                        " " {move || t(lang.get(), key)}
                        <span class="visually-hidden">{move || format!(": {}", t(lang.get(), if ok { "yes" } else { "no" }))}</span>
                    </li>
                }).collect_view()}
            </ul>
            {(!s.schedule.is_empty()).then(|| {
                let schedule = s.schedule.clone();
                view! {
                    <h2>{tr("regular_schedule")}</h2>
                    <ul class="station-schedule" data-testid="station-schedule">
                        {schedule.into_iter().map(|item| {
                            let line = item.clone();
                            let text = move || schedule_line(lang.get(), &line);
                            view! {
                                <li>
                                    {match item.next_activity_id.clone() {
                                        Some(id) => view! { <A href=AppRoute::Activity(id).href()>{text}</A> }.into_any(),
                                        None => view! { <span>{text}</span> }.into_any(),
                                    }}
                                    " " <span class="muted">{item.org_name.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
            <h2>{tr("upcoming_activities")}</h2>
            {if s.upcoming_activities.is_empty() {
                view! { <p class="muted">{tr("no_upcoming_activities")}</p> }.into_any()
            } else {
                view! {
                    <ul>{s.upcoming_activities.clone().into_iter().map(|a| view! { <li><A href=crate::pages::AppRoute::Activity(a.id.clone()).href()>{a.title.clone()}</A> " · " {crate::components::time::when(&a.starts_at)}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        </article>
    }
}

#[cfg(test)]
mod tests {
    /// index.html's shell paints a station page's frame before the app has loaded, in the
    /// app's own words (`assets/zhiyuan-map-shell.js`).
    #[test]
    fn the_station_shell_speaks_the_apps_words() {
        crate::i18n::assert_script_speaks(
            include_str!("../../assets/zhiyuan-map-shell.js"),
            &["back_to_map", "loading"],
        );
    }
}
