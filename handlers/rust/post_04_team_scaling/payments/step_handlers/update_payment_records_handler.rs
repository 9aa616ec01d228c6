// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{hex_id, now_iso, permanent_failure, retryable_failure, success};

const NAMESPACE: &str = "payments";

/// What this step reads from process_gateway_refund.
#[derive(Debug, Deserialize)]
struct GatewayRefund {
    refund_id: String,
    payment_id: String,
}

/// Marks the payment refunded in the ledger and records the history.
#[derive(Debug, Default)]
pub struct UpdatePaymentRecordsHandler;

#[async_trait]
impl StepHandler for UpdatePaymentRecordsHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(refund) =
            step.get_dependency_result_column_value::<GatewayRefund>("process_gateway_refund")
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_REFUND",
                "process_gateway_refund did not provide a refund_id",
            ));
        };
        // The money has moved: a busy ledger must be retried, never skipped.
        if refund.payment_id.contains("pay_test_record_lock") {
            return Ok(retryable_failure(
                step,
                started,
                "RECORD_LOCKED",
                "the payment record is locked by another update",
                10,
            ));
        }
        if refund.payment_id.contains("pay_test_record_error") {
            return Ok(retryable_failure(
                step,
                started,
                "RECORD_UPDATE_FAILED",
                "the ledger did not save the refund",
                30,
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "records_updated": true,
                "payment_id": refund.payment_id,
                "refund_id": refund.refund_id,
                "record_id": hex_id("rec_", 16),
                "payment_status": "refunded",
                "refund_status": "completed",
                "history_entries_created": 2,
                "updated_at": now_iso(),
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "payments_update_payment_records"
    }
}
// ANCHOR_END: handler
