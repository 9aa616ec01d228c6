// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    divide_half_away, elapsed_ms, rounded_ratio, success, to_cents, to_dollars,
};

/// What this step reads from transform_sales.
#[derive(Debug, Deserialize)]
struct SalesSummary {
    record_count: i64,
    total_revenue: f64,
}

/// What this step reads from transform_inventory.
#[derive(Debug, Deserialize)]
struct InventorySummary {
    total_quantity_on_hand: i64,
    reorder_alerts: i64,
}

/// What this step reads from transform_customers.
#[derive(Debug, Deserialize)]
struct CustomerSummary {
    record_count: i64,
    total_lifetime_value: f64,
}

/// Where the three branches converge: combines the transformed views into
/// business metrics.
#[derive(Debug, Default)]
pub struct AggregateMetricsHandler;

#[async_trait]
impl StepHandler for AggregateMetricsHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        // ANCHOR: convergence
        // Tasker starts this step only once all three transforms have
        // finished; it still checks each result and names every one missing.
        let sales = step.get_dependency_result_column_value::<SalesSummary>("transform_sales");
        let inventory =
            step.get_dependency_result_column_value::<InventorySummary>("transform_inventory");
        let customers =
            step.get_dependency_result_column_value::<CustomerSummary>("transform_customers");
        let missing: Vec<&str> = [
            ("transform_sales", sales.is_err()),
            ("transform_inventory", inventory.is_err()),
            ("transform_customers", customers.is_err()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        let (Ok(sales), Ok(inventory), Ok(customers)) = (sales, inventory, customers) else {
            return Ok(StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                format!("missing transform results: {}", missing.join(", ")),
                Some("MISSING_TRANSFORM_RESULTS".to_string()),
                Some("permanent_error".to_string()),
                false,
                elapsed_ms(started),
                Some(HashMap::from([(
                    "missing_steps".to_string(),
                    json!(missing),
                )])),
            ));
        };
        // ANCHOR_END: convergence

        let revenue_cents = to_cents(sales.total_revenue);
        let quantity = inventory.total_quantity_on_hand;
        Ok(success(
            step,
            started,
            json!({
                "total_revenue": to_dollars(revenue_cents),
                "total_inventory_quantity": quantity,
                "total_customers": customers.record_count,
                "total_customer_lifetime_value":
                    to_dollars(to_cents(customers.total_lifetime_value)),
                "sales_transactions": sales.record_count,
                "inventory_reorder_alerts": inventory.reorder_alerts,
                "revenue_per_customer":
                    to_dollars(divide_half_away(revenue_cents, customers.record_count)),
                // Dollars of revenue per unit in stock, to 4 places (the
                // revenue is in cents, hence the 100 units of the divisor).
                "inventory_turnover_indicator": rounded_ratio(revenue_cents, quantity * 100, 4),
                "aggregation_complete": true,
                "sources_included": 3,
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_aggregate_metrics"
    }
}
// ANCHOR_END: handler
