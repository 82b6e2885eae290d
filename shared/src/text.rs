//! Validated free text: trimmed, non-empty, bounded, with no control characters.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    Control,
}

/// Trims `raw` and checks it is 1..=max characters of printable text (newlines allowed
/// only when `multiline`).
pub fn clean(raw: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(TextError::Empty);
    }
    if t.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    if t.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
    {
        return Err(TextError::Control);
    }
    Ok(t.to_string())
}

/// Masks a phone-like contact for public pages: keeps the first three and last four
/// digits (138****5678); shorter values keep only their last two characters.
pub fn mask_contact(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let n = chars.len();
    if n >= 8 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}{}{tail}", "*".repeat(n - 7))
    } else if n > 2 {
        format!(
            "{}{}",
            "*".repeat(n - 2),
            chars[n - 2..].iter().collect::<String>()
        )
    } else {
        "*".repeat(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(clean("  东胜区 ", 10, false), Ok("东胜区".into()));
        assert_eq!(clean("   ", 10, false), Err(TextError::Empty));
        assert_eq!(
            clean("一二三四五六", 5, false),
            Err(TextError::TooLong { max: 5 })
        );
        assert_eq!(clean("a\u{7}b", 5, false), Err(TextError::Control));
        assert_eq!(clean("a\nb", 5, false), Err(TextError::Control));
        assert_eq!(clean("a\nb", 5, true), Ok("a\nb".into()));
    }

    #[test]
    fn a_mobile_number_is_masked_like_138_stars_5678() {
        assert_eq!(mask_contact("13812345678"), "138****5678");
        assert_eq!(mask_contact("0477-8581234"), "047*****1234");
        assert_eq!(mask_contact("12345"), "***45");
    }
}
