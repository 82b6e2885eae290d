//! Organisation and membership access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_org` | TransactWriteItems: name guard + org + organizer's member item + mirror + role on the user |
//! | `get_org` | GetItem `ORG#id / ORG` |
//! | `orgs_page` | Query GSI2 `ORGREG#province`, `begins_with(GSI2SK, "status#code-prefix")` |
//! | `decide_org` | TransactWriteItems: update status and GSI2SK, condition `status = pending` [+ `ADD organisations` on approval] [+ delete the name guard on rejection] |
//! | `request_membership` | TransactWriteItems: check org approved + put mirror + put pending member |
//! | `approve_membership` | TransactWriteItems: mirror pending→approved + delete pending + put approved + `ADD member_count 1` |
//! | `members_page` | Query `ORG#id`, `begins_with(SK, "MEMBER#status#")` |
//! | `get_membership` | GetItem `USER#id / MEMBERSHIP#org` |
//! | `memberships_of` | Query `USER#id`, `begins_with(SK, "MEMBERSHIP#")` |

use super::accounts::append_role;
use super::keys::{self, GSI2PK, GSI2SK, PK, SK};
use super::stats::{Counter, CounterAdd, counter_ops};
use super::{
    Filter, Index, ItemKeys, QuerySpec, ResumeKey, SortKey, Store, StoreError, Tx, TxError,
    build_err, delete_op, keyed_item, put, s, update_op,
};
use crate::ids::{OrgId, UserId};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Delete, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use zhiyuan_shared::account::{Role, RoleGrant, ServiceField};
use zhiyuan_shared::org::{MemberStatus, OrgStatus, OrgType};
use zhiyuan_shared::region::RegionCode;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgItem {
    pub id: OrgId,
    pub name: String,
    pub org_type: OrgType,
    pub region_code: RegionCode,
    pub service_fields: Vec<ServiceField>,
    pub description: String,
    pub status: OrgStatus,
    #[serde(default)]
    pub member_count: u32,
    /// Not in the region index's projection: `None` on list entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<UserId>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
}

/// A member entry in the organisation's partition (what its roster shows).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberItem {
    pub org_id: OrgId,
    pub user_id: UserId,
    pub real_name: String,
    pub volunteer_no: String,
    pub status: MemberStatus,
    pub organizer: bool,
    pub requested_at: String,
}

/// The same membership in the user's partition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MembershipItem {
    pub org_id: OrgId,
    pub org_name: String,
    pub status: MemberStatus,
    pub organizer: bool,
}

impl OrgItem {
    /// The organisation, on the region index by status then region (an admin queue is
    /// one `begins_with`).
    fn keys(&self) -> ItemKeys {
        ItemKeys::new(keys::org_pk(&self.id), keys::ORG_SK, "org").indexed(
            (GSI2PK, keys::org_region_pk(self.region_code.province())),
            (
                GSI2SK,
                keys::org_region_sk(self.status.slug(), &self.region_code, &self.id),
            ),
        )
    }
}

impl MemberItem {
    pub(crate) fn keys(&self) -> ItemKeys {
        ItemKeys::new(
            keys::org_pk(&self.org_id),
            keys::member_sk(self.status.slug(), &self.user_id),
            "member",
        )
    }

    /// The member's mirror in their own partition, with its keys.
    fn mirror(&self, org_name: &str) -> (MembershipItem, ItemKeys) {
        let item = MembershipItem {
            org_id: self.org_id.clone(),
            org_name: org_name.to_string(),
            status: self.status,
            organizer: self.organizer,
        };
        let k = ItemKeys::new(
            keys::user_pk(&self.user_id),
            keys::membership_sk(&self.org_id),
            "membership",
        );
        (item, k)
    }
}

fn mirror_item(
    m: &MemberItem,
    org_name: &str,
) -> Result<std::collections::HashMap<String, AttributeValue>, StoreError> {
    let (item, k) = m.mirror(org_name);
    keyed_item(&item, k)
}

#[derive(Serialize)]
struct NameGuard {
    org_id: String,
}

/// Why [`Store::create_org`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOrgRefused {
    /// The region has an organisation of that name already.
    NameTaken,
}

/// Why [`Store::request_membership`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinRefused {
    OrgNotApproved,
    /// A member already, or a request is waiting.
    AlreadyMember,
}

/// Why [`Store::approve_membership`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApproveMemberRefused {
    /// The request is no longer pending (approved already, or withdrawn).
    NotPending,
}

