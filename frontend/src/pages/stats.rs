//! The statistics dashboard (统计与考核, SPEC §10): a region's key figures against the
//! city's targets, star distribution, stations and activities, each sub-region's figures
//! for its admins, and the compliance lists. Every table exports to CSV.

use crate::api::{self, Authorized};
use crate::components::download::offer_csv;
use crate::components::error::ErrorNotice;
use crate::components::time::this_year;
use crate::i18n::{Lang, group_label, t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use zhiyuan_shared::account::VolunteerGroup;
use zhiyuan_shared::region::Region;
use zhiyuan_shared::stats::{
    COMPLIANCE_GROUPS, ComplianceEntry, FIRST_YEAR, MonthlyReport, PeriodRow, RegionFigures,
    StatsReport, period_rows,
};

fn region_name(lang: Lang, r: &RegionFigures, regions: &[Region]) -> String {
    match (
        lang,
        regions.iter().find(|x| x.code.as_str() == r.region_code),
    ) {
        (Lang::En, Some(x)) => x.name_en.clone(),
        _ => r.region_name.clone(),
    }
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let q = use_query_map();
    // The region asked for, else the caller's own region as admin, else the city.
    let first_scope = move || {
        session.me.with(|m| {
            m.as_ref()
                .and_then(|m| m.admin_regions().next().map(String::from))
        })
    };
    let region = RwSignal::new(
        q.with_untracked(|q| q.get("region"))
            .or_else(first_scope)
            .unwrap_or_else(|| "150600".into()),
    );
    let year = RwSignal::new(
        q.with_untracked(|q| q.get("year"))
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(this_year),
    );
    let regions = LocalResource::new(api::regions);
    let report = LocalResource::new(move || {
        let token = session.token.get();
        let (r, y) = (region.get(), year.get());
        async move { api::stats(token.as_deref(), &r, y).await }
    });
    let region_list = move || regions.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="page stats-page">
            <h1>{tr("stats_title")}</h1>
            <p class="no-print">
                <button type="button" class="secondary" on:click=|_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>{tr("stats_print_report")}</button>
            </p>
            <div class="filters no-print">
                <div class="form-field">
                    <label for="s-region">{tr("filter_region")}</label>
                    <select id="s-region" on:change=move |ev| region.set(event_target_value(&ev))>
                        {move || region_list().into_iter().map(|r| {
                            let selected = r.code.as_str() == region.get_untracked();
                            let name = if lang.get() == Lang::En { r.name_en.clone() } else { r.name.clone() };
                            view! { <option value=r.code.to_string() selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-field">
                    <label for="s-year">{tr("stats_year")}</label>
                    <select id="s-year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }
                    }>
                        {(FIRST_YEAR..=this_year()).rev().map(|y| {
                            view! { <option value=y.to_string() selected=move || y == year.get()>{y}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || match report.get() {
                None => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                Some(Ok(r)) => view! { <Dashboard report=r regions=region_list() /> }.into_any(),
            }}
            {move || {
                let admin = session.me.with(|m| m.as_ref().is_some_and(|m| {
                    m.admin_regions().any(|s| {
                        zhiyuan_shared::region::RegionCode::parse(s).ok().zip(
                            zhiyuan_shared::region::RegionCode::parse(&region.get()).ok()
                        ).is_some_and(|(scope, r)| scope.covers(&r))
                    })
                }));
                admin.then(|| view! {
                    <Periodic region=region.get() year=year.get() />
                    <Compliance region=region.get() year=year.get() />
                })
            }}
        </section>
    }
}

/// A value against its target, as a bar with the target marked, and in words.
#[component]
fn Kpi(
    label: &'static str,
    value: f64,
    target: f64,
    unit: &'static str,
    scale: f64,
) -> impl IntoView {
    let lang = use_lang();
    let met = value >= target;
    let width = (value / scale * 100.0).clamp(0.0, 100.0);
    let mark = (target / scale * 100.0).clamp(0.0, 100.0);
    view! {
        <div class="kpi card">
            <h3>{tr(label)}</h3>
            <p class="kpi-value">{format!("{value}{unit}")}</p>
            <div class="bar" role="img"
                aria-label=move || format!("{} {value}{unit}, {} {target}{unit}", t(lang.get(), label), t(lang.get(), "stats_target"))>
                <span class="bar-fill" class:bar-met=met style:width=format!("{width:.1}%")></span>
                <span class="bar-target" style:left=format!("{mark:.1}%")></span>
            </div>
            <p class=if met { "kpi-status met" } else { "kpi-status unmet" }>
                {tr("stats_target")} " " {format!("{target}{unit}")} " · "
                {if met { tr("stats_met") } else { tr("stats_not_met") }}
            </p>
        </div>
    }
}

fn figure_row(lang: Lang, f: &RegionFigures, regions: &[Region]) -> Vec<String> {
    vec![
        f.region_code.clone(),
        region_name(lang, f, regions),
        f.population.to_string(),
        f.registered.to_string(),
        f.share_percent.to_string(),
        f.active.to_string(),
        f.participation_percent.to_string(),
        f.hours.to_string(),
        f.average_hours.to_string(),
        f.organisations.to_string(),
        f.stations.to_string(),
        f.five_have_percent.to_string(),
        f.activities.to_string(),
        f.needs_open.to_string(),
        f.needs_claimed.to_string(),
        f.needs_done.to_string(),
        f.ratings.to_string(),
        f.satisfaction_percent.to_string(),
    ]
}

const FIGURE_COLUMNS: [&str; 18] = [
    "stats_region_code",
    "stats_region",
    "stats_population",
    "stats_registered",
    "stats_share",
    "stats_active",
    "stats_participation",
    "stats_hours",
    "stats_average_hours",
    "stats_organisations",
    "stats_stations",
    "stats_five_have_share",
    "stats_activities",
    "stats_needs_open",
    "stats_needs_claimed",
    "stats_needs_done",
    "stats_ratings",
    "stats_satisfaction",
];

#[component]
fn Dashboard(report: StatsReport, regions: Vec<Region>) -> impl IntoView {
    let lang = use_lang();
    let tg = report.targets.clone();
    let total = report.total.clone();
    let name = region_name(lang.get_untracked(), &total, &regions);
    let max_star = total.stars.iter().copied().max().unwrap_or(0).max(1);
    let star_rows = total.stars;
    let year = report.year;
    let code = total.region_code.clone();
    let mut rows: Vec<RegionFigures> = report.children.clone();
    rows.push(total.clone());
    let export_rows = rows.clone();
    let export_regions = regions.clone();
    let export = move |_| {
        let l = lang.get_untracked();
        let header: Vec<&str> = FIGURE_COLUMNS.iter().map(|k| t(l, k)).collect();
        let body: Vec<Vec<String>> = export_rows
            .iter()
            .map(|f| figure_row(l, f, &export_regions))
            .collect();
        offer_csv(&format!("zhiyuan-stats-{code}-{year}.csv"), &header, &body);
    };
    let star_code = total.region_code.clone();
    let export_stars = move |_| {
        let l = lang.get_untracked();
        let body: Vec<Vec<String>> = star_rows
            .iter()
            .enumerate()
            .map(|(i, n)| vec![i.to_string(), n.to_string()])
            .collect();
        offer_csv(
            &format!("zhiyuan-stars-{star_code}.csv"),
            &[t(l, "star_level"), t(l, "stats_volunteers")],
            &body,
        );
    };
    let share_scale = (tg.share_percent * 1.5).max(total.share_percent);
    view! {
        <h2>{name} " · " {year}</h2>
        {report.public.then(|| view! { <p class="muted">{tr("stats_public_note")}</p> })}
        <div class="kpi-grid">
            <Kpi label="stats_share" value=total.share_percent target=tg.share_percent unit="%" scale=share_scale />
            <Kpi label="stats_participation" value=total.participation_percent target=tg.participation_percent unit="%" scale=100.0 />
            <Kpi label="stats_average_hours" value=total.average_hours target=tg.average_hours unit=" h"
                scale=(tg.average_hours * 2.0).max(total.average_hours) />
        </div>
        <dl class="facts">
            <dt>{tr("stats_registered")}</dt><dd>{total.registered} " / " {total.population}</dd>
            <dt>{tr("stats_registered_in_year")}</dt><dd>{total.registered_in_year}</dd>
            <dt>{tr("stats_active")}</dt><dd>{total.active}</dd>
            <dt>{tr("stats_hours")}</dt><dd>{total.hours}</dd>
            <dt>{tr("stats_stations")}</dt><dd>{total.stations} " (" {tr("stats_five_have_share")} " " {total.five_have_percent} "%, " {tr("stats_demonstration")} " " {total.demonstration_stations} ")"</dd>
            <dt>{tr("stats_activities")}</dt><dd>{total.activities} " (" {tr("stats_trainings")} " " {total.trainings} ")"</dd>
        </dl>
        {(!report.public).then(|| view! {
            <dl class="facts">
                <dt>{tr("stats_organisations")}</dt><dd>{total.organisations}</dd>
                <dt>{tr("stats_needs")}</dt>
                <dd>{tr("stats_needs_open")} " " {total.needs_open} " · " {tr("stats_needs_claimed")} " " {total.needs_claimed} " · " {tr("stats_needs_done")} " " {total.needs_done}</dd>
                <dt>{tr("stats_satisfaction_line")}</dt>
                <dd data-testid="stats-satisfaction">{total.satisfaction_percent} "% (" {total.ratings_satisfied} " / " {total.ratings} " " {tr("stats_ratings")} ")"</dd>
            </dl>
            <h3 id="stars-heading">{tr("stats_stars")}</h3>
            <ul class="bar-chart" aria-labelledby="stars-heading">
                {star_rows.iter().enumerate().map(|(level, n)| {
                    let w = *n as f64 / max_star as f64 * 100.0;
                    let label = if level == 0 { t(lang.get_untracked(), "stats_no_star").to_string() } else { "★".repeat(level) };
                    view! {
                        <li>
                            <span class="bar-label">{label}</span>
                            <span class="bar"><span class="bar-fill" style:width=format!("{w:.1}%")></span></span>
                            <span class="bar-value">{*n}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button type="button" class="secondary no-print" on:click=export_stars>{tr("export_csv")}</button>
        })}
        {(!report.children.is_empty()).then(|| {
            let regions = regions.clone();
            view! {
                <h3 id="children-heading">{tr("stats_by_region")}</h3>
                <ul class="bar-chart" aria-labelledby="children-heading">
                    {report.children.iter().map(|c| {
                        let w = (c.share_percent / share_scale * 100.0).clamp(0.0, 100.0);
                        let met = c.share_percent >= tg.share_percent;
                        view! {
                            <li>
                                <span class="bar-label">{region_name(lang.get_untracked(), c, &regions)}</span>
                                <span class="bar"><span class="bar-fill" class:bar-met=met style:width=format!("{w:.1}%")></span></span>
                                <span class="bar-value">{format!("{}%", c.share_percent)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="table-scroll" tabindex="0" role="region" aria-label=tr("stats_by_region")>
                    <table class="audit stats-table">
                        <caption>{tr("stats_by_region")}</caption>
                        <thead><tr>
                            {FIGURE_COLUMNS.iter().skip(1).map(|k| view! { <th scope="col">{tr(k)}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {rows.iter().map(|f| {
                                let cells = figure_row(lang.get_untracked(), f, &regions);
                                view! {
                                    <tr>
                                        <th scope="row">{cells[1].clone()}</th>
                                        {cells.into_iter().skip(2).map(|c| view! { <td>{c}</td> }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })}
        <button type="button" class="secondary no-print" on:click=export>{tr("export_csv")}</button>
        <p class="print-only">{tr("stats_printed_note")}</p>
    }
}

const PERIOD_COLUMNS: [&str; 9] = [
    "report_period",
    "stats_registered",
    "report_new_volunteers",
    "report_hours_in_period",
    "stats_activities",
    "report_active_ytd",
    "stats_participation",
    "report_hours_ytd",
    "stats_average_hours",
];

fn period_cells(r: &PeriodRow) -> Vec<String> {
    vec![
        r.period.clone(),
        r.registered.to_string(),
        r.new_volunteers.to_string(),
        r.hours.to_string(),
        r.activities.to_string(),
        r.active_ytd.to_string(),
        r.participation_percent.to_string(),
        r.hours_ytd.to_string(),
        r.average_hours_ytd.to_string(),
    ]
}

/// The periodic report (定期报表): the region's figures month by month (or quarter by
/// quarter) as kept at each month's end, with the month under way; printable with the
/// page and exported as CSV.
#[component]
fn Periodic(region: String, year: i32) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let by_quarter = RwSignal::new(false);
    let reports = LocalResource::new(move || {
        let token = session.token.get().unwrap_or_default();
        let region = region.clone();
        async move { Authorized(&token).periodic_reports(&region, year).await }
    });
    let rows = move || {
        reports.get().and_then(Result::ok).map(|p| {
            let mut months: Vec<(&MonthlyReport, bool)> =
                p.months.iter().map(|m| (m, false)).collect();
            if let Some(c) = &p.current {
                months.push((c, true));
            }
            (
                p.region_name.clone(),
                period_rows(&months, by_quarter.get()),
            )
        })
    };
    let export = move |_| {
        let l = lang.get_untracked();
        if let Some((name, rows)) = rows() {
            let header: Vec<&str> = PERIOD_COLUMNS.iter().map(|k| t(l, k)).collect();
            let cells: Vec<Vec<String>> = rows.iter().map(period_cells).collect();
            let kind = if by_quarter.get_untracked() {
                "quarterly"
            } else {
                "monthly"
            };
            offer_csv(
                &format!("zhiyuan-{kind}-{name}-{year}.csv"),
                &header,
                &cells,
            );
        }
    };
    view! {
        <section class="periodic" aria-labelledby="periodic-title">
            <h2 id="periodic-title">{tr("report_title")}</h2>
            <p class="muted">{tr("report_explained")}</p>
            <fieldset class="no-print segmented">
                <legend class="visually-hidden">{tr("report_by")}</legend>
                <label><input type="radio" name="report-by" checked=move || !by_quarter.get()
                    on:change=move |_| by_quarter.set(false) />{tr("report_monthly")}</label>
                <label><input type="radio" name="report-by" checked=move || by_quarter.get()
                    on:change=move |_| by_quarter.set(true) />{tr("report_quarterly")}</label>
            </fieldset>
            {move || match (reports.get(), rows()) {
                (None, _) => view! { <p role="status">{tr("loading")}</p> }.into_any(),
                (Some(Err(e)), _) => view! { <ErrorNotice error=e /> }.into_any(),
                (_, Some((_, rows))) if rows.is_empty() => view! { <p class="muted">{tr("report_none")}</p> }.into_any(),
                (_, Some((_, rows))) => view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label=tr("report_title")>
                        <table class="audit periodic-table">
                            <caption class="visually-hidden">{tr("report_title")}</caption>
                            <thead><tr>
                                {PERIOD_COLUMNS.iter().map(|k| view! { <th scope="col">{move || t(lang.get(), k)}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let so_far = r.so_far;
                                    let cells = period_cells(&r);
                                    view! {
                                        <tr class:so-far=so_far>
                                            <th scope="row">{cells[0].clone()}
                                                {so_far.then(|| view! { " " <span class="badge">{tr("report_so_far")}</span> })}
                                            </th>
                                            {cells[1..].iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            <button type="button" class="secondary no-print" on:click=export>{tr("export_csv")}</button>
        </section>
    }
}

/// The volunteers of a group under its yearly minimum, a page at a time.
#[component]
fn Compliance(region: String, year: i32) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let group = RwSignal::new(VolunteerGroup::PartyMember);
    let items = RwSignal::new(Vec::<ComplianceEntry>::new());
    let cursor = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let load = {
        let region = region.clone();
        move |reset: bool| {
            let token = session.token.get_untracked().unwrap_or_default();
            let region = region.clone();
            let g = group.get_untracked();
            let from = if reset {
                String::new()
            } else {
                cursor.get_untracked().unwrap_or_default()
            };
            busy.set(true);
            spawn_local(async move {
                match Authorized(&token)
                    .compliance(&region, year, g.slug(), &from)
                    .await
                {
                    Ok(p) => {
                        if reset {
                            items.set(p.items);
                        } else {
                            items.update(|i| i.extend(p.items));
                        }
                        cursor.set(p.next_cursor);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let first = load.clone();
    Effect::new(move |_| {
        group.track();
        first(true);
    });
    let more = load.clone();
    // The export takes every page, not only those shown.
    let export = {
        let region = region.clone();
        move |_| {
            let token = session.token.get_untracked().unwrap_or_default();
            let region = region.clone();
            let g = group.get_untracked();
            spawn_local(async move {
                let mut all = Vec::new();
                let mut from = String::new();
                loop {
                    match Authorized(&token)
                        .compliance(&region, year, g.slug(), &from)
                        .await
                    {
                        Ok(p) => {
                            all.extend(p.items);
                            match p.next_cursor {
                                Some(c) => from = c,
                                None => break,
                            }
                        }
                        Err(e) => {
                            error.set(Some(e));
                            return;
                        }
                    }
                }
                let l = lang.get_untracked();
                let body: Vec<Vec<String>> = all
                    .iter()
                    .map(|e| {
                        vec![
                            e.real_name.clone(),
                            e.volunteer_no.clone(),
                            e.region_code.clone(),
                            group_label(l, e.group).to_string(),
                            e.hours.to_string(),
                            e.minimum_hours.to_string(),
                        ]
                    })
                    .collect();
                offer_csv(
                    &format!("zhiyuan-compliance-{region}-{year}-{}.csv", g.slug()),
                    &[
                        t(l, "real_name"),
                        t(l, "volunteer_no"),
                        t(l, "stats_region_code"),
                        t(l, "groups"),
                        t(l, "stats_hours"),
                        t(l, "stats_minimum_hours"),
                    ],
                    &body,
                );
            });
        }
    };
    view! {
        <section class="compliance no-print" aria-labelledby="compliance-heading">
            <h2 id="compliance-heading">{tr("stats_compliance")}</h2>
            <p class="muted">{tr("stats_compliance_help")}</p>
            <div class="form-field">
                <label for="c-group">{tr("groups")}</label>
                <select id="c-group" on:change=move |ev| {
                    if let Some(g) = VolunteerGroup::from_slug(&event_target_value(&ev)) { group.set(g) }
                }>
                    {COMPLIANCE_GROUPS.iter().map(|g| {
                        let g = *g;
                        let min = zhiyuan_shared::stats::yearly_minimum_hours(g).unwrap_or(0);
                        view! { <option value=g.slug()>{move || format!("{} (< {min} h)", group_label(lang.get(), g))}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {move || {
                let list = items.get();
                if list.is_empty() && !busy.get() {
                    view! { <p class="muted" role="status">{tr("stats_compliance_none")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label=tr("stats_compliance")>
                            <table class="audit">
                                <caption>{tr("stats_compliance")}</caption>
                                <thead><tr>
                                    <th scope="col">{tr("real_name")}</th>
                                    <th scope="col">{tr("volunteer_no")}</th>
                                    <th scope="col">{tr("stats_region_code")}</th>
                                    <th scope="col">{tr("stats_hours")}</th>
                                    <th scope="col">{tr("stats_minimum_hours")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr>
                                            <th scope="row">{e.real_name}</th>
                                            <td>{e.volunteer_no}</td>
                                            <td>{e.region_code}</td>
                                            <td>{e.hours}</td>
                                            <td>{e.minimum_hours}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
            <div class="actions">
                {move || cursor.get().is_some().then(|| {
                    let more = more.clone();
                    view! { <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| more(false)>{tr("load_more")}</button> }
                })}
                <button type="button" class="secondary" on:click=export>{tr("export_csv")}</button>
            </div>
        </section>
    }
}
