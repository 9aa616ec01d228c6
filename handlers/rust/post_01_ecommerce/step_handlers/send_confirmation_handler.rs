// ANCHOR: handler
use std::sync::LazyLock;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{hex_id, now_iso, permanent_failure, success, AsciiPattern};
use crate::post_01_ecommerce::models::order::CustomerInfo;

/// One `@` with something on each side and no whitespace anywhere.
/// Deliberately loose; the mail server is the real judge.
static EMAIL_FORMAT: LazyLock<AsciiPattern> = LazyLock::new(|| {
    AsciiPattern::new(r"[^@\s]+@[^@\s]+").expect("EMAIL_FORMAT is a valid pattern")
});

/// Emails the customer their order confirmation: the last step, run only
/// when the order really exists.
#[derive(Debug, Default)]
pub struct SendConfirmationHandler;

#[async_trait]
impl StepHandler for SendConfirmationHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let email = step
            .get_input::<CustomerInfo>("customer_info")
            .ok()
            .and_then(|customer| customer.email)
            .filter(|email| !email.is_empty());
        let Some(email) = email else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CUSTOMER_EMAIL",
                "customer_info.email is required",
            ));
        };
        // Any id will do: this step only needs proof that the order exists.
        let order_exists = step
            .get_dependency_field::<Value>("create_order", &["order_id"])
            .is_ok_and(|id| !id.is_null() && id.as_str() != Some(""));
        if !order_exists {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_ORDER_RESULT",
                "create_order did not provide an order_id",
            ));
        }
        if step
            .get_dependency_field::<f64>("validate_cart", &["total"])
            .is_err()
        {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CART_VALIDATION",
                "validate_cart did not provide a total",
            ));
        }
        // A malformed address bounces every time; no retry can fix it.
        if !EMAIL_FORMAT.matches_whole(&email) {
            return Ok(permanent_failure(
                step,
                started,
                "INVALID_EMAIL",
                format!("{email:?} is not an email address"),
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "email_sent": true,
                "recipient": email,
                "email_type": "order_confirmation",
                "sent_at": now_iso(),
                "message_id": hex_id("msg_", 16),
            }),
        ))
    }

    fn name(&self) -> &str {
        "ecommerce_send_confirmation"
    }
}
// ANCHOR_END: handler
