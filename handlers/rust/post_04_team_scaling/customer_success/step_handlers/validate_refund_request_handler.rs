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
    days_from_now_iso, elapsed_ms, hex_id, now_iso, permanent_failure, success,
};
use crate::post_04_team_scaling::customer_success::models::refund_request::RefundRequest;

const NAMESPACE: &str = "customer_success";

/// In the mock order system every purchase was made this many days ago.
const PURCHASE_DAYS_AGO: i64 = 30;

/// Ticket ids that mark a ticket which can no longer be refunded.
const CLOSED_TICKETS: [(&str, &str); 3] = [
    ("ticket_closed", "TICKET_CLOSED"),
    ("ticket_cancelled", "TICKET_CANCELLED"),
    ("ticket_duplicate", "TICKET_DUPLICATE"),
];

/// The customer's tier, from their id (any case, ASCII only: `to_lowercase`
/// would turn the Kelvin sign into a `k`): vip or premium, gold, or standard.
fn customer_tier(customer_id: &str) -> &'static str {
    let id = customer_id.to_ascii_lowercase();
    if id.contains("vip") || id.contains("premium") {
        "premium"
    } else if id.contains("gold") {
        "gold"
    } else {
        "standard"
    }
}

/// Checks the support ticket and finds the purchase the refund is for.
#[derive(Debug, Default)]
pub struct ValidateRefundRequestHandler;

#[async_trait]
impl StepHandler for ValidateRefundRequestHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let request = RefundRequest::from_step(step);
        let (Some(ticket_id), Some(customer_id), Some(_), Some(_)) = (
            &request.ticket_id,
            &request.customer_id,
            request.refund_amount,
            &request.customer_email,
        ) else {
            let missing = request.missing_fields();
            return Ok(StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                format!("missing required fields: {}", missing.join(", ")),
                Some("MISSING_REQUIRED_FIELDS".to_string()),
                Some("validation_error".to_string()),
                false,
                elapsed_ms(started),
                Some(HashMap::from([(
                    "missing_fields".to_string(),
                    json!(missing),
                )])),
            ));
        };
        if let Some((_, error_code)) = CLOSED_TICKETS
            .iter()
            .find(|(marker, _)| ticket_id.contains(marker))
        {
            return Ok(permanent_failure(
                step,
                started,
                error_code,
                format!("ticket {ticket_id} cannot be refunded ({error_code})"),
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "request_validated": true,
                "ticket_id": ticket_id,
                "customer_id": customer_id,
                "ticket_status": "open",
                "customer_tier": customer_tier(customer_id),
                "original_purchase_date": days_from_now_iso(-PURCHASE_DAYS_AGO),
                "payment_id": hex_id("pay_", 16),
                "validation_timestamp": now_iso(),
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "customer_success_validate_refund_request"
    }
}
// ANCHOR_END: handler
