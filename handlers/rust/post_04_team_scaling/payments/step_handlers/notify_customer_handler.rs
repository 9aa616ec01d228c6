// ANCHOR: handler
use std::sync::LazyLock;
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    hex_id, now_iso, permanent_failure, retryable_failure, success, AsciiPattern,
};

const NAMESPACE: &str = "payments";

/// One `@` with something on each side, and no whitespace anywhere.
static EMAIL_FORMAT: LazyLock<AsciiPattern> = LazyLock::new(|| {
    AsciiPattern::new(r"[^@\s]+@[^@\s]+").expect("EMAIL_FORMAT is a valid pattern")
});

/// What this step reads from process_gateway_refund.
#[derive(Debug, Deserialize)]
struct GatewayRefund {
    refund_id: String,
    refund_amount: i64,
}

/// Emails the customer that their refund is on its way.
#[derive(Debug, Default)]
pub struct NotifyCustomerHandler;

#[async_trait]
impl StepHandler for NotifyCustomerHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(refund) =
            step.get_dependency_result_column_value::<GatewayRefund>("process_gateway_refund")
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_REFUND",
                "process_gateway_refund did not provide the refund",
            ));
        };
        let email = step
            .get_input::<String>("customer_email")
            .ok()
            .filter(|email| !email.is_empty());
        let Some(email) = email else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CUSTOMER_EMAIL",
                "customer_email is required to notify the customer",
            ));
        };
        if !EMAIL_FORMAT.matches_whole(&email) {
            return Ok(permanent_failure(
                step,
                started,
                "INVALID_EMAIL_FORMAT",
                format!("{email:?} is not an email address"),
            ));
        }
        // Test domains that make the mock mail service answer badly.
        if email.contains("@test_bounce") {
            return Ok(permanent_failure(
                step,
                started,
                "EMAIL_BOUNCED",
                format!("mail to {email} bounced"),
            ));
        }
        if email.contains("@test_invalid") {
            return Ok(permanent_failure(
                step,
                started,
                "INVALID_EMAIL",
                format!("the mail service rejects {email}"),
            ));
        }
        if email.contains("@test_rate_limit") {
            return Ok(retryable_failure(
                step,
                started,
                "EMAIL_RATE_LIMITED",
                "the mail service asks us to slow down",
                60,
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "notification_sent": true,
                "customer_email": email,
                "message_id": hex_id("msg_", 16),
                "notification_type": "refund_confirmation",
                "sent_at": now_iso(),
                "delivery_status": "delivered",
                "refund_id": refund.refund_id,
                "refund_amount": refund.refund_amount,
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "payments_notify_customer"
    }
}
// ANCHOR_END: handler
