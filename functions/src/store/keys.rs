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
