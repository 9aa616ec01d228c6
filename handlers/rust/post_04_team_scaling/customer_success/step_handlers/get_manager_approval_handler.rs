// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use rand::Rng;
use serde_json::{json, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{elapsed_ms, hex_id, now_iso, permanent_failure, retry_after, success};
use crate::post_04_team_scaling::customer_success::models::refund_request::RefundRequest;

const NAMESPACE: &str = "customer_success";

/// Asks a manager to approve the refund when the policy says so; otherwise
/// the refund is approved automatically.
#[derive(Debug, Default)]
pub struct GetManagerApprovalHandler;

#[async_trait]
impl StepHandler for GetManagerApprovalHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(approval_required) =
            step.get_dependency_field::<bool>("check_refund_policy", &["requires_approval"])
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_POLICY_CHECK",
                "check_refund_policy did not say whether approval is required",
            ));
        };
        let ticket_id = RefundRequest::from_step(step).ticket_id.unwrap_or_default();

        let (approval_id, manager_id, manager_notes) = if approval_required {
            if ticket_id.contains("ticket_denied") {
                return Ok(permanent_failure(
                    step,
                    started,
                    "APPROVAL_DENIED",
                    format!("a manager denied the refund for {ticket_id}"),
                ));
            }
            // ANCHOR: approval_pending
            if ticket_id.contains("ticket_pending") {
                // No decision yet is not a failure of the request: ask again
                // in a minute, as often as the template's max_attempts allows.
                let pending = StepExecutionResult::failure(
                    step.workflow_step.workflow_step_uuid,
                    format!("the refund for {ticket_id} is waiting for a manager"),
                    Some("APPROVAL_PENDING".to_string()),
                    Some("retryable_error".to_string()),
                    true,
                    elapsed_ms(started),
                    Some(HashMap::from([
                        ("retry_after".to_string(), json!(60)),
                        ("ticket_id".to_string(), json!(ticket_id)),
                    ])),
                );
                return Ok(retry_after(pending, 60));
            }
            // ANCHOR_END: approval_pending
            let manager = rand::rng().random_range(1..=5);
            (
                json!(hex_id("appr_", 16)),
                json!(format!("mgr_{manager}")),
                format!("Approved refund for {ticket_id}"),
            )
        } else {
            (
                Value::Null,
                Value::Null,
                "Auto-approved by policy".to_string(),
            )
        };

        Ok(success(
            step,
            started,
            json!({
                "approval_obtained": true,
                "approval_required": approval_required,
                "auto_approved": !approval_required,
                "approval_id": approval_id,
                "manager_id": manager_id,
                "manager_notes": manager_notes,
                "approved_at": now_iso(),
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "customer_success_get_manager_approval"
    }
}
// ANCHOR_END: handler
