# ANCHOR: handler
from __future__ import annotations

from collections import defaultdict
from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.money import divide_cents, to_cents, to_dollars


class TransformSalesHandler(StepHandler):
    """Roll the raw sales up by day and by product."""

    handler_name = "data_pipeline.step_handlers.TransformSalesHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        records = context.get_dependency_field("extract_sales_data", "records")
        if not isinstance(records, list):
            # Returned, not raised: without the extract there is nothing to retry.
            return self.failure(
                "extract_sales_data produced no records",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "MISSING_EXTRACT_RESULTS",
                    "context": {"missing_steps": ["extract_sales_data"]},
                },
            )

        # Sums in cents: 0.10 + 0.20 is 30 cents, not 0.30000000000000004 dollars.
        daily: dict[str, dict[str, int]] = defaultdict(lambda: {"cents": 0, "orders": 0})
        products: dict[str, dict[str, int]] = defaultdict(
            lambda: {"quantity": 0, "cents": 0, "orders": 0}
        )
        for record in records:
            cents = to_cents(record["amount"])
            day = daily[record["date"]]
            day["cents"] += cents
            day["orders"] += 1
            product = products[record["product_id"]]
            product["quantity"] += record["quantity"]
            product["cents"] += cents
            product["orders"] += 1

        daily_sales: dict[str, dict[str, Any]] = {
            date: {
                "total_amount": to_dollars(day["cents"]),
                "order_count": day["orders"],
                "avg_order_value": to_dollars(divide_cents(day["cents"], day["orders"])),
            }
            for date, day in daily.items()
        }
        product_sales: dict[str, dict[str, Any]] = {
            product_id: {
                "total_quantity": product["quantity"],
                "total_revenue": to_dollars(product["cents"]),
                "order_count": product["orders"],
            }
            for product_id, product in products.items()
        }
        return self.success(
            {
                "record_count": len(records),
                "daily_sales": daily_sales,
                "product_sales": product_sales,
                "total_revenue": to_dollars(sum(day["cents"] for day in daily.values())),
                "transformation_type": "sales_analytics",
            }
        )
        # ANCHOR_END: handler
