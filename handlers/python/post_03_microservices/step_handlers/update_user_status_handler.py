# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.timestamps import now_iso

UPSTREAM_STEPS = (
    "create_user_account",
    "setup_billing_profile",
    "initialize_preferences",
    "send_welcome_sequence",
)
SERVICES = ["user_service", "billing_service", "preferences_service", "notification_service"]


class UpdateUserStatusHandler(StepHandler):
    """Activate the user once every service has done its part."""

    handler_name = "microservices.step_handlers.UpdateUserStatusHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        results = {step: context.get_dependency_result(step) for step in UPSTREAM_STEPS}
        missing = [step for step, result in results.items() if not result]
        if missing:
            return self.failure(
                f"Registration incomplete, no result from: {', '.join(missing)}",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "INCOMPLETE_WORKFLOW",
                    "context": {"missing_steps": missing},
                },
            )
        user = results["create_user_account"]
        billing = results["setup_billing_profile"]
        preferences = results["initialize_preferences"]
        welcome = results["send_welcome_sequence"]

        summary: dict[str, Any] = {
            "user_id": user["user_id"],
            "email": user.get("email"),
            "plan": user.get("plan"),
            "registration_status": "complete",
        }
        if billing.get("billing_id"):  # paid plans only; free ones skipped billing
            summary["billing_id"] = billing["billing_id"]
            summary["next_billing_date"] = billing.get("next_billing_date")
        summary["preferences_count"] = len(preferences.get("preferences") or {})
        summary["welcome_sent"] = welcome.get("status") == "sent"
        summary["notification_channels"] = welcome.get("channels_used", [])

        return self.success(
            {
                "user_id": user["user_id"],
                "status": "active",
                "plan": user.get("plan"),
                "registration_summary": summary,
                "activation_timestamp": now_iso(),
                "all_services_coordinated": True,
                "services_completed": list(SERVICES),
            }
        )
        # ANCHOR_END: handler
