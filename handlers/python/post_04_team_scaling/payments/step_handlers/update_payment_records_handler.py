# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.timestamps import now_iso

NAMESPACE = "payments"
# Demo payment ids that stand in for the ledger database's transient errors:
# marker -> (error code, seconds to wait before retrying)
TRANSIENT_RECORD_ERRORS = {
    "pay_test_record_lock": ("RECORD_LOCKED", 10),
    "pay_test_record_error": ("RECORD_UPDATE_FAILED", 30),
}


class UpdatePaymentRecordsHandler(StepHandler):
    """Mark the payment refunded in the ledger and record the history."""

    handler_name = "payments.step_handlers.UpdatePaymentRecordsHandler"
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
        payment_id = refund.get("payment_id") or context.get_input("payment_id")
        for marker, (error_code, retry_after) in TRANSIENT_RECORD_ERRORS.items():
            if marker in str(payment_id):
                return self.failure(
                    f"Could not update the records of {payment_id} ({error_code})",
                    error_type=ErrorType.RETRYABLE_ERROR,
                    retryable=True,
                    metadata={"error_code": error_code, "context": {"retry_after": retry_after}},
                )

        return self.success(
            {
                "records_updated": True,
                "payment_id": payment_id,
                "refund_id": refund["refund_id"],
                "record_id": hex_id("rec_"),
                "payment_status": "refunded",
                "refund_status": "completed",
                # One entry for the payment's status change, one for the refund.
                "history_entries_created": 2,
                "updated_at": now_iso(),
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
