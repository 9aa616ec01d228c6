# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.timestamps import now_iso
from post_01_ecommerce.models.product import find_product

RESTOCK_RETRY_AFTER_SECONDS = 30


class UpdateInventoryHandler(StepHandler):
    """Reserve stock for every validated line, after payment has succeeded."""

    handler_name = "ecommerce.step_handlers.UpdateInventoryHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        validated_items = context.get_dependency_field("validate_cart", "validated_items")
        if not validated_items:
            # Returned, not raised: a raised exception would be retried in vain.
            return self.failure(
                "validate_cart produced no items",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_VALIDATED_ITEMS"},
            )
        if not context.get_input("customer_info"):
            return self.failure(
                "Customer information is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CUSTOMER_INFO"},
            )

        updated_at = now_iso()
        updated_products: list[dict[str, Any]] = []
        inventory_changes: list[dict[str, Any]] = []
        for item in validated_items:
            product = find_product(item.get("product_id"))
            quantity = item["quantity"]
            if product is None:
                return self.failure(
                    f"Product {item.get('product_id')} not found",
                    error_type=ErrorType.PERMANENT_ERROR,
                    retryable=False,
                    metadata={
                        "error_code": "PRODUCT_NOT_FOUND",
                        "context": {"product_id": item.get("product_id")},
                    },
                )
            # Stock can move between validation and reservation (other checkouts run
            # concurrently), so it is checked again here, and again as retryable.
            if not product.can_fulfil(quantity):
                return self.failure(
                    f"Only {product.stock} of {product.name} left to reserve",
                    error_type=ErrorType.RETRYABLE_ERROR,
                    retryable=True,
                    metadata={
                        "error_code": "INSUFFICIENT_STOCK",
                        "context": {
                            "retry_after": RESTOCK_RETRY_AFTER_SECONDS,
                            "product_id": product.id,
                            "product_name": product.name,
                            "available_stock": product.stock,
                            "requested_quantity": quantity,
                        },
                    },
                )

            # The demo catalogue is read-only; a real inventory service would
            # decrement stock atomically here and hand back the reservation.
            reservation_id = hex_id("rsv_")
            updated_products.append(
                {
                    "product_id": product.id,
                    "name": product.name,
                    "previous_stock": product.stock,
                    "new_stock": product.stock - quantity,
                    "quantity_reserved": quantity,
                    "reservation_id": reservation_id,
                }
            )
            # An audit trail entry: negative because stock leaves the shelf.
            inventory_changes.append(
                {
                    "product_id": product.id,
                    "change_type": "reservation",
                    "quantity": -quantity,
                    "reason": "order_checkout",
                    "timestamp": updated_at,
                    "reservation_id": reservation_id,
                }
            )

        return self.success(
            {
                "updated_products": updated_products,
                "total_items_reserved": sum(p["quantity_reserved"] for p in updated_products),
                "inventory_changes": inventory_changes,
                "updated_at": updated_at,
            }
        )
        # ANCHOR_END: handler
