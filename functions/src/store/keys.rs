//! Every key the table uses, built in one place. See the README's table design.

use zhiyuan_shared::region::RegionCode;

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";
pub const GSI2PK: &str = "GSI2PK";
pub const GSI2SK: &str = "GSI2SK";
pub const GSI3PK: &str = "GSI3PK";
pub const GSI3SK: &str = "GSI3SK";

/// Geohash precision of the geo index's partition key (≈ 120 × 150 km cells here): the
/// covering never queries coarser cells than this, and finer ones by sort-key prefix.
pub const GEO_PARTITION_PRECISION: u8 = 3;

pub fn station_pk(id: &str) -> String {
    format!("STATION#{id}")
}
pub const STATION_SK: &str = "STATION";

/// Geo index: partition by coarse cell, sort by the full geohash so a finer cell is a
/// `begins_with` on the sort key.
pub fn geo_pk(geohash: &str) -> String {
    let n = usize::from(GEO_PARTITION_PRECISION).min(geohash.len());
    format!("GEO#{}", &geohash[..n])
}
pub fn geo_sk(geohash: &str, id: &str) -> String {
    format!("{geohash}#{id}")
}

/// Fine geo index: partition by ≈ 5 km cell, so a small search reads a small partition
/// (a city's coarse cell would be a hot, large partition).
pub const FINE_GEO_PARTITION_PRECISION: u8 = 5;

pub fn fine_geo_pk(geohash: &str) -> String {
    let n = usize::from(FINE_GEO_PARTITION_PRECISION).min(geohash.len());
    format!("GEO5#{}", &geohash[..n])
}

/// Region index: one partition per province, sorted by full region code, so a city or a
/// banner is a `begins_with` on its code prefix.
pub fn region_pk(province: &str) -> String {
    format!("STREG#{province}")
}
pub fn region_sk(code: &RegionCode, id: &str) -> String {
    format!("{code}#{id}")
}

pub const REGIONS_PK: &str = "REGIONS";
pub fn region_item_sk(code: &RegionCode) -> String {
    code.to_string()
}

/// Marks that the local demo data has been written, so `make dev` seeds only once.
pub const SEED_MARKER_PK: &str = "META";
pub const SEED_MARKER_SK: &str = "DEMO_SEED";

/// The item `GET /api/health` reads: a GetItem on a key that need not exist.
pub const HEALTH_PK: &str = "META";
pub const HEALTH_SK: &str = "HEALTH";

// Accounts. The phone and ID-number guards are keyed by a blind index (a keyed hash), so
// uniqueness is enforced without the numbers in any key.
pub fn user_pk(id: &str) -> String {
    format!("USER#{id}")
}
pub const USER_SK: &str = "USER";
pub fn phone_guard_pk(index: &str) -> String {
    format!("PHONE#{index}")
}
pub const PHONE_GUARD_SK: &str = "PHONE";
pub fn id_guard_pk(index: &str) -> String {
    format!("IDNO#{index}")
}
pub const ID_GUARD_SK: &str = "IDNO";
pub const VOLUNTEER_SERIAL_PK: &str = "COUNTER#VOLUNTEER_NO";
/// Accounts closed whose tidying (withdrawn sign-ups, renamed lists) is not done yet, by
/// user id: written with the closing, deleted when the tidying ends, so a request that
/// died part way is finished by the scheduled run.
pub const CLOSING_PK: &str = "CLOSING";

// Organisations: the org item and its members share a partition; each member also has a
// mirror item in the user's partition ("my organisations", "am I a member").
pub fn org_pk(id: &str) -> String {
    format!("ORG#{id}")
}
pub const ORG_SK: &str = "ORG";
pub fn member_sk(status: &str, user_id: &str) -> String {
    format!("MEMBER#{status}#{user_id}")
}
pub fn member_prefix(status: &str) -> String {
    format!("MEMBER#{status}#")
}
pub fn membership_sk(org_id: &str) -> String {
    format!("MEMBERSHIP#{org_id}")
}
pub const MEMBERSHIP_PREFIX: &str = "MEMBERSHIP#";
/// Region index for organisations: one partition per province, sorted by status then
/// region code, so "pending in 1506…" (an admin queue) is one `begins_with`.
pub fn org_region_pk(province: &str) -> String {
    format!("ORGREG#{province}")
}
pub fn org_region_sk(status: &str, code: &RegionCode, id: &str) -> String {
    format!("{status}#{code}#{id}")
}
/// One organisation name per region.
pub fn org_name_guard_pk(code: &RegionCode, normalised_name: &str) -> String {
    format!("ORGNAME#{code}#{normalised_name}")
}
pub const ORG_NAME_GUARD_SK: &str = "ORGNAME";

