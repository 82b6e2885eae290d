//! Statistics and compliance (统计与考核, SPEC §10): the targets the city set, each
//! group's yearly minimum, and the shapes of `/api/stats*`. Plus CSV, which every table
//! exports to.

use crate::account::VolunteerGroup;
use crate::region::RegionCode;
use crate::station::FieldError;
use serde::{Deserialize, Serialize};

/// Registered volunteers as a share of residents: Ordos ≥ 13 %, the province 15 %.
pub fn registration_target_percent(code: &RegionCode) -> f64 {
    if code.as_str().ends_with("0000") {
        15.0
    } else {
        13.0
    }
}
/// Volunteers with at least one confirmed record in the year, of those registered.
pub const PARTICIPATION_TARGET_PERCENT: f64 = 70.0;
/// Confirmed hours in the year per registered volunteer.
pub const AVERAGE_HOURS_TARGET: f64 = 25.0;

/// The yearly minimum hours of a group with one (party members and cadres 20 h, college
/// students 40 h, primary and secondary students 20 h); None for groups without.
pub fn yearly_minimum_hours(group: VolunteerGroup) -> Option<u32> {
    match group {
        VolunteerGroup::PartyMember | VolunteerGroup::Cadre | VolunteerGroup::SchoolStudent => {
            Some(20)
        }
        VolunteerGroup::CollegeStudent => Some(40),
        _ => None,
    }
}

/// The groups that have a yearly minimum, in the order lists show them.
pub const COMPLIANCE_GROUPS: [VolunteerGroup; 4] = [
    VolunteerGroup::PartyMember,
    VolunteerGroup::Cadre,
    VolunteerGroup::CollegeStudent,
    VolunteerGroup::SchoolStudent,
];

/// The first year statistics can be asked for.
pub const FIRST_YEAR: i32 = 2018;

/// A year as asked for: from [`FIRST_YEAR`] to the current one.
pub fn parse_year(raw: &str, current: i32) -> Result<i32, FieldError> {
    let y: i32 = raw
        .trim()
        .parse()
        .map_err(|_| FieldError::new("year", "must be a year such as 2026"))?;
    if !(FIRST_YEAR..=current).contains(&y) {
        return Err(FieldError::new(
            "year",
            format!("must be between {FIRST_YEAR} and {current}"),
        ));
    }
    Ok(y)
}

/// `part / whole` as a percentage with one decimal; 0 when the whole is 0.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// One region's figures for a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionFigures {
    pub region_code: String,
    pub region_name: String,
    pub population: u64,
    /// Volunteers registered by the end of the year (by now, for the current year).
    pub registered: u64,
    pub registered_in_year: u64,
    /// Registered volunteers as a share of residents, %.
    pub share_percent: f64,
    /// Volunteers with at least one confirmed service record in the year.
    pub active: u64,
    pub participation_percent: f64,
    /// Confirmed service hours in the year.
    pub hours: f64,
    pub average_hours: f64,
    /// Volunteers by star level now: index 0 is "no star yet", 1–5 the stars.
    pub stars: [u64; 6],
    pub organisations: u64,
    pub stations: u64,
    /// Stations with all five of 五有.
    pub stations_five_have: u64,
    pub five_have_percent: f64,
    pub demonstration_stations: u64,
    /// Activities (trainings included) whose first shift is in the year.
    pub activities: u64,
    pub trainings: u64,
    /// Needs posted in the year, by where they are now.
    pub needs_open: u64,
    pub needs_claimed: u64,
    pub needs_done: u64,
    /// Ratings of done needs (评单) given in the year, and how many of them gave 4 or 5
    /// stars; the satisfaction rate is the second as a share of the first, %.
    #[serde(default)]
    pub ratings: u64,
    #[serde(default)]
    pub ratings_satisfied: u64,
    #[serde(default)]
    pub satisfaction_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Targets {
    pub share_percent: f64,
    pub participation_percent: f64,
    pub average_hours: f64,
}

impl Targets {
    /// The targets a region is measured against.
    pub fn for_region(code: &RegionCode) -> Self {
        Self {
            share_percent: registration_target_percent(code),
            participation_percent: PARTICIPATION_TARGET_PERCENT,
            average_hours: AVERAGE_HOURS_TARGET,
        }
    }
}

