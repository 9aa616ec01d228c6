// ANCHOR: handler
use std::collections::BTreeMap;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{divide_half_away, now_iso, success, to_cents, to_dollars};
use crate::post_02_data_pipeline::models::sample_data::customer_records;

/// Pulls the customers and their lifetime values out of the CRM (mocked),
/// in parallel with the other extracts.
#[derive(Debug, Default)]
pub struct ExtractCustomerDataHandler;

#[async_trait]
impl StepHandler for ExtractCustomerDataHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let records = customer_records();
        let count = records.len() as i64;
        let total_cents: i64 = records.iter().map(|c| to_cents(c.lifetime_value)).sum();
        let mut tier_breakdown: BTreeMap<&str, i64> = BTreeMap::new();
        for customer in records {
            *tier_breakdown.entry(customer.tier.as_str()).or_default() += 1;
        }

        Ok(success(
            step,
            started,
            json!({
                "records": records,
                "extracted_at": now_iso(),
                "source": "CRMSystem",
                "total_customers": count,
                "total_lifetime_value": to_dollars(total_cents),
                "tier_breakdown": tier_breakdown,
                "avg_lifetime_value": to_dollars(divide_half_away(total_cents, count)),
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_extract_customer_data"
    }
}
// ANCHOR_END: handler