/// Login attempt counters, one item per key and fixed window, expired by TTL.
pub fn throttle_pk(kind: &str, key: &str) -> String {
    format!("THROTTLE#{kind}#{key}")
}

pub const GSI4PK: &str = "GSI4PK";
pub const GSI4SK: &str = "GSI4SK";

// Activities: the activity and its shifts share one partition; the activity's listing
// entries (itself, under its province's service field, and copies for its organisation,
// station, city, banner and geohash cell) sit on GSI4 sorted by when the activity ends, so
// "upcoming" is a range on the sort key; a copy at a station is also listed by its start.
pub fn activity_pk(id: &str) -> String {
    format!("ACT#{id}")
}
pub const ACTIVITY_SK: &str = "ACT";
pub const ACTIVITY_BY_ORG_SK: &str = "BY#ORG";
pub const ACTIVITY_BY_STATION_SK: &str = "BY#STATION";
pub fn activities_of_org(org_id: &str) -> String {
    format!("ACTORG#{org_id}")
}
pub fn activities_of_station(station_id: &str) -> String {
    format!("ACTSTATION#{station_id}")
}
pub const ACTIVITY_BY_CITY_SK: &str = "BY#CITY";
pub const ACTIVITY_BY_BANNER_SK: &str = "BY#BANNER";
pub const ACTIVITY_BY_CELL_SK: &str = "BY#CELL";
/// A city's (four digits) or a banner's (six digits) upcoming activities: a listing of one
/// region reads its own partition, never the province's with a filter.
pub fn activities_of_region(prefix: &str) -> String {
    format!("ACTREG#{prefix}")
}
/// A province's upcoming activities of one service field (the activity item itself): a
/// province list narrowed by field reads its own partition, never the province's with a
/// filter.
pub fn activities_of_field(province: &str, field: &str) -> String {
    format!("ACTFIELD#{province}#{field}")
}
pub const ACTIVITY_BY_START_SK: &str = "BY#START";
/// Activities at a station, by city (four digits; two for a province-level region) and by
/// when they start, for "本周有活动": those whose shifts all fall within
/// [`START_LISTING_SPAN`] of their first, sorted by their first shift's start…
pub fn activities_starting(city: &str) -> String {
    format!("ACTSTART#{city}")
}
/// …and the longer-running ones, sorted by when they end (as every other listing).
pub fn long_activities(city: &str) -> String {
    format!("ACTLONG#{city}")
}
/// An activity whose last shift ends at most this long after its first starts is listed
/// by its start: if it has a shift still running at `t`, it ends after `t` and so starts
/// after `t - span`, and a range on the start finds it.
pub const START_LISTING_SPAN: i64 = 7 * 24 * 3600;
/// Geohash precision of the activity geo listing's partitions (≈ 39 × 20 km cells): a
/// 20 km circle is covered by a handful of them, each sorted by time like every listing.
pub const ACTIVITY_CELL_PRECISION: u8 = 4;
pub fn activities_in_cell(geohash: &str) -> String {
    let n = usize::from(ACTIVITY_CELL_PRECISION).min(geohash.len());
    format!("ACTGEO#{}", &geohash[..n])
}
/// Listing order: the end of the activity's last shift, then its id.
pub fn activity_list_sk(until_unix: i64, id: &str) -> String {
    format!("{until_unix:011}#{id}")
}
pub fn list_from(unix: i64) -> String {
    format!("{unix:011}#")
}
/// Sorts after `sk` (a listing sort key) and before every later one: ids are alphanumeric,
/// so `!` sorts below any character that could follow.
pub fn list_after(sk: &str) -> String {
    format!("{sk}!")
}
pub const LIST_END: &str = "~";