/// `GET /api/stats`: the region's figures and, for its region admins, each sub-region's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatsReport {
    pub year: i32,
    /// True when the caller is not an admin of the region: the key figures only.
    pub public: bool,
    pub targets: Targets,
    pub total: RegionFigures,
    pub children: Vec<RegionFigures>,
}

/// One volunteer below their group's yearly minimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplianceEntry {
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    pub region_code: String,
    pub group: VolunteerGroup,
    pub hours: f64,
    pub minimum_hours: u32,
}

/// A table as CSV (RFC 4180, CRLF), with a UTF-8 byte-order mark so spreadsheet programs
/// read the Chinese correctly. A cell that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: exported names come from users.
pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    fn cell(raw: &str) -> String {
        let guarded =
            if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) && raw.parse::<f64>().is_err() {
                format!("'{raw}")
            } else {
                raw.to_string()
            };
        if guarded.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", guarded.replace('"', "\"\""))
        } else {
            guarded
        }
    }
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| cell(h)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|c| cell(c)).collect()));
    }
    out
}

/// A region's figures as they stood at the end of a month (taken by the scheduled job in
/// the first minutes of the next), or, for the month under way, as they stand now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyReport {
    /// `2026-10`.
    pub period: String,
    pub taken_at: String,
    pub total: RegionFigures,
    pub children: Vec<RegionFigures>,
}

/// `GET /api/stats/reports`: a region's monthly reports of a year, oldest first; for the
/// current year also the month so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodicReports {
    pub region_code: String,
    pub region_name: String,
    pub year: i32,
    pub targets: Targets,
    pub months: Vec<MonthlyReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<MonthlyReport>,
}

/// One row of a periodic report: what happened in the period, and where the year stood
/// at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRow {
    /// `2026-10`, or `2026-Q4` for a quarter.
    pub period: String,
    /// True for the month (or quarter) under way.
    pub so_far: bool,
    pub registered: u64,
    pub new_volunteers: u64,
    pub hours: f64,
    pub activities: u64,
    /// The year to date at the period's end.
    pub active_ytd: u64,
    pub participation_percent: f64,
    pub hours_ytd: f64,
    pub average_hours_ytd: f64,
}

fn quarter_of(period: &str) -> String {
    let (year, month) = period.split_once('-').unwrap_or((period, "1"));
    let q = (month.parse::<u32>().unwrap_or(1).clamp(1, 12) - 1) / 3 + 1;
    format!("{year}-Q{q}")
}

