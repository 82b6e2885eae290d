//! Exemplary selection (选树典型, SPEC §12): region admins nominate outstanding
//! volunteers, organisations, projects and communities with their story; the nominations
//! are public.

use crate::region::RegionCode;
use crate::slug_enum;
use crate::station::FieldError;
use crate::stats::FIRST_YEAR;
use crate::text;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Who or what is nominated.
    NomineeKind {
        Volunteer = "volunteer",
        Organisation = "organisation",
        Project = "project",
        Community = "community",
    }
}

/// `POST /api/nominations`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NominationInput {
    #[cfg_attr(feature = "openapi", schema(value_type = NomineeKind, required = true))]
    pub kind: String,
    /// The nominee's name as it will be published.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 60, required = true)
    )]
    pub name: String,
    /// The honour, e.g. 最美志愿者, 优秀志愿服务组织.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 40, required = true)
    )]
    pub honour: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[1-9][0-9]{5}$", required = true)
    )]
    pub region_code: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 2018))]
    pub year: i64,
    /// Their story, published with the nomination.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 3000, required = true)
    )]
    pub story: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NominationDraft {
    pub kind: NomineeKind,
    pub name: String,
    pub honour: String,
    pub region_code: RegionCode,
    pub year: i32,
    pub story: String,
}

impl NominationInput {
    /// Checks every field for a nomination made in `current_year`; the first fault is named.
    pub fn validate(&self, current_year: i32) -> Result<NominationDraft, FieldError> {
        let kind = NomineeKind::from_slug(self.kind.trim()).ok_or_else(|| {
            FieldError::new(
                "kind",
                "must be volunteer, organisation, project or community",
            )
        })?;
        let name = text::clean(&self.name, 60, false).map_err(|e| FieldError::new("name", e))?;
        if name.chars().count() < 2 {
            return Err(FieldError::new("name", "must be at least 2 characters"));
        }
        let honour =
            text::clean(&self.honour, 40, false).map_err(|e| FieldError::new("honour", e))?;
        let region_code =
            RegionCode::parse(&self.region_code).map_err(|e| FieldError::new("region_code", e))?;
        if !(i64::from(FIRST_YEAR)..=i64::from(current_year)).contains(&self.year) {
            return Err(FieldError::new(
                "year",
                format!("must be between {FIRST_YEAR} and {current_year}"),
            ));
        }
        let story =
            text::clean(&self.story, 3000, true).map_err(|e| FieldError::new("story", e))?;
        if story.chars().count() < 20 {
            return Err(FieldError::new(
                "story",
                "tell their story in at least 20 characters",
            ));
        }
        Ok(NominationDraft {
            kind,
            name,
            honour,
            region_code,
            year: self.year as i32,
            story,
        })
    }
}

/// A published nomination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nomination {
    pub id: String,
    pub kind: NomineeKind,
    pub name: String,
    pub honour: String,
    pub region_code: String,
    pub region_name: String,
    pub year: i32,
    pub story: String,
    /// The office that nominated, e.g. 东胜区文明办.
    pub nominated_by: String,
    pub nominated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NominationInput {
        NominationInput {
            kind: "volunteer".into(),
            name: "李志愿".into(),
            honour: "最美志愿者".into(),
            region_code: "150602".into(),
            year: 2026,
            story: "十年如一日为社区空巢老人送餐、理发、陪伴聊天，累计服务 1600 小时。".into(),
        }
    }

    #[test]
    fn a_complete_nomination_is_accepted() {
        let d = input().validate(2026).expect("valid");
        assert_eq!((d.kind, d.year), (NomineeKind::Volunteer, 2026));
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut NominationInput);
        let cases: [(Spoil, &str); 6] = [
            (|i| i.kind = "pet".into(), "kind"),
            (|i| i.name = "李".into(), "name"),
            (|i| i.honour = String::new(), "honour"),
            (|i| i.region_code = "x".into(), "region_code"),
            (|i| i.year = 2030, "year"),
            (|i| i.story = "很好".into(), "story"),
        ];
        for (spoil, field) in cases {
            let mut i = input();
            spoil(&mut i);
            assert_eq!(i.validate(2026).map_err(|e| e.field), Err(field));
        }
    }
}