/// An activity's archive files sit in its partition.
pub fn attachment_sk(id: &str) -> String {
    format!("FILE#{id}")
}
pub const ATTACHMENT_PREFIX: &str = "FILE#";

pub fn shift_sk(n: u8) -> String {
    format!("SHIFT#{n:02}")
}
pub const SHIFT_PREFIX: &str = "SHIFT#";
/// A shift's public id: its activity's id and its number, so one id finds the partition.
pub fn shift_id(activity_id: &str, n: u8) -> String {
    format!("{activity_id}{n:02}")
}
/// The activity id and shift number of a shift id; None for anything malformed.
pub fn parse_shift_id(id: &str) -> Option<(&str, u8)> {
    if id.len() != 28 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let (a, n) = id.split_at(26);
    n.parse().ok().map(|n| (a, n))
}
// Sign-ups are off the activity's partition, so one popular activity's writes spread over
// many keys: a shift's places are split over a few counter items, each its own partition
// (a sign-up takes a place from one of them); its sign-ups and waitlist entries share a
// partition per shift; the count of those waiting is an item of its own.
pub fn places_pk(shift_id: &str, counter: u8) -> String {
    format!("PLACES#{shift_id}#{counter}")
}
pub const PLACES_SK: &str = "PLACES";
pub fn signups_pk(shift_id: &str) -> String {
    format!("SIGNUPS#{shift_id}")
}
pub fn signup_sk(user_id: &str) -> String {
    format!("SIGNUP#{user_id}")
}
pub const SIGNUP_PREFIX: &str = "SIGNUP#";
/// Waitlist entries sort by the time they joined (a ULID), so the first is the oldest.
pub fn wait_sk(ulid: &str) -> String {
    format!("WAIT#{ulid}")
}
pub const WAIT_PREFIX: &str = "WAIT#";
pub fn waitlist_pk(shift_id: &str) -> String {
    format!("WAITLIST#{shift_id}")
}
pub const WAITLIST_SK: &str = "WAITLIST";
/// Reminder queue: shifts not yet reminded, by local start date; sparse (removed once sent).
pub fn reminder_pk(cst_date: &str) -> String {
    format!("REMIND#{cst_date}")
}
pub fn reminder_sk(starts_unix: i64, shift_id: &str) -> String {
    format!("{starts_unix:011}#{shift_id}")
}

// In the user's partition: their sign-ups by start time ("my activities", overlap check)
// and their notices by id (a ULID, so newest last).
pub fn my_shift_sk(starts_unix: i64, shift_id: &str) -> String {
    format!("MYSHIFT#{starts_unix:011}#{shift_id}")
}
pub fn my_shift_from(unix: i64) -> String {
    format!("MYSHIFT#{unix:011}")
}
pub const MY_SHIFT_END: &str = "MYSHIFT#~";
pub const MY_SHIFT_PREFIX: &str = "MYSHIFT#";
/// Beside the user item: the times of their upcoming sign-ups, so a sign-up checks
/// overlaps from one item read with the shift (see `store::signups::ScheduleItem`).
pub const SCHEDULE_SK: &str = "SCHEDULE";
pub fn notice_sk(id: &str) -> String {
    format!("NOTICE#{id}")
}
pub const NOTICE_PREFIX: &str = "NOTICE#";
pub const NOTICE_END: &str = "NOTICE#~";

