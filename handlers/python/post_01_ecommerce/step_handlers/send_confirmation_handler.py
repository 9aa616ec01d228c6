# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.inputs import ascii_pattern, matches_whole, present_text
from blog_common.timestamps import now_iso

# Deliberately loose: the mail server is the real judge of an address.
EMAIL_PATTERN = ascii_pattern(r"[^@\s]+@[^@\s]+")


class SendConfirmationHandler(StepHandler):
    """Tell the customer their order is confirmed (delivery is simulated)."""

    handler_name = "ecommerce.step_handlers.SendConfirmationHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        customer_info = context.get_input("customer_info")
        if not isinstance(customer_info, dict):
            customer_info = {}
        email = present_text(customer_info.get("email"))
        if email is None:
            # Returned, not raised: re-sending cannot fix a missing address.
            return self.failure(
                "Customer email is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CUSTOMER_EMAIL"},
            )
        order = context.get_dependency_result("create_order")
        if not order or not order.get("order_id"):
            return self.failure(
                "create_order result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_ORDER_RESULT"},
            )
        if not context.get_dependency_result("validate_cart"):
            return self.failure(
                "validate_cart result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CART_VALIDATION"},
            )
        if not matches_whole(EMAIL_PATTERN, email):
            return self.failure(
                f"Invalid email address: {email!r}",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "INVALID_EMAIL"},
            )

        return self.success(
            {
                "email_sent": True,
                "recipient": email,
                "email_type": "order_confirmation",
                "sent_at": now_iso(),
                "message_id": hex_id("msg_"),
            }
        )
        # ANCHOR_END: handler
