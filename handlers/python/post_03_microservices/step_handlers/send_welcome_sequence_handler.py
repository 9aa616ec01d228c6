# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.timestamps import now_iso

WELCOME_SUBJECTS = {
    "free": "Welcome to Our Platform!",
    "pro": "Welcome to Pro!",
    "enterprise": "Welcome to Enterprise!",
}


class SendWelcomeSequenceHandler(StepHandler):
    """Greet the new user once billing and preferences are both in place."""

    handler_name = "microservices.step_handlers.SendWelcomeSequenceHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        # ANCHOR: branch_results
        # Both parallel branches end here, and the account they both started
        # from (an ancestor, not a direct parent) is visible too.
        user = context.get_dependency_result("create_user_account")
        billing = context.get_dependency_result("setup_billing_profile")
        preferences = context.get_dependency_result("initialize_preferences")
        # ANCHOR_END: branch_results
        if not user or not user.get("user_id"):
            return self.failure(
                "create_user_account result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_USER_DATA"},
            )
        if not billing:
            # A skipped free-plan billing result still counts: it is a success.
            return self.failure(
                "setup_billing_profile result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_BILLING_DATA"},
            )
        if not preferences or not isinstance(preferences.get("preferences"), dict):
            return self.failure(
                "initialize_preferences result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_PREFERENCES_DATA"},
            )

        plan = user.get("plan", "free")
        channels = []
        if preferences["preferences"].get("email_notifications") is not False:
            channels.append("email")
        channels.append("in_app")
        if plan == "enterprise":
            channels.append("sms")
        return self.success(
            {
                "user_id": user["user_id"],
                "plan": plan,
                "subject": WELCOME_SUBJECTS.get(plan, WELCOME_SUBJECTS["free"]),
                "channels_used": channels,
                "messages_sent": len(channels),
                "welcome_sequence_id": hex_id("welcome_"),
                "status": "sent",
                "sent_at": now_iso(),
            }
        )
        # ANCHOR_END: handler