// Service records. A record lives in its activity's partition beside the shift it belongs
// to (one per volunteer and shift, so its key is its identity and a second check-in
// cannot make a second record); its audit entries follow it, numbered by version, so
// writing entry N is also the guard that change N happens once. Each record is also on
// GSI4 under its volunteer, by service time ("my records", certificates, transfers).
pub fn record_sk(n: u8, user_id: &str) -> String {
    format!("RECORD#{n:02}#{user_id}")
}
pub fn record_prefix(n: u8) -> String {
    format!("RECORD#{n:02}#")
}
/// A record's public id: its shift's id and its volunteer's id (28 + 26 characters).
pub fn record_id(shift_id: &str, user_id: &str) -> String {
    format!("{shift_id}{user_id}")
}
/// The shift id and user id of a local record id; None for anything malformed.
pub fn parse_record_id(id: &str) -> Option<(&str, &str)> {
    if id.len() != 54 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let (shift, user) = id.split_at(28);
    parse_shift_id(shift).map(|_| (shift, user))
}
pub fn audit_sk(record_sk: &str, version: u32) -> String {
    format!("AUDIT#{record_sk}#{version:04}")
}
pub fn audit_prefix(record_sk: &str) -> String {
    format!("AUDIT#{record_sk}#")
}
pub fn records_of_user(user_id: &str) -> String {
    format!("VREC#{user_id}")
}
pub fn record_list_sk(starts_unix: i64, record_id: &str) -> String {
    format!("{starts_unix:011}#{record_id}")
}
/// Records transferred in from another deployment sit in the volunteer's partition, keyed
/// by their origin id: importing one twice is a failed `attribute_not_exists`.
pub fn transferred_sk(origin_id: &str) -> String {
    format!("XREC#{origin_id}")
}
/// Open records (checked in, not out) wait here, by the local date their shift ends, to be
/// closed automatically at its end.
pub fn autoclose_pk(cst_date: &str) -> String {
    format!("AUTOCLOSE#{cst_date}")
}
pub fn autoclose_sk(ends_unix: i64, record_id: &str) -> String {
    format!("{ends_unix:011}#{record_id}")
}
/// Issued certificates, by verification code (a public look-up).
pub fn certificate_pk(code: &str) -> String {
    format!("CERT#{code}")
}
pub const CERTIFICATE_SK: &str = "CERT";

// Statistics (SPEC §10). Counters per region, split over a few shards so concurrent
// confirmations in one banner do not all contend for one item; a dashboard reads
// shards × (1 + years) items per region, whatever the number of volunteers.
pub const STAT_SHARDS: u32 = 4;
pub fn stat_pk(region_code: &str, shard: u32) -> String {
    format!("STAT#{region_code}#{shard}")
}
/// Counters that are a state now (volunteers, stars, organisations, stations).
pub const STAT_ALL_SK: &str = "ALL";
/// Counters of one calendar year (China Standard Time).
pub fn stat_year_sk(year: i32) -> String {
    format!("YEAR#{year}")
}
/// Which shard an entity's counters go to: a stable hash of its id.
pub fn stat_shard(id: &str) -> u32 {
    // FNV-1a: stable across builds and platforms, unlike the std hasher.
    let h = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    h % STAT_SHARDS
}

/// A volunteer's membership of a group with a yearly minimum (compliance lists): an item
/// in the user's partition, on GSI3 by group and province, sorted by region code, so "the
/// party members of 1506…" is one `begins_with`.
pub fn group_member_sk(group: &str) -> String {
    format!("GROUP#{group}")
}
pub fn group_index_pk(group: &str, province: &str) -> String {
    format!("GROUP#{group}#{province}")
}
pub fn group_index_sk(code: &str, user_id: &str) -> String {
    format!("{code}#{user_id}")
}

// Needs (供需对接). The need in its own partition; a mirror in the poster's partition ("my
// needs"); on GSI4 by coarse geo cell then status and full geohash ("open needs near"), and
// on GSI1 by province then status and region ("open needs of 1506…").
pub fn need_pk(id: &str) -> String {
    format!("NEED#{id}")
}
pub const NEED_SK: &str = "NEED";
pub fn my_need_sk(id: &str) -> String {
    format!("MYNEED#{id}")
}
pub const MY_NEED_PREFIX: &str = "MYNEED#";
pub fn need_geo_pk(geohash: &str) -> String {
    let n = usize::from(GEO_PARTITION_PRECISION).min(geohash.len());
    format!("NEEDGEO#{}", &geohash[..n])
}
pub fn need_geo_sk(status: &str, geohash: &str, id: &str) -> String {
    format!("{status}#{geohash}#{id}")
}
pub fn need_region_pk(province: &str) -> String {
    format!("NEEDREG#{province}")
}
pub fn need_region_sk(status: &str, code: &str, posted_unix: i64, id: &str) -> String {
    format!("{status}#{code}#{posted_unix:011}#{id}")
}
// While a need is dispatched (派单): on GSI2 in one partition of every dispatch by its
// deadline (the scheduled job reads what is due), and on GSI3 under the organisation it was
// dispatched to ("dispatched to us"), by the same deadline.
pub const NEED_DUE_PK: &str = "NEEDDUE";
pub fn need_due_sk(answer_by_unix: i64, id: &str) -> String {
    format!("{answer_by_unix:011}#{id}")
}
pub fn need_due_until(unix: i64) -> String {
    format!("{unix:011}#~")
}
pub fn need_to_pk(org_id: &str) -> String {
    format!("NEEDTO#{org_id}")
}

