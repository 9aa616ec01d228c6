"""The three mock data sets the extract steps return, defined once.

They stand in for a sales database, an inventory system and a CRM. Money is
held in integer cents and turned into dollars only when a record is emitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from blog_common.money import to_dollars


# ANCHOR: sales_records
@dataclass(frozen=True)
class SaleRecord:
    order_id: str
    date: str
    product_id: str
    quantity: int
    amount_cents: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "date": self.date,
            "product_id": self.product_id,
            "quantity": self.quantity,
            "amount": to_dollars(self.amount_cents),
        }


SALES_RECORDS: tuple[SaleRecord, ...] = (
    SaleRecord("ORD-001", "2025-11-01", "PROD-A", quantity=5, amount_cents=49995),
    SaleRecord("ORD-002", "2025-11-05", "PROD-B", quantity=3, amount_cents=29997),
    SaleRecord("ORD-003", "2025-11-10", "PROD-A", quantity=2, amount_cents=19998),
    SaleRecord("ORD-004", "2025-11-15", "PROD-C", quantity=10, amount_cents=149990),
    SaleRecord("ORD-005", "2025-11-18", "PROD-B", quantity=7, amount_cents=69993),
)
# ANCHOR_END: sales_records


# ANCHOR: inventory_records
@dataclass(frozen=True)
class InventoryRecord:
    product_id: str
    sku: str
    warehouse: str
    quantity_on_hand: int
    reorder_point: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "sku": self.sku,
            "warehouse": self.warehouse,
            "quantity_on_hand": self.quantity_on_hand,
            "reorder_point": self.reorder_point,
        }


INVENTORY_RECORDS: tuple[InventoryRecord, ...] = (
    InventoryRecord("PROD-A", "SKU-A-001", "WH-01", quantity_on_hand=150, reorder_point=50),
    InventoryRecord("PROD-B", "SKU-B-002", "WH-01", quantity_on_hand=75, reorder_point=25),
    InventoryRecord("PROD-C", "SKU-C-003", "WH-02", quantity_on_hand=200, reorder_point=100),
    InventoryRecord("PROD-A", "SKU-A-001", "WH-02", quantity_on_hand=100, reorder_point=50),
    InventoryRecord("PROD-B", "SKU-B-002", "WH-03", quantity_on_hand=50, reorder_point=25),
)
# ANCHOR_END: inventory_records


# ANCHOR: customer_records
@dataclass(frozen=True)
class CustomerRecord:
    customer_id: str
    name: str
    tier: str
    lifetime_value_cents: int
    join_date: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "tier": self.tier,
            "lifetime_value": to_dollars(self.lifetime_value_cents),
            "join_date": self.join_date,
        }


CUSTOMER_RECORDS: tuple[CustomerRecord, ...] = (
    CustomerRecord("CUST-001", "Alice Johnson", "gold", 500_000, "2024-01-15"),
    CustomerRecord("CUST-002", "Bob Smith", "silver", 250_000, "2024-03-20"),
    CustomerRecord("CUST-003", "Carol White", "premium", 1_500_000, "2023-11-10"),
    CustomerRecord("CUST-004", "David Brown", "standard", 50_000, "2025-01-05"),
    CustomerRecord("CUST-005", "Eve Davis", "gold", 750_000, "2024-06-12"),
)
# ANCHOR_END: customer_records
