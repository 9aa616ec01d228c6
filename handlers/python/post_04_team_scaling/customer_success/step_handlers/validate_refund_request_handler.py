# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.inputs import ascii_lower, present_text, whole_number
from blog_common.timestamps import days_after, iso_utc, utc_now

NAMESPACE = "customer_success"
# Demo ticket ids that stand in for the ticketing system's answers.
CLOSED_TICKETS = {
    "ticket_closed": "TICKET_CLOSED",
    "ticket_cancelled": "TICKET_CANCELLED",
    "ticket_duplicate": "TICKET_DUPLICATE",
}
PURCHASE_DAYS_AGO = 30


class ValidateRefundRequestHandler(StepHandler):
    """Check the support ticket and find the purchase the refund is for."""

    handler_name = "customer_success.step_handlers.ValidateRefundRequestHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        required = {
            "ticket_id": present_text(context.get_input("ticket_id")),
            "customer_id": present_text(context.get_input("customer_id")),
            # Whole cents: any other value (49.99, "4999") is as good as none.
            "refund_amount": whole_number(context.get_input("refund_amount")),
            "customer_email": present_text(context.get_input("customer_email")),
        }
        missing = [field for field, value in required.items() if value is None]
        if missing:
            # Returned, not raised: a retry cannot fill in a missing field.
            return self.failure(
                f"Missing required fields: {', '.join(missing)}",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={
                    "error_code": "MISSING_REQUIRED_FIELDS",
                    "context": {"missing_fields": missing},
                },
            )
        ticket_id, customer_id = str(required["ticket_id"]), str(required["customer_id"])
        for marker, error_code in CLOSED_TICKETS.items():
            if marker in ticket_id:
                return self.failure(
                    f"Ticket {ticket_id} cannot be refunded ({error_code})",
                    error_type=ErrorType.PERMANENT_ERROR,
                    retryable=False,
                    metadata={"error_code": error_code, "context": {"ticket_id": ticket_id}},
                )

        now = utc_now()
        return self.success(
            {
                "request_validated": True,
                "ticket_id": ticket_id,
                "customer_id": customer_id,
                "ticket_status": "open",
                "customer_tier": self._tier(customer_id),
                # The mock order system: every purchase was made 30 days ago.
                "original_purchase_date": iso_utc(days_after(now, -PURCHASE_DAYS_AGO)),
                "payment_id": hex_id("pay_"),
                "validation_timestamp": iso_utc(now),
                "namespace": NAMESPACE,
            }
        )

    @staticmethod
    def _tier(customer_id: str) -> str:
        # ASCII-only, like every case-insensitive check in the book.
        lowered = ascii_lower(customer_id)
        if "vip" in lowered or "premium" in lowered:
            return "premium"
        if "gold" in lowered:
            return "gold"
        return "standard"
        # ANCHOR_END: handler
