# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.money import to_cents
from blog_common.timestamps import utc_now
from post_01_ecommerce.models.order import Order


class CreateOrderHandler(StepHandler):
    """Record the order once the cart is priced, paid for and reserved."""

    handler_name = "ecommerce.step_handlers.CreateOrderHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        customer_info = context.get_input("customer_info")
        if not isinstance(customer_info, dict) or not customer_info:
            # Returned, not raised: a retry cannot conjure up missing data.
            return self.failure(
                "Customer information is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CUSTOMER_INFO"},
            )

        # ANCHOR: ancestor_results
        # Only update_inventory is a direct parent, yet every ancestor's result is
        # visible: Tasker passes the results of the whole upstream chain.
        cart = context.get_dependency_result("validate_cart")
        payment = context.get_dependency_result("process_payment")
        inventory = context.get_dependency_result("update_inventory")
        # ANCHOR_END: ancestor_results
        if not cart or cart.get("total") is None:
            return self.failure(
                "validate_cart result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CART_VALIDATION"},
            )
        if not payment or not payment.get("payment_id"):
            return self.failure(
                "process_payment result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_PAYMENT_RESULT"},
            )
        if not inventory or not inventory.get("updated_products"):
            return self.failure(
                "update_inventory result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_INVENTORY_RESULT"},
            )

        order = Order.confirm(
            total_cents=to_cents(cart["total"]),
            customer_email=customer_info.get("email", ""),
            now=utc_now(),
        )
        return self.success(order.to_dict())
        # ANCHOR_END: handler
