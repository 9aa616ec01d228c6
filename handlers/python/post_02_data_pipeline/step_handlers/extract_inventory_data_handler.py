# ANCHOR: handler
from __future__ import annotations

from tasker_core import StepContext, StepHandler, StepHandlerResult

from blog_common.timestamps import now_iso
from post_02_data_pipeline.models.sample_data import INVENTORY_RECORDS


class ExtractInventoryDataHandler(StepHandler):
    """Pull stock levels per warehouse (a mock of the inventory system)."""

    handler_name = "data_pipeline.step_handlers.ExtractInventoryDataHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        # dict.fromkeys keeps first-seen order while dropping duplicates.
        warehouses = list(dict.fromkeys(record.warehouse for record in INVENTORY_RECORDS))
        products = {record.product_id for record in INVENTORY_RECORDS}
        return self.success(
            {
                "records": [record.to_dict() for record in INVENTORY_RECORDS],
                "extracted_at": now_iso(),
                "source": "InventorySystem",
                "total_quantity": sum(r.quantity_on_hand for r in INVENTORY_RECORDS),
                "warehouses": warehouses,
                "products_tracked": len(products),
            }
        )
        # ANCHOR_END: handler
