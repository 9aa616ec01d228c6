# ANCHOR: handler
from __future__ import annotations

from decimal import Decimal

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.money import divide_cents, round_half_away, to_cents, to_dollars

TRANSFORM_STEPS = ("transform_sales", "transform_inventory", "transform_customers")


class AggregateMetricsHandler(StepHandler):
    """Combine the three transformed views into one set of business metrics."""

    handler_name = "data_pipeline.step_handlers.AggregateMetricsHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        # ANCHOR: convergence
        # This step depends on all three transforms: Tasker starts it only once
        # every branch has finished, and each branch's result is here by name.
        sales = context.get_dependency_result("transform_sales")
        inventory = context.get_dependency_result("transform_inventory")
        customers = context.get_dependency_result("transform_customers")
        results = dict(zip(TRANSFORM_STEPS, (sales, inventory, customers), strict=True))
        missing = [step for step, result in results.items() if not result]
        if missing:
            return self.failure(
                f"Missing transform results: {', '.join(missing)}",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "MISSING_TRANSFORM_RESULTS",
                    "context": {"missing_steps": missing},
                },
            )
        # ANCHOR_END: convergence

        revenue_cents = to_cents(sales["total_revenue"])
        quantity = inventory["total_quantity_on_hand"]
        customer_count = customers["record_count"]
        revenue_per_customer_cents = (
            divide_cents(revenue_cents, customer_count) if customer_count else 0
        )
        # Dollars of revenue per unit on hand, a ratio (not money): 4 places.
        turnover = (
            round_half_away(Decimal(revenue_cents) / (100 * quantity), 4) if quantity else 0.0
        )
        return self.success(
            {
                "total_revenue": to_dollars(revenue_cents),
                "total_inventory_quantity": quantity,
                "total_customers": customer_count,
                "total_customer_lifetime_value": customers["total_lifetime_value"],
                "sales_transactions": sales["record_count"],
                "inventory_reorder_alerts": inventory["reorder_alerts"],
                "revenue_per_customer": to_dollars(revenue_per_customer_cents),
                "inventory_turnover_indicator": turnover,
                "aggregation_complete": True,
                "sources_included": len(results),
            }
        )
        # ANCHOR_END: handler
