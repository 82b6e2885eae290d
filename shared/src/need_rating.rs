//! Rating a need (评单, the last step of 点单 → 派单 → 接单 → 评单): once a need is done,
//! its poster rates the service 1–5 stars with an optional comment, once; an organizer
//! of the organisation that served it may reply, once.

use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

/// The longest comment a rating may carry.
pub const COMMENT_MAX: usize = 300;
/// The longest reply an organizer may write.
pub const REPLY_MAX: usize = 300;
/// A rating of this many stars or more counts as satisfied (满意).
pub const SATISFIED_FROM: u8 = 4;

/// 1 to 5 stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stars(u8);

impl Stars {
    pub fn new(n: i64) -> Result<Self, FieldError> {
        match u8::try_from(n) {
            Ok(n @ 1..=5) => Ok(Self(n)),
            _ => Err(FieldError::new("stars", "must be 1 to 5")),
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
    /// Whether the rater was satisfied: 4 or 5 stars.
    pub fn satisfied(self) -> bool {
        self.0 >= SATISFIED_FROM
    }
}

/// `POST /api/needs/{id}/rating`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RatingInput {
    /// 1 (very unsatisfied) to 5 (very satisfied).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5, required = true))]
    pub stars: Option<i64>,
    /// Optional; what went well or not.
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingDraft {
    pub stars: Stars,
    pub comment: Option<String>,
}

impl RatingInput {
    /// Checks each field; the first fault is named. A blank comment is no comment.
    pub fn validate(&self) -> Result<RatingDraft, FieldError> {
        let stars = Stars::new(
            self.stars
                .ok_or_else(|| FieldError::new("stars", "choose 1 to 5 stars"))?,
        )?;
        let comment = if self.comment.trim().is_empty() {
            None
        } else {
            Some(
                text::clean(&self.comment, COMMENT_MAX, true)
                    .map_err(|e| FieldError::new("comment", e))?,
            )
        };
        Ok(RatingDraft { stars, comment })
    }
}

/// `POST /api/needs/{id}/rating/reply`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReplyInput {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, required = true)
    )]
    pub text: String,
}

impl ReplyInput {
    pub fn validate(&self) -> Result<String, FieldError> {
        text::clean(&self.text, REPLY_MAX, true).map_err(|e| FieldError::new("text", e))
    }
}

/// A need's rating as shown: on the need and on the organisation's page. The rater is
/// shown masked (as the need's poster is everywhere), never by name or phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedRating {
    pub need_id: String,
    pub need_title: String,
    pub org_id: String,
    pub org_name: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub stars: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The rater, masked (张*明).
    pub rater: String,
    pub rated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_at: Option<String>,
}

/// `GET /api/orgs/{id}/ratings`: the organisation's average over every rating it has
/// had, their count, and the most recent ones, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgRatings {
    pub org_id: String,
    pub count: u64,
    /// The mean of the stars, one decimal; 0 when there are none.
    pub average: f64,
    /// How many ratings gave each number of stars: index 0 is 1 star, 4 is 5 stars.
    pub by_stars: [u64; 5],
    pub recent: Vec<NeedRating>,
}

/// The mean of `stars_sum` over `count` ratings, one decimal; 0 for none.
pub fn average(stars_sum: u64, count: u64) -> f64 {
    if count == 0 {
        return 0.0;
    }
    (stars_sum as f64 * 10.0 / count as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_are_one_to_five_and_four_or_more_is_satisfied() {
        assert!(Stars::new(0).is_err());
        assert!(Stars::new(6).is_err());
        assert!(Stars::new(-1).is_err());
        assert!(!Stars::new(3).expect("3").satisfied());
        assert!(Stars::new(4).expect("4").satisfied());
    }

    #[test]
    fn each_bad_field_is_named_and_a_blank_comment_is_none() {
        let ok = RatingInput {
            stars: Some(5),
            comment: "  ".into(),
        };
        assert_eq!(ok.validate().expect("valid").comment, None);
        let cases = [
            (None, String::new(), "stars"),
            (Some(9), String::new(), "stars"),
            (Some(5), "好".repeat(COMMENT_MAX + 1), "comment"),
            (Some(5), "a\u{7}b".to_string(), "comment"),
        ];
        for (stars, comment, field) in cases {
            let i = RatingInput { stars, comment };
            assert_eq!(i.validate().map_err(|e| e.field), Err(field));
        }
        assert_eq!(
            ReplyInput { text: " ".into() }
                .validate()
                .map_err(|e| e.field),
            Err("text")
        );
    }

    #[test]
    fn the_average_has_one_decimal() {
        assert_eq!(average(0, 0), 0.0);
        assert_eq!(average(14, 3), 4.7);
        assert_eq!(average(9, 2), 4.5);
    }
}
