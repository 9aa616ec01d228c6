// ANCHOR: handler
use std::collections::BTreeSet;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{now_iso, success};
use crate::post_02_data_pipeline::models::sample_data::inventory_records;

/// Pulls stock levels per warehouse out of the inventory system (mocked),
/// in parallel with the other extracts.
#[derive(Debug, Default)]
pub struct ExtractInventoryDataHandler;

#[async_trait]
impl StepHandler for ExtractInventoryDataHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let records = inventory_records();
        // Warehouses in the order they first appear, each once.
        let mut warehouses: Vec<&str> = Vec::new();
        for record in records {
            if !warehouses.contains(&record.warehouse.as_str()) {
                warehouses.push(&record.warehouse);
            }
        }
        let products: BTreeSet<&str> = records.iter().map(|r| r.product_id.as_str()).collect();

        Ok(success(
            step,
            started,
            json!({
                "records": records,
                "extracted_at": now_iso(),
                "source": "InventorySystem",
                "total_quantity": records.iter().map(|r| r.quantity_on_hand).sum::<i64>(),
                "warehouses": warehouses,
                "products_tracked": products.len(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_extract_inventory_data"
    }
}
// ANCHOR_END: handler