pub fn normalised_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Store {
    /// Registers an organisation (pending) with its founder as an approved member and
    /// organizer, all or nothing.
    pub async fn create_org(
        &self,
        org: &OrgItem,
        founder: &MemberItem,
    ) -> Result<(), TxError<CreateOrgRefused>> {
        let g = NameGuard {
            org_id: org.id.to_string(),
        };
        let g = keyed_item(
            &g,
            ItemKeys::new(
                keys::org_name_guard_pk(&org.region_code, &normalised_name(&org.name)),
                keys::ORG_NAME_GUARD_SK,
                "org_name_guard",
            ),
        )?;
        let new = Some("attribute_not_exists(PK)");
        let grant = RoleGrant {
            role: Role::Organizer,
            scope: org.id.to_string(),
        };
        let mut tx = Tx::new();
        tx.guarded(put(g, &self.table, new)?, CreateOrgRefused::NameTaken);
        tx.extend([
            put(keyed_item(org, org.keys())?, &self.table, new)?,
            put(keyed_item(founder, founder.keys())?, &self.table, new)?,
            put(mirror_item(founder, &org.name)?, &self.table, new)?,
            append_role(&self.table, &founder.user_id, &grant)?,
        ]);
        self.commit(tx).await
    }

    pub async fn get_org(&self, id: &str) -> Result<Option<OrgItem>, StoreError> {
        self.get_item(keys::org_pk(id), keys::ORG_SK).await
    }

    /// Organisations of one status whose region code starts with `prefix` (`150600#` for
    /// exactly that region), and whose name contains `name` if one is given (a filter on
    /// the page read: a rare name costs a bounded number of reads, then a cursor).
    pub async fn orgs_page(
        &self,
        province: &str,
        status: OrgStatus,
        prefix: &str,
        name: Option<&str>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<OrgItem>, Option<ResumeKey>), StoreError> {
        let sk_prefix = format!("{}#{prefix}", status.slug());
        let filter = name.map(|n| Filter {
            expression: "contains(#name, :name)".into(),
            names: vec![("#name", "name")],
            values: vec![(":name", AttributeValue::S(n.to_string()))],
        });
        self.query_spec(
            QuerySpec::index(
                Index::Gsi2,
                keys::org_region_pk(province),
                SortKey::Prefix(&sk_prefix),
            )
            .filtered(filter),
            resume,
            limit,
        )
        .await
    }

    /// Moves a pending organisation to approved or rejected; `ConditionFailed` when it is
    /// no longer pending (someone decided first). A rejection releases the organisation's
    /// name in its region (the guard goes in the same transaction), so a new organisation
    /// may register under it; the rejected one keeps its name on its own item.
    pub async fn decide_org(
        &self,
        org: &OrgItem,
        to: OrgStatus,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut values = vec![
            (":pending", s(OrgStatus::Pending.slug())),
            (":to", s(to.slug())),
            (
                ":sk",
                s(keys::org_region_sk(to.slug(), &org.region_code, &org.id)),
            ),
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
        if to == OrgStatus::Rejected {
            ops.push(delete_op(
                &self.table,
                keys::org_name_guard_pk(&org.region_code, &normalised_name(&org.name)),
                keys::ORG_NAME_GUARD_SK,
                // Only this organisation's guard; one left from before guards is no matter.
                Some("attribute_not_exists(PK) OR org_id = :org"),
                &[],
                vec![(":org", s(org.id.as_str()))],
            )?);
        }
        if to == OrgStatus::Approved {
            ops.extend(counter_ops(
                &self.table,
                &[CounterAdd::now(
                    org.region_code.as_str(),
                    &org.id,
                    Counter::Organisations,
                    1,
                )],
            )?);
        }
        self.transact(ops).await
    }

    /// A volunteer asks to join: only an approved organisation, only once.
    pub async fn request_membership(
        &self,
        org: &OrgItem,
        member: &MemberItem,
    ) -> Result<(), TxError<JoinRefused>> {
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
        let mut tx = Tx::new();
        tx.guarded(
            TransactWriteItem::builder().condition_check(check).build(),
            JoinRefused::OrgNotApproved,
        );
        tx.guarded(
            put(mirror_item(member, &org.name)?, &self.table, new)?,
            JoinRefused::AlreadyMember,
        );
        tx.guarded(
            put(keyed_item(member, member.keys())?, &self.table, new)?,
            JoinRefused::AlreadyMember,
        );
        self.commit(tx).await
    }

    /// Approves a pending member, all or nothing.
    pub async fn approve_membership(
        &self,
        pending: &MemberItem,
    ) -> Result<(), TxError<ApproveMemberRefused>> {
        let approved = MemberItem {
            status: MemberStatus::Approved,
            ..pending.clone()
        };
        let was = pending.keys();
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
            .key(PK, s(was.pk()))
            .key(SK, s(was.sk()))
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
        // Every condition here fails only when the request was decided meanwhile.
        let mut tx = Tx::new();
        for op in [
            TransactWriteItem::builder().update(mirror).build(),
            TransactWriteItem::builder().delete(delete).build(),
            put(
                keyed_item(&approved, approved.keys())?,
                &self.table,
                Some("attribute_not_exists(PK)"),
            )?,
            TransactWriteItem::builder().update(count).build(),
        ] {
            tx.guarded(op, ApproveMemberRefused::NotPending);
        }
        self.commit(tx).await
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
        self.query_spec(
            QuerySpec::table(keys::org_pk(org_id), SortKey::Prefix(&prefix)),
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
        self.query_spec(
            QuerySpec::table(
                keys::user_pk(user_id),
                SortKey::Prefix(keys::MEMBERSHIP_PREFIX),
            ),
            resume,
            limit,
        )
        .await
    }
}
