# ANCHOR: handler
from __future__ import annotations

from tasker_core import StepContext, StepHandler, StepHandlerResult

from blog_common.money import to_dollars
from blog_common.timestamps import now_iso
from post_02_data_pipeline.models.sample_data import SALES_RECORDS


class ExtractSalesDataHandler(StepHandler):
    """Pull the sales records (a mock of the sales database)."""

    handler_name = "data_pipeline.step_handlers.ExtractSalesDataHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        # A real extract would query by the task's date_range; the mock always
        # returns the same five orders, so this step has no inputs to check.
        dates = [record.date for record in SALES_RECORDS]
        return self.success(
            {
                "records": [record.to_dict() for record in SALES_RECORDS],
                "extracted_at": now_iso(),
                "source": "SalesDatabase",
                "total_amount": to_dollars(sum(r.amount_cents for r in SALES_RECORDS)),
                "date_range": {"start_date": min(dates), "end_date": max(dates)},
            }
        )
        # ANCHOR_END: handler
