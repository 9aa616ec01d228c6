# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id, task_id

NAMESPACE = "customer_success"


class ExecuteRefundWorkflowHandler(StepHandler):
    """Hand the approved refund to the payments team's own workflow."""

    handler_name = "customer_success.step_handlers.ExecuteRefundWorkflowHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        approval = context.get_dependency_result("get_manager_approval")
        if not approval or not approval.get("approval_obtained"):
            return self.failure(
                "get_manager_approval result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_APPROVAL"},
            )
        payment_id = context.get_dependency_field("validate_refund_request", "payment_id")
        if not payment_id:
            return self.failure(
                "validate_refund_request found no payment_id",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_PAYMENT_ID"},
            )
        correlation_id = context.get_input("correlation_id") or hex_id("cs-")

        # ANCHOR: cross_namespace
        # The same workflow name exists in both namespaces: namespace and
        # version say which process_refund is meant.
        request: dict[str, Any] = {
            "namespace": "payments",
            "name": "process_refund",
            "version": "2.1.0",
            "context": {
                "payment_id": payment_id,
                "refund_amount": context.get_input("refund_amount"),
                "refund_reason": context.get_input_or("refund_reason", "customer_request"),
                "customer_email": context.get_input("customer_email"),
                "initiated_by": NAMESPACE,
                "approval_id": approval.get("approval_id"),
                "ticket_id": context.get_input("ticket_id"),
                "correlation_id": correlation_id,
            },
        }
        # ANCHOR_END: cross_namespace
        delegated_task_id = self._delegate(request)

        return self.success(
            {
                "task_delegated": True,
                "target_namespace": request["namespace"],
                "target_workflow": request["name"],
                "delegated_task_id": delegated_task_id,
                "delegated_task_status": "created",
                "correlation_id": correlation_id,
                "namespace": NAMESPACE,
            }
        )

    def _delegate(self, request: dict[str, Any]) -> str:
        """Create the payments task; simulated here, so only an id comes back.

        Against a running orchestrator this is tasker_core.client.TaskerClient()
        .create_task(request["name"], namespace=request["namespace"],
        version=request["version"], context=request["context"]).task_uuid.
        """
        return task_id()
        # ANCHOR_END: handler
