// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    divide_half_away, dollars_text, now_iso, permanent_failure, success, to_cents, to_dollars,
};

/// Revenue per customer above 500 $ is healthy spend.
const HEALTHY_SPEND_CENTS: i64 = 50_000;
/// An average lifetime value above 3,000 $ is a loyal customer base.
const LOYAL_VALUE_CENTS: i64 = 300_000;

/// What this step reads from aggregate_metrics.
#[derive(Debug, Deserialize)]
struct Metrics {
    revenue_per_customer: f64,
    inventory_reorder_alerts: i64,
    total_customers: i64,
    total_customer_lifetime_value: f64,
}

/// Turns the aggregated metrics into recommendations and a health score.
#[derive(Debug, Default)]
pub struct GenerateInsightsHandler;

#[async_trait]
impl StepHandler for GenerateInsightsHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        // Every metric is counted as analysed; the four below drive the advice.
        let metrics = step
            .get_dependency_result_column_value::<Map<String, Value>>("aggregate_metrics")
            .ok()
            .and_then(|all| {
                let count = all.len();
                serde_json::from_value::<Metrics>(Value::Object(all))
                    .ok()
                    .map(|metrics| (count, metrics))
            });
        let Some((metrics_analyzed, metrics)) = metrics else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_AGGREGATE_RESULTS",
                "aggregate_metrics did not provide its metrics",
            ));
        };

        let spend_cents = to_cents(metrics.revenue_per_customer);
        let alerts = metrics.inventory_reorder_alerts;
        let customers = metrics.total_customers;
        let lifetime_cents = to_cents(metrics.total_customer_lifetime_value);
        let average_ltv_cents = divide_half_away(lifetime_cents, customers);
        // Compared exactly (total > 3,000 $ × customers), not via the
        // rounded average.
        let loyal = customers > 0 && lifetime_cents > LOYAL_VALUE_CENTS * customers;

        let insights = json!([
            {
                "category": "Revenue",
                "finding": format!("Revenue per customer is ${}", dollars_text(spend_cents)),
                "metric": to_dollars(spend_cents),
                "recommendation": if spend_cents < HEALTHY_SPEND_CENTS {
                    "Consider upselling strategies"
                } else {
                    "Customer spend is healthy"
                },
            },
            {
                "category": "Inventory",
                "finding": format!("{alerts} product(s) need reordering"),
                "metric": alerts,
                "recommendation": if alerts > 0 {
                    "Review reorder points"
                } else {
                    "Inventory levels are healthy"
                },
            },
            {
                "category": "Customer",
                "finding": format!("Average lifetime value is ${}", dollars_text(average_ltv_cents)),
                "metric": to_dollars(average_ltv_cents),
                "recommendation": if loyal {
                    "Focus on retention programs"
                } else {
                    "Increase customer engagement"
                },
            },
        ]);

        // ANCHOR: health_score
        let mut score = 0;
        if spend_cents > HEALTHY_SPEND_CENTS {
            score += 40;
        }
        if alerts == 0 {
            score += 30;
        }
        if loyal {
            score += 30;
        }
        let rating = match score {
            80.. => "Excellent",
            60.. => "Good",
            40.. => "Fair",
            _ => "Needs Improvement",
        };
        // ANCHOR_END: health_score

        Ok(success(
            step,
            started,
            json!({
                "insights": insights,
                "health_score": {"score": score, "max_score": 100, "rating": rating},
                "total_metrics_analyzed": metrics_analyzed,
                "pipeline_complete": true,
                "generated_at": now_iso(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_generate_insights"
    }
}
// ANCHOR_END: handler
