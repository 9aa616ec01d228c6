# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.inputs import ascii_pattern, matches_whole, present_text, whole_number

NAMESPACE = "payments"
PAYMENT_ID_FORMAT = ascii_pattern(r"pay_[a-zA-Z0-9_]+")
# The mock payment is always 10.00 more than the refund asked for.
MOCK_EXTRA_CENTS = 1000
PROCESSING_RETRY_AFTER_SECONDS = 30


class ValidatePaymentEligibilityHandler(StepHandler):
    """Confirm the original payment exists and can be refunded."""

    handler_name = "payments.step_handlers.ValidatePaymentEligibilityHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        payment_id = present_text(context.get_input("payment_id"))
        amount = context.get_input("refund_amount")
        if payment_id is None or amount is None:
            # Returned, not raised: a retry cannot fill in a missing field.
            return self.failure(
                "payment_id and refund_amount are required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_REQUIRED_FIELDS"},
            )
        # Whole cents, and something to give back.
        refund_amount = whole_number(amount)
        if refund_amount is None or refund_amount <= 0:
            return self.failure(
                f"Refund amount must be a positive number of cents, got {amount!r}",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "INVALID_REFUND_AMOUNT"},
            )
        if not matches_whole(PAYMENT_ID_FORMAT, payment_id):
            return self.failure(
                f"Invalid payment id: {payment_id!r}",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "INVALID_PAYMENT_ID"},
            )

        # Demo payment ids stand in for the payment system's answers.
        if "pay_test_insufficient" in payment_id:
            return self.failure(
                "The merchant account cannot cover this refund",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "INSUFFICIENT_FUNDS"},
            )
        if "pay_test_processing" in payment_id:
            # The original charge has not settled yet; it will shortly.
            return self.failure(
                "The original payment is still processing",
                error_type=ErrorType.RETRYABLE_ERROR,
                retryable=True,
                metadata={
                    "error_code": "PAYMENT_PROCESSING",
                    "context": {"retry_after": PROCESSING_RETRY_AFTER_SECONDS},
                },
            )
        if "pay_test_ineligible" in payment_id:
            return self.failure(
                "This payment cannot be refunded",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "PAYMENT_INELIGIBLE"},
            )

        return self.success(
            {
                "payment_validated": True,
                "payment_id": payment_id,
                "original_amount": refund_amount + MOCK_EXTRA_CENTS,
                "refund_amount": refund_amount,
                "payment_method": "credit_card",
                "gateway_provider": "MockPaymentGateway",
                "eligibility_status": "eligible",
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
