//! Periodic reports (定期报表, SPEC §10): each region's figures at every month's end, kept
//! as they were, so an office can print or export a month or a quarter and compare it
//! with the next. The scheduled job writes them in the first run of a new month; the
//! page adds the month under way from the live counters.

use super::stats::region_figures;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::reports::ReportItem;
use zhiyuan_shared::region::RegionCode;
use zhiyuan_shared::stats::{MonthlyReport, PeriodicReports, Targets};
use zhiyuan_shared::time::Timestamp;

/// `2026-10` of a (year, month).
fn period(year: i32, month: u8) -> String {
    format!("{year:04}-{month:02}")
}

/// The month that ended most recently before `now` (CST), as (year, month).
pub fn month_before(now: Timestamp) -> (i32, u8) {
    let d = now.cst_date();
    if d.month == 1 {
        (i32::from(d.year) - 1, 12)
    } else {
        (i32::from(d.year), d.month - 1)
    }
}

/// Writes every region's report of the month that just ended, once. Returns how many were
/// written (0 when that month's are already there). Safe to run twice at once: each report
/// is written only if absent, and the month is marked done last.
pub async fn take_due(store: &Store, now: Timestamp) -> Result<usize, ApiError> {
    let (year, month) = month_before(now);
    let p = period(year, month);
    if store.reports_taken(&p).await? {
        return Ok(0);
    }
    let current = i32::from(now.cst_date().year);
    let regions = store.all_regions().await?;
    let taken_at = now.rfc3339_cst();
    for r in &regions {
        let (total, children) = region_figures(store, &regions, &r.code, year, current).await?;
        let report = MonthlyReport {
            period: p.clone(),
            taken_at: taken_at.clone(),
            total,
            children,
        };
        store
            .put_monthly_report(&ReportItem {
                region_code: r.code.clone(),
                period: p.clone(),
                taken_at: taken_at.clone(),
                figures: report,
            })
            .await?;
    }
    store.mark_reports_taken(&p, &taken_at).await?;
    Ok(regions.len())
}

/// A region's monthly reports of `year` for its admins; in the current year with the
/// month so far.
pub async fn list(
    store: &Store,
    caller: &Caller,
    region: &RegionCode,
    year: i32,
    now: Timestamp,
) -> Result<PeriodicReports, ApiError> {
    caller.require_region_admin(region)?;
    let regions = store.all_regions().await?;
    let this = regions
        .iter()
        .find(|r| &r.code == region)
        .ok_or_else(|| ApiError::invalid("region", "is not a known region"))?;
    let months: Vec<MonthlyReport> = store
        .monthly_reports(region.as_str(), year)
        .await?
        .into_iter()
        .map(|item| item.figures)
        .collect();
    let today = now.cst_date();
    let current_year = i32::from(today.year);
    let current = if year == current_year {
        let (total, children) = region_figures(store, &regions, region, year, year).await?;
        Some(MonthlyReport {
            period: period(year, today.month),
            taken_at: now.rfc3339_cst(),
            total,
            children,
        })
    } else {
        None
    };
    Ok(PeriodicReports {
        region_code: this.code.to_string(),
        region_name: this.name.clone(),
        year,
        targets: Targets::for_region(region),
        months,
        current,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_before_january_is_last_years_december() {
        let jan = Timestamp::parse("2027-01-01T00:05:00+08:00").expect("time");
        assert_eq!(month_before(jan), (2026, 12));
        // 2026-11-01 00:05 in Beijing is still October 31 in UTC: CST decides.
        let nov = Timestamp::parse("2026-10-31T16:05:00Z").expect("time");
        assert_eq!(month_before(nov), (2026, 10));
    }
}
