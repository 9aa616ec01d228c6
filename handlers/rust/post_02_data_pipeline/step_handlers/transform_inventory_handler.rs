// ANCHOR: handler
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{permanent_failure, success};
use crate::post_02_data_pipeline::models::sample_data::InventoryRecord;

/// Stock gathered for one warehouse or one product.
#[derive(Debug, Default)]
struct Stock<'a> {
    on_hand: i64,
    reorder_point: i64,
    /// Records at or below their own reorder point.
    alerts: i64,
    /// Products in a warehouse, or warehouses holding a product.
    places: BTreeSet<&'a str>,
}

/// Summarises stock per warehouse and per product and flags what to reorder.
#[derive(Debug, Default)]
pub struct TransformInventoryHandler;

#[async_trait]
impl StepHandler for TransformInventoryHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(records) = step
            .get_dependency_field::<Vec<InventoryRecord>>("extract_inventory_data", &["records"])
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_EXTRACT_RESULTS",
                "extract_inventory_data did not provide records",
            ));
        };

        let mut by_warehouse: BTreeMap<&str, Stock> = BTreeMap::new();
        let mut by_product: BTreeMap<&str, Stock> = BTreeMap::new();
        for record in &records {
            let alert = i64::from(record.quantity_on_hand <= record.reorder_point);
            for (stock, place) in [
                (
                    by_warehouse.entry(&record.warehouse).or_default(),
                    &record.product_id,
                ),
                (
                    by_product.entry(&record.product_id).or_default(),
                    &record.warehouse,
                ),
            ] {
                stock.on_hand += record.quantity_on_hand;
                stock.reorder_point += record.reorder_point;
                stock.alerts += alert;
                stock.places.insert(place);
            }
        }

        let warehouse_summary: Map<String, Value> = by_warehouse
            .iter()
            .map(|(warehouse, stock)| {
                let summary = json!({
                    "total_quantity": stock.on_hand,
                    "product_count": stock.places.len(),
                    "reorder_alerts": stock.alerts,
                });
                (warehouse.to_string(), summary)
            })
            .collect();
        // A product needs reordering when its stock across all warehouses is
        // below the sum of their reorder points.
        let needs_reorder = |stock: &Stock| stock.on_hand < stock.reorder_point;
        let product_inventory: Map<String, Value> = by_product
            .iter()
            .map(|(product_id, stock)| {
                let summary = json!({
                    "total_quantity": stock.on_hand,
                    "warehouse_count": stock.places.len(),
                    "needs_reorder": needs_reorder(stock),
                });
                (product_id.to_string(), summary)
            })
            .collect();

        Ok(success(
            step,
            started,
            json!({
                "record_count": records.len(),
                "warehouse_summary": warehouse_summary,
                "product_inventory": product_inventory,
                "total_quantity_on_hand": records.iter().map(|r| r.quantity_on_hand).sum::<i64>(),
                "reorder_alerts": by_product.values().filter(|s| needs_reorder(s)).count(),
                "transformation_type": "inventory_analytics",
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_transform_inventory"
    }
}
// ANCHOR_END: handler
