//! Personal identifiers: the resident ID number (GB 11643) and mainland mobile numbers.
//! Both are personal information: only `masked()` forms ever go to other people's screens,
//! and `Debug` never prints the whole value (so a stray log line cannot leak it).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("must be 18 characters: 17 digits and a check digit (0–9 or X)")]
    Format,
    #[error("the check digit does not match (please re-check the number)")]
    Checksum,
    #[error("the birth date in the number is not a real date, or is in the future")]
    BirthDate,
    #[error("the region code in the number is not plausible")]
    Region,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

/// A calendar date (proleptic Gregorian); serde writes it as `YYYY-MM-DD`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Self { year, month, day })
    }

    /// Whole years from `self` to `on` (an age).
    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut it = s.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn years_until(&self, on: Date) -> u16 {
        let mut years = on.year.saturating_sub(self.year);
        if (on.month, on.day) < (self.month, self.day) {
            years = years.saturating_sub(1);
        }
        years
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a date is written YYYY-MM-DD and must be a real date")]
pub struct DateError;

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(raw: String) -> Result<Self, DateError> {
        Date::parse_iso(&raw).ok_or(DateError)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> Self {
        d.iso()
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// The GB 11643 check digit of the first 17 digits (for demo data and tests).
pub fn check_digit(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// A resident ID number whose checksum, birth date and region prefix are valid.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl IdNumber {
    /// Validates an 18-character number against GB 11643: the ISO 7064 MOD 11-2 check
    /// digit, a real birth date not after `today`, and a plausible region code.
    pub fn parse(raw: &str, today: Date) -> Result<Self, IdNumberError> {
        let t: String = raw.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
        let b = t.as_bytes();
        if b.len() != 18
            || !b[..17].iter().all(u8::is_ascii_digit)
            || !(b[17].is_ascii_digit() || b[17] == b'X')
        {
            return Err(IdNumberError::Format);
        }
        let sum: u32 = b[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        if CHECK[(sum % 11) as usize] != b[17] {
            return Err(IdNumberError::Checksum);
        }
        // Province codes run from 11 (Beijing) to 82 (Macao); 0 never starts one.
        let province: u8 = (b[0] - b'0') * 10 + (b[1] - b'0');
        if !(11..=82).contains(&province) {
            return Err(IdNumberError::Region);
        }
        let num =
            |r: std::ops::Range<usize>| t[r].parse::<u16>().map_err(|_| IdNumberError::Format);
        let birth = Date::new(num(6..10)?, num(10..12)? as u8, num(12..14)? as u8)
            .ok_or(IdNumberError::BirthDate)?;
        if birth > today || birth.year < 1880 {
            return Err(IdNumberError::BirthDate);
        }
        Ok(Self(t))
    }

    pub fn birth_date(&self) -> Date {
        let n = |r: std::ops::Range<usize>| self.0[r].parse::<u16>().unwrap_or(0);
        Date {
            year: n(6..10),
            month: n(10..12) as u8,
            day: n(12..14) as u8,
        }
    }

    /// The 17th digit: odd for men, even for women.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The six-digit region code of registration.
    pub fn region_prefix(&self) -> &str {
        &self.0[..6]
    }

    /// 1506**********1234: the first four and last four characters.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..4], "*".repeat(10), &self.0[14..])
    }

    /// The whole number, for the owner's own "show" action and for encryption at rest.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an 11-digit mainland mobile number starting with 1 (e.g. 13812345678)")]
pub struct PhoneError;

/// A mainland China mobile number: 11 digits, `1[3-9]…`; an optional +86 or 86 prefix and
/// spaces or dashes are accepted and dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let digits: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11))
            .unwrap_or(&digits);
        let b = digits.as_bytes();
        if b.len() != 11
            || !b.iter().all(u8::is_ascii_digit)
            || b[0] != b'1'
            || !(b'3'..=b'9').contains(&b[1])
        {
            return Err(PhoneError);
        }
        Ok(Self(digits.to_string()))
    }

    /// 138****5678.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 22,
    };

    #[test]
    fn the_standards_examples_are_valid_id_numbers() {
        let a = IdNumber::parse("11010519491231002X", TODAY).expect("GB 11643 example");
        assert_eq!(
            a.birth_date(),
            Date {
                year: 1949,
                month: 12,
                day: 31
            }
        );
        assert_eq!(a.gender(), Gender::Female);
        let b = IdNumber::parse("440524188001010014", TODAY).expect("GB 11643 example");
        assert_eq!(
            b.birth_date(),
            Date {
                year: 1880,
                month: 1,
                day: 1
            }
        );
        assert_eq!(b.gender(), Gender::Male);
        // A lower-case x is read as X.
        assert!(IdNumber::parse("11010519491231002x", TODAY).is_ok());
    }

    #[test]
    fn an_id_number_with_a_wrong_check_digit_is_rejected() {
        assert_eq!(
            IdNumber::parse("110105194912310021", TODAY),
            Err(IdNumberError::Checksum)
        );
        assert_eq!(
            IdNumber::parse("440524188001010015", TODAY),
            Err(IdNumberError::Checksum)
        );
        // One digit changed in the body breaks the checksum too.
        assert_eq!(
            IdNumber::parse("11010519491231012X", TODAY),
            Err(IdNumberError::Checksum)
        );
    }

    /// Appends the right check digit, so a test can build numbers with a chosen body.
    fn with_check(body: &str) -> String {
        let sum: u32 = body
            .bytes()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        format!("{body}{}", char::from(CHECK[(sum % 11) as usize]))
    }

    #[test]
    fn impossible_or_future_birth_dates_are_rejected() {
        for body in [
            "15060219490230002",
            "15060219491331002",
            "15060220270101002",
            "15060218000101002",
        ] {
            assert_eq!(
                IdNumber::parse(&with_check(body), TODAY),
                Err(IdNumberError::BirthDate),
                "{body}"
            );
        }
        assert!(
            IdNumber::parse(&with_check("15060220000229002"), TODAY).is_ok(),
            "29 Feb 2000 existed"
        );
        assert_eq!(
            IdNumber::parse(&with_check("15060219000229002"), TODAY),
            Err(IdNumberError::BirthDate)
        );
    }

    #[test]
    fn wrong_lengths_characters_and_regions_are_rejected() {
        for bad in [
            "",
            "1101051949123100",
            "11010519491231002XX",
            "11010519491231002Y",
            "A1010519491231002X",
        ] {
            assert_eq!(
                IdNumber::parse(bad, TODAY),
                Err(IdNumberError::Format),
                "{bad:?}"
            );
        }
        assert_eq!(
            IdNumber::parse(&with_check("05060219800101002"), TODAY),
            Err(IdNumberError::Region)
        );
        assert_eq!(
            IdNumber::parse(&with_check("99060219800101002"), TODAY),
            Err(IdNumberError::Region)
        );
    }

    #[test]
    fn id_numbers_are_masked_and_never_debug_printed_whole() {
        let id = IdNumber::parse(&with_check("15060219800101123"), TODAY).expect("valid");
        assert_eq!(id.masked(), format!("1506**********{}", &id.expose()[14..]));
        assert!(!format!("{id:?}").contains(id.expose()));
        assert_eq!(id.region_prefix(), "150602");
        assert_eq!(id.birth_date().years_until(TODAY), 46);
    }

    #[test]
    fn mobile_numbers_are_validated_and_masked() {
        let p = Phone::parse("138 1234 5678").expect("valid");
        assert_eq!(p.expose(), "13812345678");
        assert_eq!(p.masked(), "138****5678");
        assert!(!format!("{p:?}").contains("13812345678"));
        assert_eq!(
            Phone::parse("+86 139-0000-1111").map(|p| p.expose().to_string()),
            Ok("13900001111".into())
        );
        assert_eq!(
            Phone::parse("8613900001111").map(|p| p.expose().to_string()),
            Ok("13900001111".into())
        );
        for bad in [
            "",
            "1381234567",
            "138123456789",
            "12812345678",
            "23812345678",
            "1381234567a",
            "0477-8581234",
        ] {
            assert_eq!(Phone::parse(bad), Err(PhoneError), "{bad:?}");
        }
    }
}
