# ANCHOR: handler
from __future__ import annotations

import secrets

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.timestamps import now_iso

NAMESPACE = "customer_success"
APPROVAL_RETRY_AFTER_SECONDS = 60
MANAGER_COUNT = 5


class GetManagerApprovalHandler(StepHandler):
    """Ask a manager to sign off when the policy says a refund needs it."""

    handler_name = "customer_success.step_handlers.GetManagerApprovalHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        requires_approval = context.get_dependency_field("check_refund_policy", "requires_approval")
        if requires_approval is None:
            return self.failure(
                "check_refund_policy result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_POLICY_CHECK"},
            )
        if not requires_approval:
            return self.success(
                {
                    "approval_obtained": True,
                    "approval_required": False,
                    "auto_approved": True,
                    "approval_id": None,
                    "manager_id": None,
                    "manager_notes": "Auto-approved by policy",
                    "approved_at": now_iso(),
                    "namespace": NAMESPACE,
                }
            )

        # Demo ticket ids stand in for the manager's answer.
        ticket_id = str(context.get_input("ticket_id") or "")
        if "ticket_denied" in ticket_id:
            return self.failure(
                f"A manager denied the refund for {ticket_id}",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "APPROVAL_DENIED"},
            )
        # ANCHOR: approval_pending
        if "ticket_pending" in ticket_id:
            # Not a failure of the system: nobody has decided yet. Returning a
            # retryable failure makes Tasker ask again in a minute.
            return self.failure(
                f"Manager approval for {ticket_id} is still pending",
                error_type=ErrorType.RETRYABLE_ERROR,
                retryable=True,
                metadata={
                    "error_code": "APPROVAL_PENDING",
                    "context": {"retry_after": APPROVAL_RETRY_AFTER_SECONDS},
                },
            )
        # ANCHOR_END: approval_pending

        return self.success(
            {
                "approval_obtained": True,
                "approval_required": True,
                "auto_approved": False,
                "approval_id": hex_id("appr_"),
                "manager_id": f"mgr_{secrets.randbelow(MANAGER_COUNT) + 1}",
                "manager_notes": f"Approved refund for {ticket_id}",
                "approved_at": now_iso(),
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
