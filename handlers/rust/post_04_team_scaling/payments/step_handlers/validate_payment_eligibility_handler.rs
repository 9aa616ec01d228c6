// ANCHOR: handler
use std::sync::LazyLock;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    permanent_failure, present_text, retryable_failure, success, whole_number, AsciiPattern,
};

const NAMESPACE: &str = "payments";

/// `pay_` followed by letters, digits and underscores.
static PAYMENT_ID: LazyLock<AsciiPattern> = LazyLock::new(|| {
    AsciiPattern::new(r"pay_[a-zA-Z0-9_]+").expect("PAYMENT_ID is a valid pattern")
});

/// The mock payment's original charge: the refund plus 10 $, in cents.
const ORIGINAL_EXTRA_CENTS: i64 = 1000;

/// Checks that the payment exists and can be refunded by this amount.
#[derive(Debug, Default)]
pub struct ValidatePaymentEligibilityHandler;

#[async_trait]
impl StepHandler for ValidatePaymentEligibilityHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let payment_id = step
            .get_input::<Value>("payment_id")
            .ok()
            .and_then(|id| present_text(&id));
        let amount = step
            .get_input::<Value>("refund_amount")
            .ok()
            .filter(|amount| !amount.is_null());
        let (Some(payment_id), Some(amount)) = (payment_id, amount) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_REQUIRED_FIELDS",
                "payment_id and refund_amount are required",
            ));
        };
        // Whole cents only (4999.0 is 4999), and something to give back.
        let Some(refund_cents) = whole_number(&amount).filter(|cents| *cents > 0) else {
            return Ok(permanent_failure(
                step,
                started,
                "INVALID_REFUND_AMOUNT",
                format!("refund_amount must be a positive number of cents, got {amount}"),
            ));
        };
        if !PAYMENT_ID.matches_whole(&payment_id) {
            return Ok(permanent_failure(
                step,
                started,
                "INVALID_PAYMENT_ID",
                format!("{payment_id:?} is not a payment id (pay_…)"),
            ));
        }
        // Test payment ids that make the mock gateway refuse.
        if payment_id.contains("pay_test_insufficient") {
            return Ok(permanent_failure(
                step,
                started,
                "INSUFFICIENT_FUNDS",
                "the merchant balance cannot cover this refund",
            ));
        }
        if payment_id.contains("pay_test_processing") {
            return Ok(retryable_failure(
                step,
                started,
                "PAYMENT_PROCESSING",
                "the original payment is still settling",
                30,
            ));
        }
        if payment_id.contains("pay_test_ineligible") {
            return Ok(permanent_failure(
                step,
                started,
                "PAYMENT_INELIGIBLE",
                "this payment cannot be refunded",
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "payment_validated": true,
                "payment_id": payment_id,
                "original_amount": refund_cents + ORIGINAL_EXTRA_CENTS,
                "refund_amount": refund_cents,
                "payment_method": "credit_card",
                "gateway_provider": "MockPaymentGateway",
                "eligibility_status": "eligible",
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "payments_validate_payment_eligibility"
    }
}
// ANCHOR_END: handler
