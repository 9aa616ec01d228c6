// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::models::core::task_request::TaskRequest;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{hex_id, permanent_failure, success, task_id};
use crate::post_04_team_scaling::customer_success::models::refund_request::RefundRequest;

const NAMESPACE: &str = "customer_success";

/// Creates the payments task; simulated here, so only its id comes back.
/// Against a running orchestrator this is
/// `tasker_client::OrchestrationApiClient::create_task(request)`.
fn delegate(_request: &TaskRequest) -> String {
    task_id()
}

/// Hands the approved refund to the payments team's own `process_refund`
/// workflow: customer success decides, payments moves the money.
#[derive(Debug, Default)]
pub struct ExecuteRefundWorkflowHandler;

#[async_trait]
impl StepHandler for ExecuteRefundWorkflowHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let approved = step
            .get_dependency_field::<bool>("get_manager_approval", &["approval_obtained"])
            .unwrap_or(false);
        if !approved {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_APPROVAL",
                "get_manager_approval did not approve the refund",
            ));
        }
        // Null when the policy approved the refund without a manager.
        let approval_id = step
            .get_dependency_field::<Value>("get_manager_approval", &["approval_id"])
            .unwrap_or(Value::Null);
        let Ok(payment_id) =
            step.get_dependency_field::<String>("validate_refund_request", &["payment_id"])
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_PAYMENT_ID",
                "validate_refund_request did not find the payment",
            ));
        };
        let request = RefundRequest::from_step(step);
        let correlation_id = request.correlation_id.unwrap_or_else(|| hex_id("cs-", 16));

        // ANCHOR: cross_namespace
        // Both teams call their workflow process_refund: the namespace and
        // the version say which one is meant.
        let payments_request = TaskRequest::new("process_refund".into(), "payments".into())
            .with_version("2.1.0".into())
            .with_initiator(NAMESPACE.into())
            .with_context(json!({
                "payment_id": payment_id,
                "refund_amount": request.refund_amount,
                "refund_reason": request
                    .refund_reason
                    .unwrap_or_else(|| "customer_request".to_string()),
                "customer_email": request.customer_email,
                "initiated_by": NAMESPACE,
                "approval_id": approval_id,
                "ticket_id": request.ticket_id,
                "correlation_id": correlation_id,
            }));
        // ANCHOR_END: cross_namespace
        let delegated_task_id = delegate(&payments_request);

        Ok(success(
            step,
            started,
            json!({
                "task_delegated": true,
                "target_namespace": payments_request.namespace,
                "target_workflow": payments_request.name,
                "delegated_task_id": delegated_task_id,
                "delegated_task_status": "created",
                "correlation_id": correlation_id,
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "customer_success_execute_refund_workflow"
    }
}
// ANCHOR_END: handler
