# ANCHOR: handler
from __future__ import annotations

from collections import Counter

from tasker_core import StepContext, StepHandler, StepHandlerResult

from blog_common.money import divide_cents, to_dollars
from blog_common.timestamps import now_iso
from post_02_data_pipeline.models.sample_data import CUSTOMER_RECORDS


class ExtractCustomerDataHandler(StepHandler):
    """Pull the customer list with lifetime values (a mock of the CRM)."""

    handler_name = "data_pipeline.step_handlers.ExtractCustomerDataHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        total_cents = sum(record.lifetime_value_cents for record in CUSTOMER_RECORDS)
        count = len(CUSTOMER_RECORDS)
        return self.success(
            {
                "records": [record.to_dict() for record in CUSTOMER_RECORDS],
                "extracted_at": now_iso(),
                "source": "CRMSystem",
                "total_customers": count,
                "total_lifetime_value": to_dollars(total_cents),
                # Counter keeps first-seen order, like every other language's map.
                "tier_breakdown": dict(Counter(record.tier for record in CUSTOMER_RECORDS)),
                "avg_lifetime_value": to_dollars(divide_cents(total_cents, count)) if count else 0,
            }
        )
        # ANCHOR_END: handler
