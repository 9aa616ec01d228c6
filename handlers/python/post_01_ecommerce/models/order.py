"""The order record that create_order hands to the rest of the workflow."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from blog_common.ids import hex_id
from blog_common.money import to_dollars
from blog_common.timestamps import days_after, iso_utc

DELIVERY_DAYS = 7


# ANCHOR: order_model
@dataclass(frozen=True)
class Order:
    order_id: str
    order_number: str
    status: str
    total_amount: float
    customer_email: str
    created_at: str
    estimated_delivery: str

    @classmethod
    def confirm(cls, *, total_cents: int, customer_email: str, now: datetime) -> Order:
        return cls(
            order_id=hex_id("ord_"),
            # The date in the number lets support staff place an order at a glance.
            order_number=f"ORD-{now:%Y%m%d}-{hex_id('', 8, upper=True)}",
            status="confirmed",
            total_amount=to_dollars(total_cents),
            customer_email=customer_email,
            created_at=iso_utc(now),
            estimated_delivery=iso_utc(days_after(now, DELIVERY_DAYS)),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
        # ANCHOR_END: order_model
