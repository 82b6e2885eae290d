//! Region access patterns: `all_regions` (Query `REGIONS`), `put_regions` (BatchWrite).

use super::keys::{self, PK, SK};
use super::{ItemKeys, Store, StoreError, classify, keyed_item, s};
use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use zhiyuan_shared::region::Region;

/// The reference regions share one partition, one item per code.
fn region_keys(r: &Region) -> ItemKeys {
    ItemKeys::new(
        keys::REGIONS_PK.into(),
        keys::region_item_sk(&r.code),
        "region",
    )
}

impl Store {
    pub async fn all_regions(&self) -> Result<Vec<Region>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            self.calls.query();
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_values(":pk", s(keys::REGIONS_PK))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(classify)?;
            let items: Vec<Region> = serde_dynamo::from_items(page.items.unwrap_or_default())
                .map_err(|e| StoreError::Decode(e.to_string()))?;
            out.extend(items);
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(out),
            }
        }
    }

    pub async fn put_regions(&self, regions: &[Region]) -> Result<(), StoreError> {
        for chunk in regions.chunks(25) {
            let mut writes = Vec::new();
            for r in chunk {
                let item = keyed_item(r, region_keys(r))?;
                let put = PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map_err(|e| StoreError::Decode(e.to_string()))?;
                writes.push(WriteRequest::builder().put_request(put).build());
            }
            self.batch_write(writes).await?;
        }
        Ok(())
    }

    /// BatchWriteItem with the unprocessed items retried, for seeding and benchmarks.
    pub(crate) async fn batch_write(
        &self,
        mut writes: Vec<WriteRequest>,
    ) -> Result<(), StoreError> {
        let mut attempt = 0u32;
        while !writes.is_empty() {
            self.calls.write();
            let out = self
                .client
                .batch_write_item()
                .request_items(&self.table, writes)
                .send()
                .await
                .map_err(classify)?;
            writes = out
                .unprocessed_items
                .and_then(|mut m| m.remove(&self.table))
                .unwrap_or_default();
            if !writes.is_empty() {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(
                    20 * u64::from(attempt.min(10)),
                ))
                .await;
            }
        }
        Ok(())
    }

    /// Whether the demo data was written already, and marking it written.
    pub async fn seed_marker_exists(&self) -> Result<bool, StoreError> {
        self.calls.get();
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(PK, s(keys::SEED_MARKER_PK))
            .key(SK, s(keys::SEED_MARKER_SK))
            .send()
            .await
            .map_err(classify)?;
        Ok(out.item.is_some())
    }

    pub async fn put_seed_marker(&self, at: &str) -> Result<(), StoreError> {
        #[derive(serde::Serialize)]
        struct SeedMarker<'a> {
            seeded_at: &'a str,
        }
        let k = ItemKeys::new(keys::SEED_MARKER_PK.into(), keys::SEED_MARKER_SK, "meta");
        self.put_one(keyed_item(&SeedMarker { seeded_at: at }, k)?, None)
            .await
    }
}
