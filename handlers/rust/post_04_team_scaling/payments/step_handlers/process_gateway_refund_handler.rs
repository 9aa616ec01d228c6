// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    days_from_now_iso, hex_id, now_iso, permanent_failure, retryable_failure, success,
};

const NAMESPACE: &str = "payments";

/// Days until the money is back on the customer's card.
const ARRIVAL_DAYS: i64 = 5;

/// What this step reads from validate_payment_eligibility.
#[derive(Debug, Deserialize)]
struct Eligibility {
    payment_id: String,
    refund_amount: i64,
    gateway_provider: String,
}

/// Sends the refund to the payment gateway (mocked).
#[derive(Debug, Default)]
pub struct ProcessGatewayRefundHandler;

#[async_trait]
impl StepHandler for ProcessGatewayRefundHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(eligible) =
            step.get_dependency_result_column_value::<Eligibility>("validate_payment_eligibility")
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_VALIDATION",
                "validate_payment_eligibility did not validate the payment",
            ));
        };
        // Test payment ids that make the mock gateway answer badly: a
        // timeout or a rate limit passes, a refusal does not.
        let payment_id = eligible.payment_id.as_str();
        if payment_id.contains("pay_test_gateway_timeout") {
            return Ok(retryable_failure(
                step,
                started,
                "GATEWAY_TIMEOUT",
                "the payment gateway did not answer in time",
                30,
            ));
        }
        if payment_id.contains("pay_test_gateway_error") {
            return Ok(permanent_failure(
                step,
                started,
                "GATEWAY_REFUND_FAILED",
                "the payment gateway refused the refund",
            ));
        }
        if payment_id.contains("pay_test_rate_limit") {
            return Ok(retryable_failure(
                step,
                started,
                "GATEWAY_RATE_LIMITED",
                "the payment gateway asks us to slow down",
                60,
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "refund_processed": true,
                "refund_id": hex_id("rfnd_", 16),
                "payment_id": payment_id,
                "refund_amount": eligible.refund_amount,
                "refund_status": "processed",
                "gateway_transaction_id": hex_id("gtx_", 16),
                "gateway_provider": eligible.gateway_provider,
                "processed_at": now_iso(),
                "estimated_arrival": days_from_now_iso(ARRIVAL_DAYS),
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "payments_process_gateway_refund"
    }
}
// ANCHOR_END: handler
