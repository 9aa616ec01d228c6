# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.inputs import present_text
from blog_common.money import percent_of, to_cents, to_dollars
from blog_common.timestamps import now_iso

# Simulated gateway: these demo tokens stand in for the answers a real one gives.
DECLINED_TOKENS = frozenset({"tok_test_declined", "tok_test_insufficient_funds"})
NETWORK_ERROR_TOKEN = "tok_test_network_error"
GATEWAY_RETRY_AFTER_SECONDS = 15
FEE_PERCENT = "2.9"
FEE_FIXED_CENTS = 30
# A cent of slack absorbs float noise in the client's amount, nothing more.
AMOUNT_TOLERANCE_CENTS = 1


class ProcessPaymentHandler(StepHandler):
    """Charge the customer exactly the total that validate_cart computed."""

    handler_name = "ecommerce.step_handlers.ProcessPaymentHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        payment_info = context.get_input("payment_info")
        if not isinstance(payment_info, dict) or not payment_info:
            # Returned with retryable=False: a raised exception would be retried,
            # and missing payment details do not appear on a second attempt.
            return self.failure(
                "Payment information is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_PAYMENT_INFO"},
            )
        method = present_text(payment_info.get("method"))
        token = present_text(payment_info.get("token"))
        if method is None:
            return self.failure(
                "Payment method is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_PAYMENT_METHOD"},
            )
        if token is None:
            return self.failure(
                "Payment token is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_PAYMENT_TOKEN"},
            )

        # ANCHOR: dependency_access
        # The total comes from validate_cart, not from the client: the server's
        # price is the one we trust.
        cart_total = context.get_dependency_field("validate_cart", "total")
        if cart_total is None:
            return self.failure(
                "validate_cart produced no total",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CART_TOTAL"},
            )
        total_cents = to_cents(cart_total)
        # ANCHOR_END: dependency_access

        amount = payment_info.get("amount")
        # A missing or non-numeric amount can never match, so it is a mismatch too.
        is_number = isinstance(amount, (int, float)) and not isinstance(amount, bool)
        amount_cents = to_cents(amount) if is_number else None
        if amount_cents is None or abs(amount_cents - total_cents) > AMOUNT_TOLERANCE_CENTS:
            return self.failure(
                f"Payment amount {amount} does not match cart total {cart_total}",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "PAYMENT_AMOUNT_MISMATCH",
                    "context": {"amount": amount, "cart_total": cart_total},
                },
            )

        # ANCHOR: error_classification
        if token in DECLINED_TOKENS:
            # The bank said no; asking again would only say no again.
            return self.failure(
                "Payment declined by the card issuer",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "PAYMENT_DECLINED"},
            )
        if token == NETWORK_ERROR_TOKEN:
            # We never heard back; the gateway is likely fine a few seconds later.
            return self.failure(
                "Payment gateway timed out",
                error_type=ErrorType.TIMEOUT,
                retryable=True,
                metadata={
                    "error_code": "PAYMENT_GATEWAY_TIMEOUT",
                    "context": {"retry_after": GATEWAY_RETRY_AFTER_SECONDS},
                },
            )
        # ANCHOR_END: error_classification

        fee_cents = percent_of(amount_cents, FEE_PERCENT) + FEE_FIXED_CENTS
        return self.success(
            {
                "payment_id": hex_id("pay_", 24),
                "amount_charged": to_dollars(amount_cents),
                "currency": "USD",
                "payment_method_type": method,
                "transaction_id": hex_id("txn_", 24),
                "fees": to_dollars(fee_cents),
                "processed_at": now_iso(),
                "status": "completed",
            }
        )
        # ANCHOR_END: handler
