# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.money import divide_cents, to_cents, to_dollars

HIGH_VALUE_CENTS = 1_000_000  # $10,000 and up
MEDIUM_VALUE_CENTS = 100_000  # $1,000 up to $9,999.99; below that is low value


class TransformCustomersHandler(StepHandler):
    """Group customers by tier and by lifetime-value segment."""

    handler_name = "data_pipeline.step_handlers.TransformCustomersHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        records = context.get_dependency_field("extract_customer_data", "records")
        if not isinstance(records, list):
            return self.failure(
                "extract_customer_data produced no records",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "MISSING_EXTRACT_RESULTS",
                    "context": {"missing_steps": ["extract_customer_data"]},
                },
            )

        tiers: dict[str, dict[str, int]] = {}
        segments = {"high_value": 0, "medium_value": 0, "low_value": 0}
        total_cents = 0
        for record in records:
            cents = to_cents(record["lifetime_value"])
            total_cents += cents
            tier = tiers.setdefault(record["tier"], {"customers": 0, "cents": 0})
            tier["customers"] += 1
            tier["cents"] += cents
            if cents >= HIGH_VALUE_CENTS:
                segments["high_value"] += 1
            elif cents >= MEDIUM_VALUE_CENTS:
                segments["medium_value"] += 1
            else:
                segments["low_value"] += 1

        tier_analysis: dict[str, dict[str, Any]] = {
            name: {
                "customer_count": tier["customers"],
                "total_lifetime_value": to_dollars(tier["cents"]),
                "avg_lifetime_value": to_dollars(divide_cents(tier["cents"], tier["customers"])),
            }
            for name, tier in tiers.items()
        }
        average_cents = divide_cents(total_cents, len(records)) if records else 0
        return self.success(
            {
                "record_count": len(records),
                "tier_analysis": tier_analysis,
                "value_segments": segments,
                "total_lifetime_value": to_dollars(total_cents),
                "avg_customer_value": to_dollars(average_cents),
                "transformation_type": "customer_analytics",
            }
        )
        # ANCHOR_END: handler
