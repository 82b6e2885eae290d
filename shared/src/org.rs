//! Volunteer organisations and teams (志愿服务组织/队伍) and their members.

use crate::account::ServiceField;
use crate::region::RegionCode;
use crate::slug_enum;
use crate::station::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Organisation types of SPEC §3.
    OrgType {
        Government = "government",
        Industry = "industry",
        Community = "community",
        Village = "village",
        School = "school",
        Professional = "professional",
        Womens = "womens",
        Youth = "youth",
        Worker = "worker",
        PartyMember = "party_member",
        CivilisedUnit = "civilised_unit",
    }
}

slug_enum! {
    OrgStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

slug_enum! {
    MemberStatus {
        Pending = "pending",
        Approved = "approved",
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrgInput {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 60, required = true)
    )]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = OrgType, required = true))]
    pub org_type: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[1-9][0-9]{5}$", required = true)
    )]
    pub region_code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ServiceField>, min_items = 1, max_items = 15, required = true))]
    pub service_fields: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgDraft {
    pub name: String,
    pub org_type: OrgType,
    pub region_code: RegionCode,
    pub service_fields: Vec<ServiceField>,
    pub description: String,
}

impl OrgInput {
    pub fn validate(&self) -> Result<OrgDraft, FieldError> {
        let name = text::clean(&self.name, 60, false).map_err(|e| FieldError::new("name", e))?;
        if name.chars().count() < 2 {
            return Err(FieldError::new("name", "must be at least 2 characters"));
        }
        let org_type = OrgType::from_slug(self.org_type.trim())
            .ok_or_else(|| FieldError::new("org_type", "is not a known organisation type"))?;
        let region_code =
            RegionCode::parse(&self.region_code).map_err(|e| FieldError::new("region_code", e))?;
        let service_fields = crate::slug::parse_list(
            "service_fields",
            &self.service_fields,
            ServiceField::ALL.len(),
            true,
            ServiceField::from_slug,
        )?;
        let description = match text::clean(&self.description, 2000, true) {
            Ok(t) => t,
            Err(text::TextError::Empty) => String::new(),
            Err(e) => return Err(FieldError::new("description", e)),
        };
        Ok(OrgDraft {
            name,
            org_type,
            region_code,
            service_fields,
            description,
        })
    }
}

/// An organisation as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Org {
    pub id: String,
    pub name: String,
    pub org_type: OrgType,
    pub region_code: String,
    pub service_fields: Vec<ServiceField>,
    pub description: String,
    pub status: OrgStatus,
    pub member_count: u32,
    pub created_at: String,
    /// Why a region admin rejected it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
}

/// A member as the organisation's organizers see them: names, never phones or ID numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    pub status: MemberStatus,
    pub organizer: bool,
    pub requested_at: String,
    /// Trainings the member has attended (confirmed), anywhere on the platform.
    #[serde(default)]
    pub trainings_done: u32,
}

/// One of the caller's own memberships.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyMembership {
    pub org_id: String,
    pub org_name: String,
    pub status: MemberStatus,
    pub organizer: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RejectRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, required = true)
    )]
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of<T: std::fmt::Debug>(r: Result<T, FieldError>) -> &'static str {
        r.err().map(|e| e.field).unwrap_or("(no error)")
    }

    fn input() -> OrgInput {
        OrgInput {
            name: "东胜区青年志愿者协会".into(),
            org_type: "youth".into(),
            region_code: "150602".into(),
            service_fields: vec!["elderly_care".into()],
            description: String::new(),
        }
    }

    #[test]
    fn a_complete_organisation_validates() {
        let d = input().validate().expect("valid");
        assert_eq!(d.org_type, OrgType::Youth);
    }

    #[test]
    fn each_bad_organisation_field_is_named() {
        let cases: Vec<(&str, OrgInput)> = vec![
            (
                "name",
                OrgInput {
                    name: " ".into(),
                    ..input()
                },
            ),
            (
                "org_type",
                OrgInput {
                    org_type: "club".into(),
                    ..input()
                },
            ),
            (
                "region_code",
                OrgInput {
                    region_code: "1506".into(),
                    ..input()
                },
            ),
            (
                "service_fields",
                OrgInput {
                    service_fields: vec![],
                    ..input()
                },
            ),
            (
                "description",
                OrgInput {
                    description: "x".repeat(2001),
                    ..input()
                },
            ),
        ];
        for (field, i) in cases {
            assert_eq!(field_of(i.validate()), field);
        }
    }
}
