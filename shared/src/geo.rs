//! Geographic maths on the WGS-84 sphere approximation: validated points, great-circle
//! distance, geohash cells, and the small set of cells that covers a search circle.
//!
//! The nearby-stations query keys a DynamoDB index by geohash cell, so a request is
//! answered by querying the few cells that cover the circle and sorting the candidates by
//! exact distance. Everything here is pure so it is unit-tested without a store.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Mean earth radius (IUGG), metres. Distances and coverings use the same sphere so a point
/// the covering admits is judged by the same measure.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The most cells one covering may have: the store runs one query per cell.
pub const MAX_COVERING_CELLS: usize = 9;

/// Finest geohash precision the covering considers (≈ 150 m cells).
pub const MAX_PRECISION: u8 = 7;

/// Precision of stored geohashes (≈ 5 m): fine enough for any covering prefix.
pub const STORED_PRECISION: u8 = 9;

const BASE32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("latitude must be a number from -90 to 90")]
    Latitude,
    #[error("longitude must be a number from -180 to 180")]
    Longitude,
    #[error("radius must be more than 0 and at most {max_km} km")]
    Radius { max_km: f64 },
    #[error("geohash must be 1 to 12 characters of the geohash alphabet")]
    Geohash,
}

/// A point on earth. Built only through [`LatLng::new`], so it is always in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawLatLng", into = "RawLatLng")]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

#[derive(Serialize, Deserialize)]
struct RawLatLng {
    lat: f64,
    lng: f64,
}

impl TryFrom<RawLatLng> for LatLng {
    type Error = GeoError;
    fn try_from(raw: RawLatLng) -> Result<Self, GeoError> {
        LatLng::new(raw.lat, raw.lng)
    }
}

impl From<LatLng> for RawLatLng {
    fn from(p: LatLng) -> Self {
        RawLatLng {
            lat: p.lat,
            lng: p.lng,
        }
    }
}

/// Degrees closer to 0 than this (about 0.1 mm on the ground) are 0. A point sent as
/// 2e-275 is the equator to any map, but DynamoDB stores no number smaller than 1e-130 and
/// refuses the whole write (found by the OpenAPI fuzzer as a 503 on `POST /api/needs`).
const TINY_DEGREES: f64 = 1e-9;

fn flush_tiny(degrees: f64) -> f64 {
    if degrees.abs() < TINY_DEGREES {
        0.0
    } else {
        degrees
    }
}

impl LatLng {
    pub fn new(lat: f64, lng: f64) -> Result<Self, GeoError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::Latitude);
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            return Err(GeoError::Longitude);
        }
        Ok(Self {
            lat: flush_tiny(lat),
            lng: flush_tiny(lng),
        })
    }
    pub fn lat(&self) -> f64 {
        self.lat
    }
    pub fn lng(&self) -> f64 {
        self.lng
    }
}

impl fmt::Display for LatLng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6},{:.6}", self.lat, self.lng)
    }
}

/// Side of a coarse cell in degrees of latitude (30″, ≈ 0.93 km).
pub const COARSE_CELL_DEG: f64 = 1.0 / 120.0;

/// The centre of the fixed ≈ 1 km grid cell holding `p`: what the public is shown of a
/// place that must not be pinpointed (a need's home). Rows are 30″ of latitude; each row
/// is cut into cells of about the same width on the ground (its step in longitude is set
/// by the row's middle latitude). The grid is the same for every caller and every query,
/// so asking again, from elsewhere or with another radius, gives the same point and
/// repeated answers cannot be averaged towards the real one.
pub fn coarse_cell(p: LatLng) -> LatLng {
    let row = (p.lat / COARSE_CELL_DEG).floor();
    let lat = ((row + 0.5) * COARSE_CELL_DEG).clamp(-90.0, 90.0);
    // Near the poles a row is narrow; its cells are capped at a whole turn.
    let lng_step =
        (COARSE_CELL_DEG / lat.to_radians().cos().max(COARSE_CELL_DEG / 360.0)).min(360.0);
    let col = ((p.lng + 180.0) / lng_step).floor();
    let lng = ((col + 0.5) * lng_step - 180.0).clamp(-180.0, 180.0);
    // Six decimals: the cell centre needs no more, and equal cells print equally.
    let round6 = |v: f64| (v * 1e6).round() / 1e6;
    LatLng {
        lat: round6(lat),
        lng: round6(lng),
    }
}