/// Monthly reports: one partition per region, one item per month.
pub fn report_pk(region: &str) -> String {
    format!("REPORT#{region}")
}
/// One item per month saying its reports were all written.
pub const REPORT_RUN_PK: &str = "REPORTRUN";

// Nominations (选树典型): the nomination, and on GSI4 by province, then year and region.
pub fn nomination_pk(id: &str) -> String {
    format!("NOM#{id}")
}
pub const NOMINATION_SK: &str = "NOM";
pub fn nominations_pk(province: &str) -> String {
    format!("NOMS#{province}")
}
pub fn nominations_sk(year: i32, code: &str, id: &str) -> String {
    format!("{year}#{code}#{id}")
}

/// Verification codes: one item per phone (by blind index) and purpose, so a new code for
/// the same phone and purpose replaces the last one.
pub fn code_pk(phone_index: &str) -> String {
    format!("CODE#{phone_index}")
}

// Calendar feeds (订阅我的日历): the feed token is never stored, only its SHA-256. The
// lookup item is keyed by the hash; the user's partition holds the current hash (so a new
// feed deletes the old lookup in the same transaction) and, for the feed's STATUS:CANCELLED
// events, a marker per confirmed sign-up the volunteer withdrew, by start time.
pub fn calendar_feed_pk(hash: &str) -> String {
    format!("CALFEED#{hash}")
}
pub const CALENDAR_FEED_SK: &str = "CALFEED";
pub fn calendar_gone_sk(starts_unix: i64, shift_id: &str) -> String {
    format!("CALGONE#{starts_unix:011}#{shift_id}")
}
pub const CALENDAR_GONE_PREFIX: &str = "CALGONE#";
pub fn calendar_gone_from(unix: i64) -> String {
    format!("CALGONE#{unix:011}")
}

// Notices by SMS: the person's settings in their partition; one queue item per notice
// (keyed by the notice id, so enqueuing twice leaves one), listed on GSI4 while pending,
// spread over a few partitions and sorted by when it is due.
pub const NOTICE_SETTINGS_SK: &str = "NOTICE_SETTINGS";
pub fn sms_pk(notice_id: &str) -> String {
    format!("SMS#{notice_id}")
}
pub const SMS_SK: &str = "SMS";
pub const SMS_QUEUE_SHARDS: u8 = 4;
pub fn sms_queue_pk(shard: u8) -> String {
    format!("SMSQ#{shard}")
}
pub fn sms_queue_sk(due_unix: i64, notice_id: &str) -> String {
    format!("{due_unix:011}#{notice_id}")
}
/// Sorts after every queue entry due at or before `unix`.
pub fn sms_queue_until(unix: i64) -> String {
    format!("{unix:011}#~")
}

