// The other public pages' sources (`public.html`; build.rs, the `public-pages` feature),
// shared with the unit test in src/i18n.rs that keeps this list true.

/// Sources (relative to `src/`) that `public.html`'s pages (activities, needs and their
/// pages, verification, perks, 选树典型) do not reach: the map, the full app's pages and the
/// components only they use. A new file is the public pages' unless named here (its keys
/// are kept: safe, only larger).
const NOT_PUBLIC_PAGES: &[&str] = &[
    "pages/activities/mine.rs",
    "pages/activities/publish.rs",
    "pages/account.rs",
    "pages/records/checkin.rs",
    "pages/records/checkin_screen.rs",
    "pages/records/my_hours.rs",
    "pages/records/record.rs",
    "pages/records/transfer.rs",
    "pages/admin.rs",
    "pages/appeals.rs",
    "pages/audit.rs",
    "pages/auth.rs",
    "pages/home.rs",
    "pages/me.rs",
    "pages/notice_settings.rs",
    "pages/notices.rs",
    "pages/orgs.rs",
    "pages/reset.rs",
    "pages/station.rs",
    "pages/stats.rs",
    "pages/assisted.rs",
    "pages/backfills.rs",
    "components/calendar.rs",
    "components/map.rs",
    "components/recheck.rs",
    "components/send_code.rs",
];
