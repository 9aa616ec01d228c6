// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{dollars_text, now_iso, permanent_failure, retryable_failure, success};
use crate::post_04_team_scaling::customer_success::models::refund_request::RefundRequest;

const NAMESPACE: &str = "customer_success";

/// What this step reads from execute_refund_workflow.
#[derive(Debug, Deserialize)]
struct Delegation {
    delegated_task_id: String,
    correlation_id: String,
}

/// Resolves the support ticket with a note about the delegated refund.
#[derive(Debug, Default)]
pub struct UpdateTicketStatusHandler;

#[async_trait]
impl StepHandler for UpdateTicketStatusHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(delegation) =
            step.get_dependency_result_column_value::<Delegation>("execute_refund_workflow")
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_DELEGATION",
                "execute_refund_workflow did not delegate the refund",
            ));
        };
        let request = RefundRequest::from_step(step);
        let ticket_id = request.ticket_id.unwrap_or_default();
        // The ticketing system is busy or down: both pass, so retry.
        if ticket_id.contains("ticket_locked") {
            return Ok(retryable_failure(
                step,
                started,
                "TICKET_LOCKED",
                format!("ticket {ticket_id} is locked by another agent"),
                15,
            ));
        }
        if ticket_id.contains("ticket_update_error") {
            return Ok(retryable_failure(
                step,
                started,
                "UPDATE_FAILED",
                format!("the ticketing system did not save ticket {ticket_id}"),
                30,
            ));
        }

        let amount = dollars_text(request.refund_amount.unwrap_or(0));
        Ok(success(
            step,
            started,
            json!({
                "ticket_updated": true,
                "ticket_id": ticket_id,
                "previous_status": "in_progress",
                "new_status": "resolved",
                "resolution_note": format!(
                    "Refund of ${amount} processed successfully \
                     (payments task {}, correlation id {})",
                    delegation.delegated_task_id, delegation.correlation_id
                ),
                "updated_at": now_iso(),
                "refund_completed": true,
                "delegated_task_id": delegation.delegated_task_id,
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "customer_success_update_ticket_status"
    }
}
// ANCHOR_END: handler