// Identity appeals (身份证被占用申诉): the appeal in its own partition with its decision
// entry; on GSI4 by province, then status and region ("pending in 1506…" is one
// `begins_with`); on GSI1 by appellant. One pending appeal per appellant and ID number
// (by its blind index) is a guard item; uploaded photos wait in the user's partition.
pub fn appeal_pk(id: &str) -> String {
    format!("APPEAL#{id}")
}
pub const APPEAL_SK: &str = "APPEAL";
pub const APPEAL_DECISION_SK: &str = "DECISION";
pub fn appeals_of_province(province: &str) -> String {
    format!("APPEALREG#{province}")
}
pub fn appeal_queue_sk(status: &str, region_prefix: &str, id: &str) -> String {
    format!("{status}#{region_prefix}#{id}")
}
pub fn appeals_of_user(user_id: &str) -> String {
    format!("APPEALBY#{user_id}")
}
pub fn appeal_guard_pk(user_id: &str, id_index: &str) -> String {
    format!("APPEALGUARD#{user_id}#{id_index}")
}
pub const APPEAL_GUARD_SK: &str = "APPEALGUARD";
pub fn appeal_photo_sk(photo_id: &str) -> String {
    format!("{APPEAL_PHOTO_PREFIX}{photo_id}")
}
pub const APPEAL_PHOTO_PREFIX: &str = "APPEALPHOTO#";

// Personal-data key rotation (`zhiyuan-admin rotate-pii-keys`): where the scan of user
// items has got to, so a stopped run resumes there.
pub const PII_ROTATION_PK: &str = "META";
pub const PII_ROTATION_SK: &str = "PII_ROTATION";

// The personal-data trail: each view in its subject's partition, newest last by time
// ("who saw my data"); on GSI4 by the subject's province, then region and time ("who saw
// the data of people in 150602" is one `begins_with`).
pub fn pd_views_pk(subject_id: &str) -> String {
    format!("PDVIEW#{subject_id}")
}
pub fn pd_view_sk(at: &str, id: &str) -> String {
    format!("{at}#{id}")
}
pub fn pd_views_of_province(province: &str) -> String {
    format!("PDVIEWREG#{province}")
}
pub fn pd_view_region_sk(region_code: &str, at: &str, id: &str) -> String {
    format!("{region_code}#{at}#{id}")
}

// Regular activities (常态化): a series in its own partition with a copy under its station
// (GSI4 `SERIESST#station`, for the station's schedule); while occurrences are still to be
// published the series is on GSI4 `SERIESDUE`, sorted by when the next one is due (its
// first shift's start less the weeks published ahead). Occurrences are activities
// (`ACT#id`) whose ids follow from the series id and their index.
pub fn series_pk(id: &str) -> String {
    format!("SERIES#{id}")
}
pub const SERIES_SK: &str = "SERIES";
pub const SERIES_BY_STATION_SK: &str = "BY#STATION";
pub const SERIES_DUE_PK: &str = "SERIESDUE";
pub fn series_due_sk(due_unix: i64, id: &str) -> String {
    format!("{:011}#{id}", due_unix.max(0))
}
/// Sorts after every due entry due at or before `unix`.
pub fn series_due_until(unix: i64) -> String {
    format!("{:011}#~", unix.max(0))
}
pub fn series_of_station(station_id: &str) -> String {
    format!("SERIESST#{station_id}")
}
// Ratings of needs (评单): the rating in the need's partition (one per need: the put is
// conditional on its absence), on GSI4 under the organisation that served it by time
// ("recent ratings of this org" is one Query, newest first); the organisation's totals
// (count, stars, each star level) in one item of its partition, moved by `ADD` in the
// rating's transaction.
pub const NEED_RATING_SK: &str = "RATING";
pub fn org_ratings_pk(org_id: &str) -> String {
    format!("ORGRATINGS#{org_id}")
}
pub fn org_rating_sk(rated_unix: i64, need_id: &str) -> String {
    format!("{rated_unix:011}#{need_id}")
}
pub const ORG_RATING_TOTALS_SK: &str = "RATINGS";
// Hours with evidence (补录): the application in its own partition; on GSI4 by
// organisation, then status ("pending applications of this organisation" is one
// `begins_with`); on GSI1 by applicant ("my applications", newest first by id).
pub fn backfill_pk(id: &str) -> String {
    format!("BACKFILL#{id}")
}
pub const BACKFILL_SK: &str = "BACKFILL";
pub fn backfills_of_org(org_id: &str) -> String {
    format!("BACKFILLORG#{org_id}")
}
pub fn backfill_queue_sk(status: &str, id: &str) -> String {
    format!("{status}#{id}")
}
pub fn backfills_of_user(user_id: &str) -> String {
    format!("BACKFILLBY#{user_id}")
}
