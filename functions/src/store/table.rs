//! The table's one definition. `make dev` and the tests create the local table from it,
//! and a test checks `template.yaml` declares exactly the same keys and indexes.

use super::keys::{GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, GSI4PK, GSI4SK, PK, SK};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};

pub struct IndexSpec {
    pub name: &'static str,
    pub partition_key: &'static str,
    pub sort_key: &'static str,
    /// Non-key attributes copied into the index: what a list item needs, nothing more;
    /// `None` copies whole items (ALL), for indexes whose entries are read whole.
    pub projected: Option<&'static [&'static str]>,
}

pub struct TableSpec {
    pub partition_key: &'static str,
    pub sort_key: &'static str,
    pub indexes: &'static [IndexSpec],
    pub ttl_attribute: &'static str,
}

/// Attributes a station summary needs; both station indexes project them.
pub const STATION_SUMMARY_ATTRIBUTES: &[&str] = &[
    "entity_type",
    "id",
    "name",
    "station_type",
    "region_code",
    "address",
    "lat",
    "lng",
    "five_have_complete",
    "demonstration",
];

/// GSI2 also lists organisations by region: what an organisation list entry needs.
pub const REGION_INDEX_ATTRIBUTES: &[&str] = &[
    "entity_type",
    "id",
    "name",
    "station_type",
    "region_code",
    "address",
    "lat",
    "lng",
    "five_have_complete",
    "demonstration",
    "org_type",
    "service_fields",
    "description",
    "status",
    "member_count",
    "created_at",
    "rejection_reason",
];

pub const TABLE: TableSpec = TableSpec {
    partition_key: PK,
    sort_key: SK,
    indexes: &[
        IndexSpec {
            name: "GSI1",
            partition_key: GSI1PK,
            sort_key: GSI1SK,
            projected: Some(STATION_SUMMARY_ATTRIBUTES),
        },
        IndexSpec {
            name: "GSI2",
            partition_key: GSI2PK,
            sort_key: GSI2SK,
            projected: Some(REGION_INDEX_ATTRIBUTES),
        },
        IndexSpec {
            name: "GSI3",
            partition_key: GSI3PK,
            sort_key: GSI3SK,
            projected: Some(STATION_SUMMARY_ATTRIBUTES),
        },
        // Activity listings (by province, organisation, station) and the reminder queue.
        IndexSpec {
            name: "GSI4",
            partition_key: GSI4PK,
            sort_key: GSI4SK,
            projected: None,
        },
    ],
    ttl_attribute: "expires_at",
};

impl TableSpec {
    /// Every key attribute, each once (all strings).
    pub fn key_attributes(&self) -> Vec<&'static str> {
        let mut out = vec![self.partition_key, self.sort_key];
        for i in self.indexes {
            for a in [i.partition_key, i.sort_key] {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }
}

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, aws_sdk_dynamodb::error::BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
}

/// Creates the table if it does not exist yet; returns whether it created it.
pub async fn create_if_absent(
    client: &Client,
    table_name: &str,
) -> Result<bool, super::StoreError> {
    if client
        .describe_table()
        .table_name(table_name)
        .send()
        .await
        .is_ok()
    {
        return Ok(false);
    }
    let build =
        |e: aws_sdk_dynamodb::error::BuildError| super::StoreError::Unavailable(e.to_string());
    let mut req = client
        .create_table()
        .table_name(table_name)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(TABLE.partition_key, KeyType::Hash).map_err(build)?)
        .key_schema(key(TABLE.sort_key, KeyType::Range).map_err(build)?);
    for a in TABLE.key_attributes() {
        req = req.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(a)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(build)?,
        );
    }
    for i in TABLE.indexes {
        let projection = match i.projected {
            Some(attrs) => Projection::builder()
                .projection_type(ProjectionType::Include)
                .set_non_key_attributes(Some(attrs.iter().map(|s| s.to_string()).collect()))
                .build(),
            None => Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        };
        req = req.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(i.name)
                .key_schema(key(i.partition_key, KeyType::Hash).map_err(build)?)
                .key_schema(key(i.sort_key, KeyType::Range).map_err(build)?)
                .projection(projection)
                .build()
                .map_err(build)?,
        );
    }
    req.send().await.map_err(super::classify)?;
    Ok(true)
}

/// Whether the live table has exactly the indexes and projections of [`TABLE`].
pub async fn matches_definition(
    client: &Client,
    table_name: &str,
) -> Result<bool, super::StoreError> {
    let out = client
        .describe_table()
        .table_name(table_name)
        .send()
        .await
        .map_err(super::classify)?;
    let live: std::collections::BTreeMap<String, Vec<String>> = out
        .table
        .and_then(|t| t.global_secondary_indexes)
        .unwrap_or_default()
        .into_iter()
        .map(|g| {
            let mut attrs = g
                .projection
                .and_then(|p| p.non_key_attributes)
                .unwrap_or_default();
            attrs.sort();
            (g.index_name.unwrap_or_default(), attrs)
        })
        .collect();
    let wanted: std::collections::BTreeMap<String, Vec<String>> = TABLE
        .indexes
        .iter()
        .map(|i| {
            let mut attrs: Vec<String> = i
                .projected
                .unwrap_or_default()
                .iter()
                .map(|s| s.to_string())
                .collect();
            attrs.sort();
            (i.name.to_string(), attrs)
        })
        .collect();
    Ok(live == wanted)
}

/// Local stack only: a table made by an older layout is dropped and made again (its data
/// is demo data, re-seeded next). Returns whether it did.
pub async fn recreate_if_changed(
    client: &Client,
    table_name: &str,
) -> Result<bool, super::StoreError> {
    if matches_definition(client, table_name).await? {
        return Ok(false);
    }
    client
        .delete_table()
        .table_name(table_name)
        .send()
        .await
        .map_err(super::classify)?;
    create_if_absent(client, table_name).await?;
    Ok(true)
}