/// Great-circle distance in metres (haversine).
pub fn distance_m(a: LatLng, b: LatLng) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lng - a.lng).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A search radius, validated against the largest the API allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radius {
    metres: f64,
}

impl Radius {
    /// The largest search radius: big enough to find a station from anywhere in a rural
    /// banner, small enough that the covering stays at a handful of coarse cells.
    pub const MAX_KM: f64 = 50.0;
    pub const DEFAULT_KM: f64 = 20.0;

    pub fn from_km(km: f64) -> Result<Self, GeoError> {
        if !km.is_finite() || km <= 0.0 || km > Self::MAX_KM {
            return Err(GeoError::Radius {
                max_km: Self::MAX_KM,
            });
        }
        Ok(Self {
            metres: km * 1000.0,
        })
    }
    pub fn metres(&self) -> f64 {
        self.metres
    }

    /// A radius in metres, clamped into the valid range (for radii the server derives).
    pub fn clamped_metres(m: f64) -> Self {
        Self {
            metres: m.clamp(1.0, Self::MAX_KM * 1000.0),
        }
    }
}

impl Default for Radius {
    fn default() -> Self {
        Self {
            metres: Self::DEFAULT_KM * 1000.0,
        }
    }
}

fn bits(precision: u8) -> (u32, u32) {
    let total = 5 * u32::from(precision);
    // Geohash interleaves starting with longitude, so longitude gets the odd extra bit.
    (total.div_ceil(2), total / 2)
}

fn cell_size_deg(precision: u8) -> (f64, f64) {
    let (lng_bits, lat_bits) = bits(precision);
    (
        360.0 / f64::from(1u32 << lng_bits),
        180.0 / f64::from(1u32 << lat_bits),
    )
}

fn lat_index(lat: f64, precision: u8) -> u64 {
    let (_, lat_bits) = bits(precision);
    let (_, size) = cell_size_deg(precision);
    let max = (1u64 << lat_bits) - 1;
    (((lat + 90.0) / size).floor().max(0.0) as u64).min(max)
}

fn lng_index(lng: f64, precision: u8) -> u64 {
    let (lng_bits, _) = bits(precision);
    let (size, _) = cell_size_deg(precision);
    let n = 1i64 << lng_bits;
    // Wrap so 180° and -180° (and anything past them) land on the same column grid.
    let idx = ((lng + 180.0) / size).floor() as i64;
    idx.rem_euclid(n) as u64
}

fn cell_hash(lat_idx: u64, lng_idx: u64, precision: u8) -> String {
    let (lng_bits, lat_bits) = bits(precision);
    let total = 5 * u32::from(precision);
    let (mut lng_left, mut lat_left) = (lng_bits, lat_bits);
    let mut out = String::with_capacity(usize::from(precision));
    let mut chunk = 0usize;
    for i in 0..total {
        let bit = if i % 2 == 0 {
            lng_left -= 1;
            (lng_idx >> lng_left) & 1
        } else {
            lat_left -= 1;
            (lat_idx >> lat_left) & 1
        };
        chunk = (chunk << 1) | bit as usize;
        if i % 5 == 4 {
            out.push(char::from(BASE32[chunk]));
            chunk = 0;
        }
    }
    out
}

/// The geohash of a point at the given precision (1–12).
pub fn geohash(p: LatLng, precision: u8) -> String {
    let precision = precision.clamp(1, 12);
    cell_hash(
        lat_index(p.lat, precision),
        lng_index(p.lng, precision),
        precision,
    )
}

/// A geohash cell's bounds: (south, west, north, east) in degrees.
pub fn cell_bounds(hash: &str) -> Result<(f64, f64, f64, f64), GeoError> {
    if hash.is_empty() || hash.len() > 12 {
        return Err(GeoError::Geohash);
    }
    let (mut s, mut w, mut n, mut e) = (-90.0, -180.0, 90.0, 180.0);
    let mut is_lng = true;
    for c in hash.bytes() {
        let v = BASE32
            .iter()
            .position(|&b| b == c)
            .ok_or(GeoError::Geohash)?;
        for shift in (0..5).rev() {
            let bit = (v >> shift) & 1 == 1;
            if is_lng {
                let mid = (w + e) / 2.0;
                if bit { w = mid } else { e = mid }
            } else {
                let mid = (s + n) / 2.0;
                if bit { s = mid } else { n = mid }
            }
            is_lng = !is_lng;
        }
    }
    Ok((s, w, n, e))
}

