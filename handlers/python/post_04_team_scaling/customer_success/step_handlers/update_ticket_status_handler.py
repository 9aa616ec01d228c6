# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.money import dollars_text
from blog_common.timestamps import now_iso

NAMESPACE = "customer_success"
# Demo ticket ids that stand in for the ticketing system's transient errors:
# marker -> (error code, seconds to wait before retrying)
TRANSIENT_TICKET_ERRORS = {
    "ticket_locked": ("TICKET_LOCKED", 15),
    "ticket_update_error": ("UPDATE_FAILED", 30),
}


class UpdateTicketStatusHandler(StepHandler):
    """Resolve the support ticket with a note about the delegated refund."""

    handler_name = "customer_success.step_handlers.UpdateTicketStatusHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        delegation = context.get_dependency_result("execute_refund_workflow")
        if not delegation or not delegation.get("delegated_task_id"):
            return self.failure(
                "execute_refund_workflow result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_DELEGATION"},
            )
        ticket_id = str(context.get_input("ticket_id") or "")
        for marker, (error_code, retry_after) in TRANSIENT_TICKET_ERRORS.items():
            if marker in ticket_id:
                return self.failure(
                    f"Could not update ticket {ticket_id} ({error_code})",
                    error_type=ErrorType.RETRYABLE_ERROR,
                    retryable=True,
                    metadata={"error_code": error_code, "context": {"retry_after": retry_after}},
                )

        delegated_task_id = delegation["delegated_task_id"]
        correlation_id = delegation.get("correlation_id")
        amount = dollars_text(context.get_input_or("refund_amount", 0))
        return self.success(
            {
                "ticket_updated": True,
                "ticket_id": ticket_id,
                "previous_status": "in_progress",
                "new_status": "resolved",
                "resolution_note": (
                    f"Refund of ${amount} processed successfully "
                    f"(payments task {delegated_task_id}, correlation id {correlation_id})"
                ),
                "updated_at": now_iso(),
                "refund_completed": True,
                "delegated_task_id": delegated_task_id,
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
