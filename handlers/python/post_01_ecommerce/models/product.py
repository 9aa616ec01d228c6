"""Products and the demo catalogue that stands in for an inventory service."""

from __future__ import annotations

from dataclasses import dataclass

from blog_common.money import to_dollars


# ANCHOR: product_model
@dataclass(frozen=True)
class Product:
    id: int
    name: str
    # Cents, not dollars: every total derived from a price stays exact.
    price_cents: int
    stock: int
    active: bool = True

    @property
    def price(self) -> float:
        return to_dollars(self.price_cents)

    def can_fulfil(self, quantity: int) -> bool:
        return self.stock >= quantity
        # ANCHOR_END: product_model


# ANCHOR: catalogue
CATALOGUE: dict[int, Product] = {
    product.id: product
    for product in (
        Product(1, "Widget A", price_cents=2999, stock=100),
        Product(2, "Widget B", price_cents=4999, stock=50),
        Product(3, "Widget C", price_cents=1999, stock=25),
        Product(4, "Widget D", price_cents=3999, stock=0),
        Product(5, "Widget E", price_cents=5999, stock=10, active=False),
    )
}


def find_product(product_id: int) -> Product | None:
    return CATALOGUE.get(product_id)
    # ANCHOR_END: catalogue