/// The (2·rings + 1)² block of cells centred on `hash`'s cell (fewer at a pole), and the
/// radius around `centre` (a point inside the middle cell) that the block is sure to
/// contain: the great-circle distance to the block's nearest outer edge.
pub fn block_around(centre: LatLng, hash: &str, rings: u8) -> Result<(Vec<String>, f64), GeoError> {
    let (s, w, n, e) = cell_bounds(hash)?;
    let precision = hash.len() as u8;
    let (dh, dw) = (n - s, e - w);
    let (mid_lat, mid_lng) = ((s + n) / 2.0, (w + e) / 2.0);
    let r = i32::from(rings);
    let mut cells = Vec::with_capacity(((2 * r + 1) * (2 * r + 1)) as usize);
    for dy in -r..=r {
        let lat = mid_lat + f64::from(dy) * dh;
        if !(-90.0..=90.0).contains(&lat) {
            continue;
        }
        for dx in -r..=r {
            let lng = (mid_lng + f64::from(dx) * dw + 540.0).rem_euclid(360.0) - 180.0;
            let cell = cell_hash(
                lat_index(lat, precision),
                lng_index(lng, precision),
                precision,
            );
            if !cells.contains(&cell) {
                cells.push(cell);
            }
        }
    }
    let (k, phi) = (f64::from(rings), centre.lat.to_radians());
    let to_parallel = |lat: f64| (lat - centre.lat).abs().to_radians() * EARTH_RADIUS_M;
    // Shortest distance from a point to a meridian Δλ away: asin(cos φ · sin Δλ).
    let to_meridian = |lng: f64| {
        (phi.cos()
            * (lng - centre.lng)
                .abs()
                .to_radians()
                .min(std::f64::consts::FRAC_PI_2)
                .sin())
        .asin()
            * EARTH_RADIUS_M
    };
    let sure = to_parallel((s - k * dh).max(-90.0))
        .min(to_parallel((n + k * dh).min(90.0)))
        .min(to_meridian(w - k * dw))
        .min(to_meridian(e + k * dw));
    Ok((cells, sure))
}

/// The area of a geohash cell on the sphere, in square metres.
pub fn cell_area_m2(hash: &str) -> Result<f64, GeoError> {
    let (s, w, n, e) = cell_bounds(hash)?;
    Ok(EARTH_RADIUS_M
        * EARTH_RADIUS_M
        * (e - w).to_radians()
        * (n.to_radians().sin() - s.to_radians().sin()))
}

/// The cells whose union contains every point within `radius` of `centre`.
#[derive(Debug, Clone, PartialEq)]
pub struct Covering {
    pub precision: u8,
    pub cells: Vec<String>,
}

/// The finest geohash covering of a circle with at most [`MAX_COVERING_CELLS`] cells, no
/// coarser than `min_precision` (the store's partition precision). The circle's exact
/// latitude band and longitude span on the sphere are covered, including circles that
/// cross the antimeridian or contain a pole (then every longitude is covered).
pub fn covering(centre: LatLng, radius: Radius, min_precision: u8) -> Covering {
    covering_with_at_most(centre, radius, min_precision, MAX_COVERING_CELLS)
}

