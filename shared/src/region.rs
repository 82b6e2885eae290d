//! Administrative regions (GB/T 2260 codes). Regions are data: the code only knows the
//! shape of a code (province `xx0000`, city `xxxx00`, county `xxxxxx`), never a list.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("region must be a six-digit administrative code such as 150602")]
pub struct RegionCodeError;

/// A six-digit GB/T 2260 code, validated on construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(raw: &str) -> Result<Self, RegionCodeError> {
        let t = raw.trim();
        if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) || t.starts_with('0') {
            return Err(RegionCodeError);
        }
        Ok(Self(t.to_string()))
    }

    /// Inner Mongolia (150000), the province this deployment serves: the region a
    /// listing shows when the caller names none.
    pub fn inner_mongolia() -> Self {
        Self("150000".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits every code inside this region starts with: `15` for the province
    /// 150000, `1506` for the city 150600, all six for a banner or district.
    pub fn prefix(&self) -> &str {
        let s = self.0.as_str();
        if s.ends_with("0000") {
            &s[..2]
        } else if s.ends_with("00") {
            &s[..4]
        } else {
            s
        }
    }

    /// The province's two digits, the coarsest partition a station is listed under.
    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    /// Whether `other` is this region or lies inside it.
    pub fn covers(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.prefix())
    }

    /// This region and every region that covers it, nearest first: a banner, its city,
    /// the province (the regions whose organisations may serve here).
    pub fn and_above(&self) -> Vec<RegionCode> {
        let s = self.0.as_str();
        let mut out = vec![self.clone()];
        if !s.ends_with("00") {
            out.push(Self(format!("{}00", &s[..4])));
        }
        if !s.ends_with("0000") {
            out.push(Self(format!("{}0000", &s[..2])));
        }
        out
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(s: String) -> Result<Self, RegionCodeError> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A region as `GET /api/regions` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "150602"))]
    pub code: RegionCode,
    /// Chinese name, e.g. 东胜区.
    pub name: String,
    /// English (pinyin) name, e.g. Dongsheng District.
    pub name_en: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub parent_code: Option<RegionCode>,
    /// Resident population, the denominator of the registration KPIs.
    pub population: u64,
    /// Centre used to frame the map.
    pub lat: f64,
    pub lng: f64,
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_banner_is_covered_by_itself_its_city_and_the_province() {
        let codes = |c: &str| {
            RegionCode::parse(c)
                .expect("code")
                .and_above()
                .iter()
                .map(|r| r.as_str().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes("150602"), ["150602", "150600", "150000"]);
        assert_eq!(codes("150600"), ["150600", "150000"]);
        assert_eq!(codes("150000"), ["150000"]);
    }

    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid code")
    }

    #[test]
    fn a_city_code_covers_its_banners_but_not_its_neighbours() {
        let ordos = code("150600");
        assert!(ordos.covers(&code("150602")));
        assert!(ordos.covers(&ordos));
        assert!(!ordos.covers(&code("150702")));
        assert!(code("150000").covers(&code("152921")));
        assert!(!code("150602").covers(&code("150600")));
        assert_eq!(ordos.prefix(), "1506");
        assert_eq!(code("150627").prefix(), "150627");
        assert_eq!(code("150627").province(), "15");
    }

    #[test]
    fn inner_mongolia_is_a_valid_province_code() {
        assert_eq!(RegionCode::inner_mongolia(), code("150000"));
    }

    #[test]
    fn malformed_region_codes_are_rejected() {
        for bad in ["", "15060", "1506000", "15060a", "000000", "150 60"] {
            assert_eq!(RegionCode::parse(bad), Err(RegionCodeError), "{bad:?}");
        }
    }
}