/// The rows of a region's periodic report (of one region's figures per month, oldest
/// first): by month, or by quarter (the months summed; the year-to-date values of the
/// quarter's last month). A period's activity is the difference between consecutive
/// year-to-date figures; the first month of the list counts from the start of the year.
pub fn period_rows(months: &[(&MonthlyReport, bool)], by_quarter: bool) -> Vec<PeriodRow> {
    let mut rows: Vec<PeriodRow> = Vec::new();
    let mut prev: Option<&RegionFigures> = None;
    for (m, so_far) in months {
        let f = &m.total;
        let (new0, hours0, acts0) = prev.map_or((0, 0.0, 0), |p| {
            (p.registered_in_year, p.hours, p.activities)
        });
        let row = PeriodRow {
            period: if by_quarter {
                quarter_of(&m.period)
            } else {
                m.period.clone()
            },
            so_far: *so_far,
            registered: f.registered,
            new_volunteers: f.registered_in_year.saturating_sub(new0),
            hours: ((f.hours - hours0).max(0.0) * 10.0).round() / 10.0,
            activities: f.activities.saturating_sub(acts0),
            active_ytd: f.active,
            participation_percent: f.participation_percent,
            hours_ytd: f.hours,
            average_hours_ytd: f.average_hours,
        };
        prev = Some(f);
        match rows.last_mut() {
            Some(last) if by_quarter && last.period == row.period => {
                last.new_volunteers += row.new_volunteers;
                last.hours = ((last.hours + row.hours) * 10.0).round() / 10.0;
                last.activities += row.activities;
                last.so_far = row.so_far;
                last.registered = row.registered;
                last.active_ytd = row.active_ytd;
                last.participation_percent = row.participation_percent;
                last.hours_ytd = row.hours_ytd;
                last.average_hours_ytd = row.average_hours_ytd;
            }
            _ => rows.push(row),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_compliance_group_has_its_minimum_and_others_have_none() {
        assert_eq!(yearly_minimum_hours(VolunteerGroup::PartyMember), Some(20));
        assert_eq!(yearly_minimum_hours(VolunteerGroup::Cadre), Some(20));
        assert_eq!(
            yearly_minimum_hours(VolunteerGroup::CollegeStudent),
            Some(40)
        );
        assert_eq!(
            yearly_minimum_hours(VolunteerGroup::SchoolStudent),
            Some(20)
        );
        assert_eq!(yearly_minimum_hours(VolunteerGroup::Worker), None);
        for g in COMPLIANCE_GROUPS {
            assert!(yearly_minimum_hours(g).is_some());
        }
    }

    #[test]
    fn the_province_aims_higher_than_a_city() {
        let code = |s| RegionCode::parse(s).expect("code");
        assert_eq!(registration_target_percent(&code("150000")), 15.0);
        assert_eq!(registration_target_percent(&code("150600")), 13.0);
        assert_eq!(registration_target_percent(&code("150602")), 13.0);
    }

    #[test]
    fn a_year_outside_the_platform_s_life_is_refused_on_the_year_field() {
        assert_eq!(parse_year("2026", 2026), Ok(2026));
        assert_eq!(parse_year("2017", 2026).map_err(|e| e.field), Err("year"));
        assert_eq!(parse_year("2027", 2026).map_err(|e| e.field), Err("year"));
        assert_eq!(parse_year("twenty", 2026).map_err(|e| e.field), Err("year"));
    }

    #[test]
    fn percent_rounds_to_one_decimal_and_survives_an_empty_whole() {
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(5, 0), 0.0);
    }

    #[test]
    fn csv_quotes_separators_and_defuses_formulas() {
        let csv = to_csv(
            &["名称", "值"],
            &[
                vec!["a,b".into(), "say \"hi\"".into()],
                vec!["=HYPERLINK(\"x\")".into(), "-3".into()],
            ],
        );
        assert_eq!(
            csv,
            "\u{feff}名称,值\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\n"
        );
    }

    fn month(period: &str, registered_in_year: u64, hours: f64, activities: u64) -> MonthlyReport {
        MonthlyReport {
            period: period.into(),
            taken_at: String::new(),
            total: RegionFigures {
                region_code: "150602".into(),
                region_name: "东胜区".into(),
                population: 1000,
                registered: 100 + registered_in_year,
                registered_in_year,
                share_percent: 0.0,
                active: registered_in_year / 2,
                participation_percent: 0.0,
                hours,
                average_hours: 0.0,
                stars: [0; 6],
                organisations: 0,
                stations: 0,
                stations_five_have: 0,
                five_have_percent: 0.0,
                demonstration_stations: 0,
                activities,
                trainings: 0,
                needs_open: 0,
                needs_claimed: 0,
                needs_done: 0,
                ..Default::default()
            },
            children: vec![],
        }
    }

    #[test]
    fn a_months_figures_are_the_difference_of_the_year_to_date_and_quarters_sum_them() {
        let (m1, m2, m3, m4) = (
            month("2026-01", 5, 10.0, 1),
            month("2026-02", 8, 25.5, 3),
            month("2026-03", 20, 40.0, 4),
            month("2026-04", 21, 41.0, 6),
        );
        let list = [(&m1, false), (&m2, false), (&m3, false), (&m4, true)];
        let monthly = period_rows(&list, false);
        let news: Vec<u64> = monthly.iter().map(|r| r.new_volunteers).collect();
        assert_eq!(news, [5, 3, 12, 1]);
        let hours: Vec<f64> = monthly.iter().map(|r| r.hours).collect();
        assert_eq!(hours, [10.0, 15.5, 14.5, 1.0]);
        assert!(monthly[3].so_far);
        let quarterly = period_rows(&list, true);
        assert_eq!(quarterly.len(), 2);
        assert_eq!(quarterly[0].period, "2026-Q1");
        assert_eq!(quarterly[0].new_volunteers, 20);
        assert_eq!(quarterly[0].hours, 40.0);
        assert_eq!(quarterly[0].activities, 4);
        assert_eq!(quarterly[0].registered, 120, "where the quarter ended");
        assert!(!quarterly[0].so_far);
        assert_eq!(
            (
                quarterly[1].period.as_str(),
                quarterly[1].new_volunteers,
                quarterly[1].so_far
            ),
            ("2026-Q2", 1, true)
        );
    }
}