/// [`covering`] with a smaller cell budget, for callers that spent queries already.
pub fn covering_with_at_most(
    centre: LatLng,
    radius: Radius,
    min_precision: u8,
    max_cells: usize,
) -> Covering {
    let delta = radius.metres() / EARTH_RADIUS_M; // angular radius, radians
    let phi = centre.lat.to_radians();
    let south = (phi - delta).to_degrees().max(-90.0);
    let north = (phi + delta).to_degrees().min(90.0);
    // Longitude half-span of a spherical cap: asin(sin δ / cos φ); the whole circle of
    // longitudes once the cap reaches a pole.
    let full_lng = phi.cos() <= delta.sin() || north >= 90.0 || south <= -90.0;
    let half_span = if full_lng {
        180.0
    } else {
        (delta.sin() / phi.cos()).asin().to_degrees()
    };
    let min_precision = min_precision.clamp(1, MAX_PRECISION);
    let mut precision = MAX_PRECISION;
    loop {
        let band = Band::new(south, north, centre.lng, half_span, precision);
        if band.len() <= max_cells.max(1) as u64 || precision == min_precision {
            return Covering {
                precision,
                cells: band.cells(precision),
            };
        }
        precision -= 1;
    }
}

/// The rows and (possibly wrapping) columns of cells that a latitude band and longitude span
/// touch at one precision. Counted before any hash is built, since fine precisions can
/// touch tens of thousands of cells.
struct Band {
    rows: (u64, u64),
    first_column: u64,
    column_count: u64,
    columns: u64,
}

impl Band {
    fn new(south: f64, north: f64, lng: f64, half_span: f64, precision: u8) -> Self {
        let (lng_bits, _) = bits(precision);
        let columns = 1u64 << lng_bits;
        let rows = (lat_index(south, precision), lat_index(north, precision));
        let (first_column, column_count) = if half_span >= 180.0 {
            (0, columns)
        } else {
            let c0 = lng_index(lng - half_span, precision);
            let c1 = lng_index(lng + half_span, precision);
            // Going east from c0 to c1, possibly across the antimeridian.
            (c0, ((c1 + columns - c0) % columns + 1).min(columns))
        };
        Band {
            rows,
            first_column,
            column_count,
            columns,
        }
    }

    fn len(&self) -> u64 {
        (self.rows.1 - self.rows.0 + 1).saturating_mul(self.column_count)
    }

