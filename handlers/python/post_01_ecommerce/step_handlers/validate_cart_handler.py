# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.inputs import whole_number
from blog_common.money import percent_of, to_dollars
from blog_common.timestamps import now_iso
from post_01_ecommerce.models.product import find_product

TAX_PERCENT = "8"
POUNDS_PER_UNIT = 0.5
# (max weight in lb, shipping in cents), lightest first; heavier carts pay the heavy rate.
SHIPPING_TIERS_CENTS = ((2.0, 599), (10.0, 999))
HEAVY_SHIPPING_CENTS = 1499
# Restocks arrive on a timescale of seconds to minutes, so a short wait is worth it.
RESTOCK_RETRY_AFTER_SECONDS = 30


class ValidateCartHandler(StepHandler):
    """Price the cart against the catalogue and refuse what cannot be sold."""

    handler_name = "ecommerce.step_handlers.ValidateCartHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        cart_items = context.get_input("cart_items")
        if not isinstance(cart_items, list) or not cart_items:
            # Returned, not raised: the worker turns a raised exception into a retry,
            # and a malformed cart is just as malformed on the next attempt.
            return self.failure(
                "Cart is empty or missing",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_CART_ITEMS"},
            )

        validated_items: list[dict[str, Any]] = []
        subtotal_cents = 0
        units = 0
        for item in cart_items:
            product_id = item.get("product_id") if isinstance(item, dict) else None
            if product_id is None:
                return self.failure(
                    "Cart item has no product_id",
                    error_type=ErrorType.VALIDATION_ERROR,
                    retryable=False,
                    metadata={"error_code": "MISSING_PRODUCT_ID"},
                )
            # A whole number, never text ("2") or a bool (True is an int in Python).
            quantity = whole_number(item.get("quantity"))
            if quantity is None or quantity <= 0:
                return self.failure(
                    f"Quantity for product {product_id} must be a positive integer",
                    error_type=ErrorType.VALIDATION_ERROR,
                    retryable=False,
                    metadata={"error_code": "INVALID_QUANTITY"},
                )

            catalogue_id = whole_number(product_id)
            product = find_product(catalogue_id) if catalogue_id is not None else None
            if product is None:
                return self.failure(
                    f"Product {product_id} not found",
                    error_type=ErrorType.PERMANENT_ERROR,
                    retryable=False,
                    metadata={
                        "error_code": "PRODUCT_NOT_FOUND",
                        "context": {"product_id": product_id},
                    },
                )
            if not product.active:
                return self.failure(
                    f"{product.name} is no longer sold",
                    error_type=ErrorType.PERMANENT_ERROR,
                    retryable=False,
                    metadata={
                        "error_code": "PRODUCT_INACTIVE",
                        "context": {"product_id": product_id},
                    },
                )
            # ANCHOR: retryable_error
            if not product.can_fulfil(quantity):
                # Not permanent: stock may be replenished before the retry runs.
                return self.failure(
                    f"Only {product.stock} of {product.name} in stock, {quantity} requested",
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
            # ANCHOR_END: retryable_error

            line_total_cents = product.price_cents * quantity
            subtotal_cents += line_total_cents
            units += quantity
            validated_items.append(
                {
                    "product_id": product.id,
                    "name": product.name,
                    "price": product.price,
                    "quantity": quantity,
                    "line_total": to_dollars(line_total_cents),
                }
            )

        tax_cents = percent_of(subtotal_cents, TAX_PERCENT)
        shipping_cents = self._shipping_cents(units * POUNDS_PER_UNIT)
        return self.success(
            {
                "validated_items": validated_items,
                "subtotal": to_dollars(subtotal_cents),
                "tax": to_dollars(tax_cents),
                "shipping": to_dollars(shipping_cents),
                "total": to_dollars(subtotal_cents + tax_cents + shipping_cents),
                "item_count": len(validated_items),
                "validated_at": now_iso(),
            }
        )

    @staticmethod
    def _shipping_cents(weight_lb: float) -> int:
        for max_weight_lb, cents in SHIPPING_TIERS_CENTS:
            if weight_lb <= max_weight_lb:
                return cents
        return HEAVY_SHIPPING_CENTS
        # ANCHOR_END: handler
