# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.timestamps import now_iso

# ANCHOR: plan_defaults
FREE_DEFAULTS: dict[str, Any] = {
    "email_notifications": True,
    "marketing_emails": False,
    "product_updates": True,
    "weekly_digest": False,
    "theme": "light",
    "language": "en",
    "timezone": "UTC",
}
PRO_DEFAULTS = FREE_DEFAULTS | {
    "marketing_emails": True,
    "weekly_digest": True,
    "theme": "dark",
    "api_notifications": True,
}
ENTERPRISE_DEFAULTS = PRO_DEFAULTS | {"audit_logs": True, "advanced_reports": True}
PLAN_DEFAULTS = {"free": FREE_DEFAULTS, "pro": PRO_DEFAULTS, "enterprise": ENTERPRISE_DEFAULTS}
# ANCHOR_END: plan_defaults


class InitializePreferencesHandler(StepHandler):
    """Store the user's starting preferences in the preferences service."""

    handler_name = "microservices.step_handlers.InitializePreferencesHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        user_id = context.get_dependency_field("create_user_account", "user_id")
        plan = context.get_dependency_field("create_user_account", "plan")
        if not user_id or plan not in PLAN_DEFAULTS:
            return self.failure(
                "create_user_account gave no user_id or no known plan",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_USER_DATA"},
            )

        defaults = PLAN_DEFAULTS[plan]
        user_info = context.get_input_or("user_info", {})
        overrides = user_info.get("preferences") or {}
        # The user's own choices win over the plan's defaults (right side of |).
        preferences = defaults | overrides
        return self.success(
            {
                "preferences_id": hex_id("prefs_"),
                "user_id": user_id,
                "plan": plan,
                "preferences": preferences,
                "defaults_applied": len(defaults),
                "customizations": len(overrides),
                "status": "active",
                "created_at": now_iso(),
            }
        )
        # ANCHOR_END: handler
