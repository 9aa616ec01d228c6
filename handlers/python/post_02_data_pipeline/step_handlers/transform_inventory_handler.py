# ANCHOR: handler
from __future__ import annotations

from typing import Any

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult


class TransformInventoryHandler(StepHandler):
    """Summarise stock per warehouse and per product, flagging reorders."""

    handler_name = "data_pipeline.step_handlers.TransformInventoryHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        records = context.get_dependency_field("extract_inventory_data", "records")
        if not isinstance(records, list):
            return self.failure(
                "extract_inventory_data produced no records",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "MISSING_EXTRACT_RESULTS",
                    "context": {"missing_steps": ["extract_inventory_data"]},
                },
            )

        warehouses: dict[str, dict[str, Any]] = {}
        products: dict[str, dict[str, Any]] = {}
        for record in records:
            on_hand = record["quantity_on_hand"]
            reorder_point = record["reorder_point"]
            warehouse = warehouses.setdefault(
                record["warehouse"], {"quantity": 0, "products": set(), "alerts": 0}
            )
            warehouse["quantity"] += on_hand
            warehouse["products"].add(record["product_id"])
            # A single location at or below its reorder point raises an alert...
            if on_hand <= reorder_point:
                warehouse["alerts"] += 1
            product = products.setdefault(
                record["product_id"], {"quantity": 0, "reorder_point": 0, "warehouses": set()}
            )
            product["quantity"] += on_hand
            product["reorder_point"] += reorder_point
            product["warehouses"].add(record["warehouse"])

        # ...but a product needs reordering only when its total stock is short.
        product_inventory = {
            product_id: {
                "total_quantity": product["quantity"],
                "warehouse_count": len(product["warehouses"]),
                "needs_reorder": product["quantity"] < product["reorder_point"],
            }
            for product_id, product in products.items()
        }
        return self.success(
            {
                "record_count": len(records),
                "warehouse_summary": {
                    name: {
                        "total_quantity": warehouse["quantity"],
                        "product_count": len(warehouse["products"]),
                        "reorder_alerts": warehouse["alerts"],
                    }
                    for name, warehouse in warehouses.items()
                },
                "product_inventory": product_inventory,
                "total_quantity_on_hand": sum(p["quantity"] for p in products.values()),
                "reorder_alerts": sum(
                    1 for product in product_inventory.values() if product["needs_reorder"]
                ),
                "transformation_type": "inventory_analytics",
            }
        )
        # ANCHOR_END: handler
