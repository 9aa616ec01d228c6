// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{now_iso, success, to_cents, to_dollars};
use crate::post_02_data_pipeline::models::sample_data::sales_records;

/// Pulls the orders out of the sales database (mocked). It depends on no
/// other step, so Tasker runs it at the same time as the other two extracts.
#[derive(Debug, Default)]
pub struct ExtractSalesDataHandler;

#[async_trait]
impl StepHandler for ExtractSalesDataHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let records = sales_records();
        let total_cents: i64 = records.iter().map(|sale| to_cents(sale.amount)).sum();
        // ISO dates sort as text, so the earliest is the smallest string.
        let dates = records.iter().map(|sale| sale.date.as_str());

        Ok(success(
            step,
            started,
            json!({
                "records": records,
                "extracted_at": now_iso(),
                "source": "SalesDatabase",
                "total_amount": to_dollars(total_cents),
                "date_range": {
                    "start_date": dates.clone().min(),
                    "end_date": dates.max(),
                },
            }),
        ))
    }

    fn name(&self) -> &str {
        "data_pipeline_extract_sales_data"
    }
}
// ANCHOR_END: handler
