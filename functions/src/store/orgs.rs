//! Organisation and membership access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_org` | TransactWriteItems: name guard + org + organizer's member item + mirror + role on the user |
//! | `get_org` | GetItem `ORG#id / ORG` |
//! | `orgs_page` | Query GSI2 `ORGREG#province`, `begins_with(GSI2SK, "status#code-prefix")` |
//! | `decide_org` | TransactWriteItems: update status and GSI2SK, condition `status = pending` [+ `ADD organisations` on approval] |
//! | `request_membership` | TransactWriteItems: check org approved + put mirror + put pending member |
//! | `approve_membership` | TransactWriteItems: mirror pending→approved + delete pending + put approved + `ADD member_count 1` |
//! | `members_page` | Query `ORG#id`, `begins_with(SK, "MEMBER#status#")` |
//! | `get_membership` | GetItem `USER#id / MEMBERSHIP#org` |
//! | `memberships_of` | Query `USER#id`, `begins_with(SK, "MEMBERSHIP#")` |

use super::accounts::{append_role, put};
use super::keys::{self, GSI2PK, GSI2SK, PK, SK};
use super::stats::{Counter, CounterAdd, counter_ops};
use super::{KeyPrefix, ResumeKey, Store, StoreError, build_err, s, to_item, update_op};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Delete, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::account::{Role, RoleGrant, ServiceField};
use zhiyuan_shared::org::{MemberStatus, OrgStatus, OrgType};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI2PK")]
    pub gsi2pk: String,
    #[serde(rename = "GSI2SK")]
    pub gsi2sk: String,
    pub entity_type: String,
    pub id: String,
    pub name: String,
    pub org_type: OrgType,
    pub region_code: String,
    pub service_fields: Vec<ServiceField>,
    pub description: String,
    pub status: OrgStatus,
    #[serde(default)]
    pub member_count: u32,
    /// Not in the region index's projection: empty on list entries.
    #[serde(default)]
    pub created_by: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
}

/// A member entry in the organisation's partition (what its roster shows).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub org_id: String,
    pub user_id: String,
    pub real_name: String,
    pub volunteer_no: String,
    pub status: MemberStatus,
    pub organizer: bool,
    pub requested_at: String,
}

/// The same membership in the user's partition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MembershipItem {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    pub entity_type: String,
    pub org_id: String,
    pub org_name: String,
    pub status: MemberStatus,
    pub organizer: bool,
}

impl MemberItem {
    pub fn mirror(&self, org_name: &str) -> MembershipItem {
        MembershipItem {
            pk: keys::user_pk(&self.user_id),
            sk: keys::membership_sk(&self.org_id),
            entity_type: "membership".into(),
            org_id: self.org_id.clone(),
            org_name: org_name.to_string(),
            status: self.status,
            organizer: self.organizer,
        }
    }
}

#[derive(Serialize)]
struct NameGuard {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    entity_type: &'static str,
    org_id: String,
}

/// Items of [`Store::create_org`]'s transaction, for telling its failures apart.
pub const ORG_NAME_GUARD: usize = 0;
/// Items of [`Store::request_membership`]'s transaction.
pub const ORG_MUST_BE_APPROVED: usize = 0;
pub const MEMBERSHIP_MUST_BE_NEW: usize = 1;

