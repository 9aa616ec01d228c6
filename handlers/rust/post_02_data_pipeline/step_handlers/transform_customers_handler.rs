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
use crate::post_02_data_pipeline::models::sample_data::CustomerRecord;

/// Lifetime value segments, in cents: high from 10,000 $, medium from 1,000 $.
const HIGH_VALUE_CENTS: i64 = 1_000_000;
const MEDIUM_VALUE_CENTS: i64 = 100_000;

/// Groups customers by tier and by lifetime-value segment.
#[derive(Debug, Default)]
pub struct TransformCustomersHandler;

#[async_trait]
impl StepHandler for TransformCustomersHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(records) =
            step.get_dependency_field::<Vec<CustomerRecord>>("extract_customer_data", &["records"])
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_EXTRACT_RESULTS",
                "extract_customer_data did not provide records",
            ));
        };

        // tier → (customers, lifetime value in cents)
        let mut tiers: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        let (mut high, mut medium, mut low) = (0, 0, 0);
        for customer in &records {
            let cents = to_cents(customer.lifetime_value);
            let tier = tiers.entry(&customer.tier).or_default();
            tier.0 += 1;
            tier.1 += cents;
            match cents {
                HIGH_VALUE_CENTS.. => high += 1,
                MEDIUM_VALUE_CENTS.. => medium += 1,
                _ => low += 1,
            }
        }

        let tier_analysis: Map<String, Value> = tiers
            .iter()
            .map(|(tier, (count, cents))| {
                let summary = json!({
                    "customer_count": count,
                    "total_lifetime_value": to_dollars(*cents),
                    "avg_lifetime_value": to_dollars(divide_half_away(*cents, *count)),
                });
                (tier.to_string(), summary)
            })
            .collect();
        let total_cents: i64 = tiers.values().map(|(_, cents)| cents).sum();

        Ok(success(
            step,
            started,
            json!({
                "record_count": records.len(),
                "tier_analysis": tier_analysis,
                "value_segments": {
                    "high_value": high,
                    "medium_value": medium,
                    "low_value": low,
                },
                "total_lifetime_value": to_dollars(total_cents),
                "avg_customer_value": to_dollars(divide_half_away(total_cents, records.len() as i64)),
                "transformation_type": "customer_analytics",
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_transform_customers"
    }
}
// ANCHOR_END: handler