    fn cells(&self, precision: u8) -> Vec<String> {
        let mut out = Vec::new();
        for r in self.rows.0..=self.rows.1 {
            for k in 0..self.column_count {
                out.push(cell_hash(
                    r,
                    (self.first_column + k) % self.columns,
                    precision,
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lng: f64) -> LatLng {
        LatLng::new(lat, lng).expect("valid test point")
    }

    #[test]
    fn two_points_in_one_coarse_cell_show_the_same_centre() {
        let a = coarse_cell(p(39.8171, 109.9771));
        let b = coarse_cell(p(39.8199, 109.9801));
        assert_eq!(a, b);
        // The centre is within the cell: under a kilometre from either point.
        assert!(distance_m(a, p(39.8171, 109.9771)) < 1000.0);
    }

    #[test]
    fn coarse_cells_are_about_a_kilometre_across() {
        let here = coarse_cell(p(39.8171, 109.9771));
        // Rows are cut separately, so the next row's centre is a row north, not straight up.
        let north = coarse_cell(p(39.8171 + COARSE_CELL_DEG, 109.9771));
        let row_m = distance_m(here, p(north.lat(), here.lng()));
        let east_step = COARSE_CELL_DEG / here.lat().to_radians().cos();
        let east = coarse_cell(p(39.8171, 109.9771 + east_step));
        let cell_m = distance_m(here, east);
        for d in [row_m, cell_m] {
            assert!((850.0..1000.0).contains(&d), "{d} m between cell centres");
        }
    }

    #[test]
    fn coarse_cells_stay_on_the_globe() {
        for (lat, lng) in [
            (90.0, 180.0),
            (-90.0, -180.0),
            (0.0, 0.0),
            (89.999, 179.999),
        ] {
            let c = coarse_cell(p(lat, lng));
            assert!(LatLng::new(c.lat(), c.lng()).is_ok());
        }
    }

    #[test]
    fn geohash_matches_the_reference_encoding() {
        // Reference values from the original geohash.org examples.
        assert_eq!(geohash(p(57.64911, 10.40744), 11), "u4pruydqqvj");
        assert_eq!(geohash(p(42.6, -5.6), 5), "ezs42");
    }

    #[test]
    fn a_point_lies_inside_its_own_cell() {
        for (lat, lng) in [
            (39.608, 109.781),
            (-33.9, 151.2),
            (0.0, 0.0),
            (89.99, -179.99),
            (-90.0, 180.0),
        ] {
            for precision in 1..=9 {
                let (s, w, n, e) =
                    cell_bounds(&geohash(p(lat, lng), precision)).expect("own hash decodes");
                assert!(s <= lat && lat <= n, "lat {lat} in {s}..{n} at {precision}");
                let lng_norm = if lng == 180.0 { -180.0 } else { lng };
                assert!(
                    w <= lng_norm && lng_norm <= e,
                    "lng {lng} in {w}..{e} at {precision}"
                );
            }
        }
    }

    #[test]
    fn distance_between_known_cities_is_right_to_a_kilometre() {
        // Kangbashi to Hohhot ≈ 210 km; Beijing to Shanghai ≈ 1067 km.
        let d = distance_m(p(39.608, 109.781), p(40.842, 111.749)) / 1000.0;
        assert!((d - 220.6).abs() < 5.0, "{d}");
        let d = distance_m(p(39.9042, 116.4074), p(31.2304, 121.4737)) / 1000.0;
        assert!((d - 1067.0).abs() < 5.0, "{d}");
        assert_eq!(distance_m(p(10.0, 20.0), p(10.0, 20.0)), 0.0);
        // Half the circumference between antipodes.
        let d = distance_m(p(0.0, 0.0), p(0.0, 180.0));
        assert!((d - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1.0);
    }

    #[test]
    fn out_of_range_points_and_radii_are_rejected() {
        assert_eq!(LatLng::new(91.0, 0.0), Err(GeoError::Latitude));
        assert_eq!(LatLng::new(0.0, -180.5), Err(GeoError::Longitude));
        assert_eq!(LatLng::new(f64::NAN, 0.0), Err(GeoError::Latitude));
        // Smaller than any place needs, and than DynamoDB can store: the point is 0.
        let tiny = LatLng::new(-9.3e-46, 2.2e-275).expect("in range");
        assert_eq!((tiny.lat(), tiny.lng()), (0.0, 0.0));
        assert_eq!(LatLng::new(39.608_123_4, 1e-6).map(|p| p.lng()), Ok(1e-6));
        assert!(Radius::from_km(0.0).is_err());
        assert!(Radius::from_km(10_000.0).is_err());
        assert!(Radius::from_km(-1.0).is_err());
        assert!(Radius::from_km(50.0).is_ok());
        assert!(serde_json::from_str::<LatLng>(r#"{"lat":95,"lng":0}"#).is_err());
    }

    fn covered(c: &Covering, q: LatLng) -> bool {
        let h = geohash(q, c.precision);
        c.cells.contains(&h)
    }

    /// Deterministic pseudo-random numbers so the property checks are repeatable.
    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Every point inside the circle must fall in a covering cell: sample points on and
    /// just inside the rim, where a covering that is too small fails first.
    fn assert_covers_its_circle(centre: LatLng, km: f64) {
        let radius = Radius::from_km(km).expect("valid radius");
        let c = covering(centre, radius, 1);
        assert!(
            c.cells.len() <= MAX_COVERING_CELLS,
            "{} cells at {centre}",
            c.cells.len()
        );
        let delta = radius.metres() * 0.999 / EARTH_RADIUS_M;
        let (phi1, l1) = (centre.lat().to_radians(), centre.lng().to_radians());
        for i in 0..360 {
            let bearing = f64::from(i).to_radians();
            let phi2 = (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * bearing.cos()).asin();
            let l2 = l1
                + (bearing.sin() * delta.sin() * phi1.cos())
                    .atan2(delta.cos() - phi1.sin() * phi2.sin());
            let lng = (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
            let q = p(phi2.to_degrees().clamp(-90.0, 90.0), lng);
            assert!(distance_m(centre, q) <= radius.metres());
            assert!(
                covered(&c, q),
                "rim point {q} outside covering of {centre} r={km}km: {:?}",
                c
            );
        }
    }

    #[test]
    fn coverings_contain_the_whole_circle_across_cell_borders() {
        let mut seed = 7;
        for _ in 0..300 {
            let lat = lcg(&mut seed) * 150.0 - 75.0;
            let lng = lcg(&mut seed) * 360.0 - 180.0;
            let km = 0.05 + lcg(&mut seed) * 49.9;
            assert_covers_its_circle(p(lat, lng), km);
        }
    }

    #[test]
    fn coverings_are_right_on_the_equator_the_poles_and_the_antimeridian() {
        // On a cell border (the equator and the prime meridian are borders at every precision).
        assert_covers_its_circle(p(0.0, 0.0), 10.0);
        assert_covers_its_circle(p(0.0, 0.0), 0.1);
        assert_covers_its_circle(p(-0.0001, 179.9999), 25.0);
        assert_covers_its_circle(p(0.0, -180.0), 5.0);
        // A circle containing a pole covers every longitude.
        assert_covers_its_circle(p(89.9, 12.0), 30.0);
        assert_covers_its_circle(p(-90.0, 0.0), 50.0);
        assert_covers_its_circle(p(89.5, -170.0), 50.0);
        let polar = covering(p(90.0, 0.0), Radius::from_km(1.0).expect("ok"), 1);
        assert!(polar.cells.len() <= MAX_COVERING_CELLS);
    }

    #[test]
    fn small_circles_use_fine_cells_and_large_ones_coarse_cells() {
        let kangbashi = p(39.608, 109.781);
        let small = covering(kangbashi, Radius::from_km(0.5).expect("ok"), 1);
        let large = covering(kangbashi, Radius::from_km(50.0).expect("ok"), 1);
        assert!(small.precision >= 5, "{small:?}");
        assert!(large.precision <= 3, "{large:?}");
        // The store never queries cells coarser than its partition precision.
        let floored = covering(p(89.9, 0.0), Radius::from_km(50.0).expect("ok"), 3);
        assert_eq!(floored.precision, 3);
    }

    #[test]
    fn cell_areas_shrink_towards_the_poles_and_sum_to_the_sphere() {
        let equator = cell_area_m2("s").expect("cell"); // touches the equator
        let polar = cell_area_m2("u").expect("cell"); // reaches the north pole
        assert!(equator > polar);
        let total: f64 = BASE32
            .iter()
            .map(|c| cell_area_m2(&char::from(*c).to_string()).expect("cell"))
            .sum();
        let sphere = 4.0 * std::f64::consts::PI * EARTH_RADIUS_M * EARTH_RADIUS_M;
        assert!((total - sphere).abs() / sphere < 1e-9);
    }

    #[test]
    fn a_smaller_cell_budget_still_covers_the_circle() {
        let c = covering_with_at_most(p(39.61, 109.78), Radius::from_km(3.0).expect("ok"), 3, 4);
        assert!(c.cells.len() <= 4);
        assert!(covered(&c, p(39.61, 109.78)));
    }

    #[test]
    fn a_block_contains_every_point_within_its_sure_radius() {
        let mut seed = 3;
        for rings in [1u8, 2] {
            for _ in 0..150 {
                let centre = p(
                    lcg(&mut seed) * 120.0 - 60.0,
                    lcg(&mut seed) * 358.0 - 179.0,
                );
                let (cells, sure) =
                    block_around(centre, &geohash(centre, 5), rings).expect("block");
                assert_eq!(cells.len(), (2 * usize::from(rings) + 1).pow(2));
                assert!(sure > 0.0 && sure < 20_000.0, "{sure}");
                let c = Covering {
                    precision: 5,
                    cells,
                };
                let delta = sure * 0.999 / EARTH_RADIUS_M;
                let (phi1, l1) = (centre.lat().to_radians(), centre.lng().to_radians());
                for i in 0..72 {
                    let b = f64::from(i * 5).to_radians();
                    let phi2 =
                        (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * b.cos()).asin();
                    let l2 = l1
                        + (b.sin() * delta.sin() * phi1.cos())
                            .atan2(delta.cos() - phi1.sin() * phi2.sin());
                    let q = p(
                        phi2.to_degrees(),
                        (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0,
                    );
                    assert!(
                        covered(&c, q),
                        "{q} within {sure} m of {centre} is outside the block"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_geohashes_are_rejected() {
        assert!(cell_bounds("").is_err());
        assert!(cell_bounds("abc").is_err()); // 'a' is not in the alphabet
        assert!(cell_bounds("0123456789bcd").is_err());
    }
}