pub fn normalised_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Store {
    /// Registers an organisation (pending) with its founder as an approved member and
    /// organizer, all or nothing. Fails at [`ORG_NAME_GUARD`] when the region already has
    /// an organisation of that name.
    pub async fn create_org(&self, org: &OrgItem, founder: &MemberItem) -> Result<(), StoreError> {
        let code = zhiyuan_shared::region::RegionCode::parse(&org.region_code)
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        let g = NameGuard {
            pk: keys::org_name_guard_pk(&code, &normalised_name(&org.name)),
            sk: keys::ORG_NAME_GUARD_SK.into(),
            entity_type: "org_name_guard",
            org_id: org.id.clone(),
        };
        let new = Some("attribute_not_exists(PK)");
        let grant = RoleGrant {
            role: Role::Organizer,
            scope: org.id.clone(),
        };
        self.transact(vec![
            put(to_item(&g)?, &self.table, new)?,
            put(to_item(org)?, &self.table, new)?,
            put(to_item(founder)?, &self.table, new)?,
            put(to_item(&founder.mirror(&org.name))?, &self.table, new)?,
            append_role(&self.table, &founder.user_id, &grant)?,
        ])
        .await
    }

    pub async fn get_org(&self, id: &str) -> Result<Option<OrgItem>, StoreError> {
        self.get_item(keys::org_pk(id), keys::ORG_SK).await
    }

    /// Organisations of one status whose region code starts with `prefix`.
    pub async fn orgs_page(
        &self,
        province: &str,
        status: OrgStatus,
        prefix: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<OrgItem>, Option<ResumeKey>), StoreError> {
        let sk_prefix = format!("{}#{prefix}", status.slug());
        self.query_page(
            KeyPrefix {
                index: Some("GSI2"),
                pk_attr: GSI2PK,
                pk: keys::org_region_pk(province),
                sk_attr: GSI2SK,
                sk_prefix: &sk_prefix,
            },
            resume,
            limit,
        )
        .await
    }

    /// Moves a pending organisation to approved or rejected; `ConditionFailed` when it is
    /// no longer pending (someone decided first).
    pub async fn decide_org(
        &self,
        org: &OrgItem,
        to: OrgStatus,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        let code = zhiyuan_shared::region::RegionCode::parse(&org.region_code)
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        let mut values = vec![
            (":pending", s(OrgStatus::Pending.slug())),
            (":to", s(to.slug())),
            (":sk", s(keys::org_region_sk(to.slug(), &code, &org.id))),
        ];
        let expression = match reason {
            Some(r) => {
                values.push((":r", s(r)));
                "SET #st = :to, GSI2SK = :sk, rejection_reason = :r"
            }
            None => "SET #st = :to, GSI2SK = :sk",
        };
        let mut ops = vec![update_op(
            &self.table,
            keys::org_pk(&org.id),
            keys::ORG_SK,
            expression,
            Some("#st = :pending"),
            &[("#st", "status")],
            values,
        )?];
        if to == OrgStatus::Approved {
            ops.extend(counter_ops(
                &self.table,
                &[CounterAdd::now(
                    &org.region_code,
                    &org.id,
                    Counter::Organisations,
                    1,
                )],
            )?);
        }
        self.transact(ops).await.map_err(|e| match e {
            StoreError::ConditionFailedAt(0) => StoreError::ConditionFailed,
            other => other,
        })
    }

    /// A volunteer asks to join: only an approved organisation, only once.
    pub async fn request_membership(
        &self,
        org: &OrgItem,
        member: &MemberItem,
    ) -> Result<(), StoreError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .key(PK, s(keys::org_pk(&org.id)))
            .key(SK, s(keys::ORG_SK))
            .condition_expression("#st = :approved")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":approved", s(OrgStatus::Approved.slug()))
            .build()
            .map_err(build_err)?;
        let new = Some("attribute_not_exists(PK)");
        self.transact(vec![
            TransactWriteItem::builder().condition_check(check).build(),
            put(to_item(&member.mirror(&org.name))?, &self.table, new)?,
            put(to_item(member)?, &self.table, new)?,
        ])
        .await
    }

    /// Approves a pending member: `ConditionFailed`-style failure at 0 when the request is
    /// no longer pending (approved already, or withdrawn).
    pub async fn approve_membership(&self, pending: &MemberItem) -> Result<(), StoreError> {
        let approved = MemberItem {
            sk: keys::member_sk(MemberStatus::Approved.slug(), &pending.user_id),
            status: MemberStatus::Approved,
            ..pending.clone()
        };
        let mirror = Update::builder()
            .table_name(&self.table)
            .key(PK, s(keys::user_pk(&pending.user_id)))
            .key(SK, s(keys::membership_sk(&pending.org_id)))
            .update_expression("SET #st = :approved")
            .condition_expression("#st = :pending")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":approved", s(MemberStatus::Approved.slug()))
            .expression_attribute_values(":pending", s(MemberStatus::Pending.slug()))
            .build()
            .map_err(build_err)?;
        let delete = Delete::builder()
            .table_name(&self.table)
            .key(PK, s(pending.pk.clone()))
            .key(SK, s(pending.sk.clone()))
            .condition_expression("attribute_exists(PK)")
            .build()
            .map_err(build_err)?;
        let count = Update::builder()
            .table_name(&self.table)
            .key(PK, s(keys::org_pk(&pending.org_id)))
            .key(SK, s(keys::ORG_SK))
            .update_expression("ADD member_count :one")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .build()
            .map_err(build_err)?;
        self.transact(vec![
            TransactWriteItem::builder().update(mirror).build(),
            TransactWriteItem::builder().delete(delete).build(),
            put(
                to_item(&approved)?,
                &self.table,
                Some("attribute_not_exists(PK)"),
            )?,
            TransactWriteItem::builder().update(count).build(),
        ])
        .await
    }

    pub async fn get_member(
        &self,
        org_id: &str,
        status: MemberStatus,
        user_id: &str,
    ) -> Result<Option<MemberItem>, StoreError> {
        self.get_item(
            keys::org_pk(org_id),
            &keys::member_sk(status.slug(), user_id),
        )
        .await
    }

    pub async fn members_page(
        &self,
        org_id: &str,
        status: MemberStatus,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<MemberItem>, Option<ResumeKey>), StoreError> {
        let prefix = keys::member_prefix(status.slug());
        self.query_page(
            KeyPrefix {
                index: None,
                pk_attr: PK,
                pk: keys::org_pk(org_id),
                sk_attr: SK,
                sk_prefix: &prefix,
            },
            resume,
            limit,
        )
        .await
    }

    pub async fn get_membership(
        &self,
        user_id: &str,
        org_id: &str,
    ) -> Result<Option<MembershipItem>, StoreError> {
        self.get_item(keys::user_pk(user_id), &keys::membership_sk(org_id))
            .await
    }

    pub async fn memberships_of(
        &self,
        user_id: &str,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<MembershipItem>, Option<ResumeKey>), StoreError> {
        self.query_page(
            KeyPrefix {
                index: None,
                pk_attr: PK,
                pk: keys::user_pk(user_id),
                sk_attr: SK,
                sk_prefix: keys::MEMBERSHIP_PREFIX,
            },
            resume,
            limit,
        )
        .await
    }
}
