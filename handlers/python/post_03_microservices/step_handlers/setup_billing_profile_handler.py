# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.money import to_dollars
from blog_common.timestamps import days_after, iso_utc, utc_now

BILLING_CYCLE_DAYS = 30
# plan -> (monthly price in cents, features)
PLAN_TIERS: dict[str, tuple[int, list[str]]] = {
    "free": (0, ["basic_features"]),
    "pro": (2999, ["basic_features", "advanced_analytics"]),
    "enterprise": (
        29999,
        ["basic_features", "advanced_analytics", "priority_support", "custom_integrations"],
    ),
}


class SetupBillingProfileHandler(StepHandler):
    """Open a billing profile in the billing service for paid plans."""

    handler_name = "microservices.step_handlers.SetupBillingProfileHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        user_id = context.get_dependency_field("create_user_account", "user_id")
        plan = context.get_dependency_field("create_user_account", "plan")
        if not user_id or plan not in PLAN_TIERS:
            return self.failure(
                "create_user_account gave no user_id or no known plan",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_USER_DATA"},
            )
        price_cents, features = PLAN_TIERS[plan]

        # ANCHOR: graceful_degradation
        if price_cents == 0:
            # Nothing to bill: succeed without a profile instead of failing, so
            # the rest of the registration carries on for free users.
            return self.success(
                {
                    "user_id": user_id,
                    "plan": plan,
                    "billing_required": False,
                    "status": "skipped_free_plan",
                    "message": "Free plan: no billing profile needed",
                }
            )
        # ANCHOR_END: graceful_degradation

        now = utc_now()
        return self.success(
            {
                "billing_id": hex_id("billing_"),
                "user_id": user_id,
                "plan": plan,
                "price": to_dollars(price_cents),
                "currency": "USD",
                "billing_cycle": "monthly",
                "features": list(features),
                "status": "active",
                "next_billing_date": iso_utc(days_after(now, BILLING_CYCLE_DAYS)),
                "created_at": iso_utc(now),
            }
        )
        # ANCHOR_END: handler
