// ANCHOR: handler
use std::collections::BTreeMap;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{divide_half_away, permanent_failure, success, to_cents, to_dollars};
use crate::post_02_data_pipeline::models::sample_data::SalesRecord;

/// Running totals for one day or one product, in cents.
#[derive(Debug, Default)]
struct Tally {
    cents: i64,
    orders: i64,
    quantity: i64,
}

/// Rolls the extracted orders up by day and by product.
#[derive(Debug, Default)]
pub struct TransformSalesHandler;

#[async_trait]
impl StepHandler for TransformSalesHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(records) =
            step.get_dependency_field::<Vec<SalesRecord>>("extract_sales_data", &["records"])
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_EXTRACT_RESULTS",
                "extract_sales_data did not provide records",
            ));
        };

        let mut by_day: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut by_product: BTreeMap<&str, Tally> = BTreeMap::new();
        for sale in &records {
            let cents = to_cents(sale.amount);
            for tally in [
                by_day.entry(&sale.date).or_default(),
                by_product.entry(&sale.product_id).or_default(),
            ] {
                tally.cents += cents;
                tally.orders += 1;
                tally.quantity += sale.quantity;
            }
        }

        // The average is taken in cents and rounded once: 30015 / 2 orders
        // is 15007.5 cents, 150.08 dollars.
        let daily_sales: Map<String, Value> = by_day
            .iter()
            .map(|(date, day)| {
                let summary = json!({
                    "total_amount": to_dollars(day.cents),
                    "order_count": day.orders,
                    "avg_order_value": to_dollars(divide_half_away(day.cents, day.orders)),
                });
                (date.to_string(), summary)
            })
            .collect();
        let product_sales: Map<String, Value> = by_product
            .iter()
            .map(|(product_id, product)| {
                let summary = json!({
                    "total_quantity": product.quantity,
                    "total_revenue": to_dollars(product.cents),
                    "order_count": product.orders,
                });
                (product_id.to_string(), summary)
            })
            .collect();
        let total_cents: i64 = by_day.values().map(|day| day.cents).sum();

        Ok(success(
            step,
            started,
            json!({
                "record_count": records.len(),
                "daily_sales": daily_sales,
                "product_sales": product_sales,
                "total_revenue": to_dollars(total_cents),
                "transformation_type": "sales_analytics",
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_transform_sales"
    }
}
// ANCHOR_END: handler
