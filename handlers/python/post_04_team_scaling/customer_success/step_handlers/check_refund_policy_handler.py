# ANCHOR: handler
from __future__ import annotations

from dataclasses import dataclass

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.inputs import whole_number
from blog_common.timestamps import parse_timestamp, utc_now

NAMESPACE = "customer_success"


@dataclass(frozen=True)
class RefundPolicy:
    window_days: int
    requires_approval: bool
    max_amount_cents: int


POLICIES = {
    "standard": RefundPolicy(window_days=30, requires_approval=True, max_amount_cents=10_000),
    "gold": RefundPolicy(window_days=60, requires_approval=False, max_amount_cents=50_000),
    "premium": RefundPolicy(window_days=90, requires_approval=False, max_amount_cents=100_000),
}


class CheckRefundPolicyHandler(StepHandler):
    """Hold the request against the customer tier's refund policy."""

    handler_name = "customer_success.step_handlers.CheckRefundPolicyHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        validation = context.get_dependency_result("validate_refund_request") or {}
        purchased_at = parse_timestamp(validation.get("original_purchase_date"))
        if purchased_at is None:
            return self.failure(
                "validate_refund_request result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_VALIDATION"},
            )
        tier = validation.get("customer_tier", "standard")
        policy = POLICIES.get(tier, POLICIES["standard"])
        amount_cents = whole_number(context.get_input("refund_amount")) or 0

        # Whole days, rounded down: day 30 of a 30-day window is still inside it.
        days_since_purchase = (utc_now() - purchased_at).days
        if days_since_purchase > policy.window_days:
            return self.failure(
                f"Purchase was {days_since_purchase} days ago; "
                f"{tier} refunds are allowed for {policy.window_days} days",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "OUTSIDE_REFUND_WINDOW",
                    "context": {
                        "days_since_purchase": days_since_purchase,
                        "refund_window_days": policy.window_days,
                    },
                },
            )
        if amount_cents > policy.max_amount_cents:
            return self.failure(
                f"Refund of {amount_cents} cents exceeds the {tier} limit "
                f"of {policy.max_amount_cents} cents",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "EXCEEDS_AMOUNT_LIMIT",
                    "context": {
                        "refund_amount": amount_cents,
                        "max_allowed_amount": policy.max_amount_cents,
                    },
                },
            )

        return self.success(
            {
                "policy_checked": True,
                "policy_compliant": True,
                "customer_tier": tier,
                "refund_window_days": policy.window_days,
                "days_since_purchase": days_since_purchase,
                "within_refund_window": True,
                "requires_approval": policy.requires_approval,
                "max_allowed_amount": policy.max_amount_cents,
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
