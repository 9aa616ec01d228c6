# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.money import divide_cents, dollars_text, to_cents, to_dollars
from blog_common.timestamps import now_iso

HEALTHY_SPEND_CENTS = 50_000  # $500 revenue per customer
LOYAL_VALUE_CENTS = 300_000  # $3,000 average lifetime value
# (minimum score, rating), best first.
RATINGS = ((80, "Excellent"), (60, "Good"), (40, "Fair"), (0, "Needs Improvement"))


class GenerateInsightsHandler(StepHandler):
    """Turn the aggregated metrics into recommendations and a health score."""

    handler_name = "data_pipeline.step_handlers.GenerateInsightsHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        metrics = context.get_dependency_result("aggregate_metrics")
        if not metrics:
            return self.failure(
                "aggregate_metrics result is missing",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "MISSING_AGGREGATE_RESULTS",
                    "context": {"missing_steps": ["aggregate_metrics"]},
                },
            )

        spend_cents = to_cents(metrics["revenue_per_customer"])
        alerts = metrics["inventory_reorder_alerts"]
        customers = metrics["total_customers"]
        lifetime_cents = to_cents(metrics["total_customer_lifetime_value"])
        average_ltv_cents = divide_cents(lifetime_cents, customers) if customers else 0
        # Compared exactly (total > $3,000 x customers), not via the rounded average.
        loyal = customers > 0 and lifetime_cents > LOYAL_VALUE_CENTS * customers

        insights: list[dict[str, Any]] = [
            {
                "category": "Revenue",
                "finding": f"Revenue per customer is ${dollars_text(spend_cents)}",
                "metric": to_dollars(spend_cents),
                "recommendation": "Consider upselling strategies"
                if spend_cents < HEALTHY_SPEND_CENTS
                else "Customer spend is healthy",
            },
            {
                "category": "Inventory",
                "finding": f"{alerts} product(s) need reordering",
                "metric": alerts,
                "recommendation": "Review reorder points"
                if alerts > 0
                else "Inventory levels are healthy",
            },
            {
                "category": "Customer",
                "finding": f"Average lifetime value is ${dollars_text(average_ltv_cents)}",
                "metric": to_dollars(average_ltv_cents),
                "recommendation": "Focus on retention programs"
                if loyal
                else "Increase customer engagement",
            },
        ]

        # ANCHOR: health_score
        score = 0
        if spend_cents > HEALTHY_SPEND_CENTS:
            score += 40
        if alerts == 0:
            score += 30
        if loyal:
            score += 30
        rating = next(label for minimum, label in RATINGS if score >= minimum)
        # ANCHOR_END: health_score

        return self.success(
            {
                "insights": insights,
                "health_score": {"score": score, "max_score": 100, "rating": rating},
                "total_metrics_analyzed": len(metrics),
                "pipeline_complete": True,
                "generated_at": now_iso(),
            }
        )
        # ANCHOR_END: handler
