# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.inputs import ascii_pattern, matches_whole, present_text
from blog_common.timestamps import now_iso

NAMESPACE = "payments"
# Deliberately loose: the mail server is the real judge of an address.
EMAIL_PATTERN = ascii_pattern(r"[^@\s]+@[^@\s]+")
RATE_LIMIT_RETRY_AFTER_SECONDS = 60


class NotifyCustomerHandler(StepHandler):
    """Email the customer that their refund is on its way."""

    handler_name = "payments.step_handlers.NotifyCustomerHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        refund = context.get_dependency_result("process_gateway_refund")
        if not refund or not refund.get("refund_id"):
            return self.failure(
                "process_gateway_refund result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_REFUND"},
            )
        email = present_text(context.get_input("customer_email"))
        if email is None:
            return self.failure(
                "customer_email is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CUSTOMER_EMAIL"},
            )
        if not matches_whole(EMAIL_PATTERN, email):
            return self.failure(
                f"Invalid email format: {email!r}",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "INVALID_EMAIL_FORMAT"},
            )

        # Demo domains stand in for the mail provider's answers.
        if "@test_bounce" in email:
            return self.failure(
                f"Mail to {email} bounced",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "EMAIL_BOUNCED"},
            )
        if "@test_invalid" in email:
            return self.failure(
                f"The mail provider rejected {email}",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "INVALID_EMAIL"},
            )
        if "@test_rate_limit" in email:
            return self.failure(
                "The mail provider is rate limiting us",
                error_type=ErrorType.RETRYABLE_ERROR,
                retryable=True,
                metadata={
                    "error_code": "EMAIL_RATE_LIMITED",
                    "context": {"retry_after": RATE_LIMIT_RETRY_AFTER_SECONDS},
                },
            )

        return self.success(
            {
                "notification_sent": True,
                "customer_email": email,
                "message_id": hex_id("msg_"),
                "notification_type": "refund_confirmation",
                "sent_at": now_iso(),
                "delivery_status": "delivered",
                "refund_id": refund["refund_id"],
                "refund_amount": refund.get("refund_amount", context.get_input("refund_amount")),
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
