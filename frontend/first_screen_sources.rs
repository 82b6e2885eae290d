// The first screen's sources (build.rs, the `first-screen` feature), shared with the unit
// test in src/i18n.rs that keeps this list true.

/// Sources (relative to `src/`) the map and station pages do not reach: the other pages,
/// and the components only they use. A new file is the first screen's unless named here
/// (its keys are kept: safe, only larger).
const NOT_FIRST_SCREEN: &[&str] = &[
    "pages/activities/",
    "pages/account.rs",
    "pages/records/",
    "pages/admin.rs",
    "pages/appeals.rs",
    "pages/archive.rs",
    "pages/audit.rs",
    "pages/auth.rs",
    "pages/exemplary.rs",
    "pages/me.rs",
    "pages/needs.rs",
    "pages/notice_settings.rs",
    "pages/notices.rs",
    "pages/orgs.rs",
    "pages/reset.rs",
    "pages/stats.rs",
    "pages/assisted.rs",
    "pages/backfills.rs",
    "pages/need_dispatch.rs",
    "pages/need_rating.rs",
    "components/calendar.rs",
    "components/download.rs",
    "components/enum_select.rs",
    "components/form.rs",
    "components/guardian.rs",
    "components/names.rs",
    "components/recheck.rs",
    "components/send_code.rs",
    "components/signed_in.rs",
];
