# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.timestamps import days_after, iso_utc, utc_now

NAMESPACE = "payments"
ARRIVAL_DAYS = 5
GATEWAY_TIMEOUT_RETRY_AFTER_SECONDS = 30
RATE_LIMIT_RETRY_AFTER_SECONDS = 60


class ProcessGatewayRefundHandler(StepHandler):
    """Send the refund to the payment gateway."""

    handler_name = "payments.step_handlers.ProcessGatewayRefundHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        validation = context.get_dependency_result("validate_payment_eligibility")
        if not validation or not validation.get("payment_validated"):
            return self.failure(
                "validate_payment_eligibility result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_VALIDATION"},
            )
        payment_id = validation["payment_id"]

        # Demo payment ids stand in for the gateway's answers.
        if "pay_test_gateway_timeout" in payment_id:
            return self.failure(
                "The gateway did not answer in time",
                error_type=ErrorType.TIMEOUT,
                retryable=True,
                metadata={
                    "error_code": "GATEWAY_TIMEOUT",
                    "context": {"retry_after": GATEWAY_TIMEOUT_RETRY_AFTER_SECONDS},
                },
            )
        if "pay_test_gateway_error" in payment_id:
            return self.failure(
                "The gateway refused the refund",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "GATEWAY_REFUND_FAILED"},
            )
        if "pay_test_rate_limit" in payment_id:
            return self.failure(
                "The gateway is rate limiting refunds",
                error_type=ErrorType.RETRYABLE_ERROR,
                retryable=True,
                metadata={
                    "error_code": "GATEWAY_RATE_LIMITED",
                    "context": {"retry_after": RATE_LIMIT_RETRY_AFTER_SECONDS},
                },
            )

        now = utc_now()
        return self.success(
            {
                "refund_processed": True,
                "refund_id": hex_id("rfnd_"),
                "payment_id": payment_id,
                "refund_amount": validation["refund_amount"],
                "refund_status": "processed",
                "gateway_transaction_id": hex_id("gtx_"),
                "gateway_provider": validation.get("gateway_provider", "MockPaymentGateway"),
                "processed_at": iso_utc(now),
                "estimated_arrival": iso_utc(days_after(now, ARRIVAL_DAYS)),
                "namespace": NAMESPACE,
            }
        )
        # ANCHOR_END: handler
