// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    elapsed_ms, hex_id, now_iso, percent_of, permanent_failure, retry_after, success, to_cents,
    to_dollars,
};
use crate::post_01_ecommerce::models::order::PaymentInfo;

/// Card processing fee: 2.9 % (in basis points) plus 30 cents.
const FEE_BASIS_POINTS: i64 = 290;
const FEE_FIXED_CENTS: i64 = 30;

/// Charges the customer for the validated cart through a simulated gateway
/// whose test tokens trigger each kind of failure.
#[derive(Debug, Default)]
pub struct ProcessPaymentHandler;

#[async_trait]
impl StepHandler for ProcessPaymentHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(payment) = step.get_input::<PaymentInfo>("payment_info") else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_PAYMENT_INFO",
                "payment_info is required",
            ));
        };
        let Some(method) = payment.method.filter(|m| !m.is_empty()) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_PAYMENT_METHOD",
                "payment_info.method is required",
            ));
        };
        let Some(token) = payment.token.filter(|t| !t.is_empty()) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_PAYMENT_TOKEN",
                "payment_info.token is required",
            ));
        };

        // ANCHOR: dependency_access
        // The amount to charge was settled by validate_cart; the customer's
        // own figure is only checked against it.
        let Ok(cart_total) = step.get_dependency_field::<f64>("validate_cart", &["total"]) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CART_TOTAL",
                "validate_cart did not provide a total",
            ));
        };
        // ANCHOR_END: dependency_access
        let total_cents = to_cents(cart_total);
        let amount_cents = payment.amount.map(to_cents);
        let Some(amount_cents) = amount_cents.filter(|a| (a - total_cents).abs() <= 1) else {
            return Ok(permanent_failure(
                step,
                started,
                "PAYMENT_AMOUNT_MISMATCH",
                format!(
                    "payment amount {:?} does not match cart total {cart_total}",
                    payment.amount
                ),
            ));
        };

        // ANCHOR: error_classification
        match token.as_str() {
            // A declined card stays declined: retrying would only annoy the bank.
            "tok_test_declined" | "tok_test_insufficient_funds" => {
                return Ok(StepExecutionResult::failure(
                    step.workflow_step.workflow_step_uuid,
                    "the card issuer declined the payment".to_string(),
                    Some("PAYMENT_DECLINED".to_string()),
                    Some("permanent_error".to_string()),
                    false,
                    elapsed_ms(started),
                    Some(HashMap::from([("decline_token".to_string(), json!(token))])),
                ));
            }
            // The gateway did not answer: the same charge may well succeed
            // shortly, so let Tasker retry it after 15 s (the engine reads
            // the wait from a Retry-After header: `retry_after` below).
            "tok_test_network_error" => {
                let failure = StepExecutionResult::failure(
                    step.workflow_step.workflow_step_uuid,
                    "the payment gateway timed out".to_string(),
                    Some("PAYMENT_GATEWAY_TIMEOUT".to_string()),
                    Some("retryable_error".to_string()),
                    true,
                    elapsed_ms(started),
                    Some(HashMap::from([("retry_after".to_string(), json!(15))])),
                );
                return Ok(retry_after(failure, 15));
            }
            _ => {}
        }
        // ANCHOR_END: error_classification

        let fee_cents = percent_of(amount_cents, FEE_BASIS_POINTS) + FEE_FIXED_CENTS;
        Ok(success(
            step,
            started,
            json!({
                "payment_id": hex_id("pay_", 24),
                "amount_charged": to_dollars(amount_cents),
                "currency": "USD",
                "payment_method_type": method,
                "transaction_id": hex_id("txn_", 24),
                "fees": to_dollars(fee_cents),
                "processed_at": now_iso(),
                "status": "completed",
            }),
        ))
    }

    fn name(&self) -> &str {
        "ecommerce_process_payment"
    }
}
// ANCHOR_END: handler
