//! The table has one definition (functions/src/store/table.rs): the local table is made
//! from it, and template.yaml must declare the same keys, indexes, TTL and recovery.

use serde_yaml::Value as Yaml;
use std::collections::BTreeMap;
use zhiyuan_functions::store::table::TABLE;
use zhiyuan_tests::{fresh_store, workspace_root};

/// (index name → (partition key, sort key, projection type, sorted non-key attributes))
type Indexes = BTreeMap<String, (String, String, String, Vec<String>)>;

fn expected_indexes() -> Indexes {
    TABLE
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
            let kind = if i.projected.is_some() {
                "INCLUDE"
            } else {
                "ALL"
            };
            (
                i.name.to_string(),
                (
                    i.partition_key.to_string(),
                    i.sort_key.to_string(),
                    kind.to_string(),
                    attrs,
                ),
            )
        })
        .collect()
}

fn template_table() -> Yaml {
    let text =
        std::fs::read_to_string(workspace_root().join("template.yaml")).expect("template.yaml");
    let doc: Yaml = serde_yaml::from_str(&text).expect("template parses");
    let resources = doc["Resources"].as_mapping().expect("Resources").clone();
    let tables: Vec<Yaml> = resources
        .values()
        .filter(|r| r["Type"].as_str() == Some("AWS::DynamoDB::Table"))
        .cloned()
        .collect();
    assert_eq!(tables.len(), 1, "one table (single-table design)");
    tables[0]["Properties"].clone()
}

fn key_of(schema: &Yaml, kind: &str) -> String {
    schema
        .as_sequence()
        .and_then(|s| s.iter().find(|k| k["KeyType"].as_str() == Some(kind)))
        .and_then(|k| k["AttributeName"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_template_declares_the_same_table_as_the_code() {
    let t = template_table();
    assert_eq!(key_of(&t["KeySchema"], "HASH"), TABLE.partition_key);
    assert_eq!(key_of(&t["KeySchema"], "RANGE"), TABLE.sort_key);
    let mut declared: Vec<String> = t["AttributeDefinitions"]
        .as_sequence()
        .expect("AttributeDefinitions")
        .iter()
        .map(|a| a["AttributeName"].as_str().unwrap_or_default().to_string())
        .collect();
    declared.sort();
    let mut expected: Vec<String> = TABLE
        .key_attributes()
        .iter()
        .map(|s| s.to_string())
        .collect();
    expected.sort();
    assert_eq!(declared, expected);
    let mut indexes = Indexes::new();
    for g in t["GlobalSecondaryIndexes"].as_sequence().expect("GSIs") {
        let mut attrs: Vec<String> = g["Projection"]["NonKeyAttributes"]
            .as_sequence()
            .map(|s| {
                s.iter()
                    .filter_map(|a| a.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        attrs.sort();
        indexes.insert(
            g["IndexName"].as_str().unwrap_or_default().to_string(),
            (
                key_of(&g["KeySchema"], "HASH"),
                key_of(&g["KeySchema"], "RANGE"),
                g["Projection"]["ProjectionType"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                attrs,
            ),
        );
    }
    assert_eq!(indexes, expected_indexes());
    assert_eq!(t["BillingMode"].as_str(), Some("PAY_PER_REQUEST"));
    assert_eq!(
        t["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(),
        Some(true)
    );
    assert_eq!(
        t["TimeToLiveSpecification"]["AttributeName"].as_str(),
        Some(TABLE.ttl_attribute)
    );
    assert_eq!(
        t["TimeToLiveSpecification"]["Enabled"].as_bool(),
        Some(true)
    );
}

#[tokio::test]
async fn the_local_table_matches_the_definition() {
    let store = fresh_store().await;
    let d = store
        .client()
        .describe_table()
        .table_name(store.table_name())
        .send()
        .await
        .expect("describe");
    let table = d.table.expect("table");
    let key = |schema: &[aws_sdk_dynamodb::types::KeySchemaElement], kind: &str| {
        schema
            .iter()
            .find(|k| k.key_type().as_str() == kind)
            .map(|k| k.attribute_name().to_string())
            .unwrap_or_default()
    };
    assert_eq!(key(table.key_schema(), "HASH"), TABLE.partition_key);
    assert_eq!(key(table.key_schema(), "RANGE"), TABLE.sort_key);
    let mut indexes = Indexes::new();
    for g in table.global_secondary_indexes() {
        let projection = g.projection().expect("projection");
        let mut attrs: Vec<String> = projection.non_key_attributes().to_vec();
        attrs.sort();
        indexes.insert(
            g.index_name().unwrap_or_default().to_string(),
            (
                key(g.key_schema(), "HASH"),
                key(g.key_schema(), "RANGE"),
                projection
                    .projection_type()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
                attrs,
            ),
        );
    }
    assert_eq!(indexes, expected_indexes());
}

#[test]
fn the_template_sends_every_route_to_the_function_that_serves_it() {
    use zhiyuan_functions::routes::{ROUTES, Surface};
    let text =
        std::fs::read_to_string(workspace_root().join("template.yaml")).expect("template.yaml");
    let doc: Yaml = serde_yaml::from_str(&text).expect("template parses");
    let mut declared: Vec<(String, String, String)> = Vec::new();
    for r in doc["Resources"].as_mapping().expect("Resources").values() {
        if r["Type"].as_str() != Some("AWS::Serverless::Function") {
            continue;
        }
        let binary = r["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        for e in r["Properties"]["Events"]
            .as_mapping()
            .map(|m| m.values().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if e["Type"].as_str() == Some("HttpApi") {
                declared.push((
                    binary.clone(),
                    e["Properties"]["Method"]
                        .as_str()
                        .unwrap_or_default()
                        .to_lowercase(),
                    e["Properties"]["Path"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                ));
            }
        }
    }
    declared.sort();
    let mut expected: Vec<(String, String, String)> = ROUTES
        .iter()
        .map(|r| {
            let bin = match r.surface {
                Surface::Public => "public-api",
                Surface::Write => "admin-api",
            };
            (bin.to_string(), r.method.to_string(), r.path.to_string())
        })
        .collect();
    expected.sort();
    assert_eq!(declared, expected);
}
