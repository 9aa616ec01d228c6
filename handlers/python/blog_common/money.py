"""Money and rounding, done once so every handler rounds the same way.

Amounts are carried in integer cents inside handlers and converted to dollars
only at the edges: binary floats cannot represent most cent values, and the
four languages of the book must agree to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


# ANCHOR: rounding
# Python's built-in round() rounds half to EVEN (round(2.5) == 2) and works on
# binary floats (round(1.005, 2) == 1.0). The book rounds half AWAY from zero,
# on exact decimals: Decimal's ROUND_HALF_UP is exactly that rule.
def half_away(value: Decimal, decimals: int = 0) -> Decimal:
    """The one rounding rule: 2.5 -> 3, -2.5 -> -3, 0.125 -> 0.13 at 2 places."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_half_away(value: float | int | Decimal, decimals: int = 0) -> float:
    """Round a non-money ratio half away from zero to `decimals` places."""
    return float(half_away(_to_decimal(value), decimals))


def divide_cents(total_cents: int, count: int) -> int:
    """An average in whole cents: 30015 cents / 2 = 15007.5 -> 15008."""
    return int(half_away(Decimal(total_cents) / count))
    # ANCHOR_END: rounding


def to_cents(dollars: float | int | str | Decimal) -> int:
    """Dollars (as a reader or JSON writes them) to integer cents."""
    return int(half_away(_to_decimal(dollars) * 100))


def to_dollars(cents: int) -> float:
    """Integer cents to the dollar number emitted in results."""
    return float(Decimal(cents) / 100)


def dollars_text(cents: int) -> str:
    """Integer cents as reader-facing text: 4999 -> "49.99", 12000 -> "120.00"."""
    return f"{Decimal(cents) / 100:.2f}"


def percent_of(cents: int, percent: str | Decimal) -> int:
    """`percent`% of an amount in cents, rounded to a whole cent.

    The rate is a string ("2.9") so it never passes through a float.
    """
    return int(half_away(Decimal(cents) * Decimal(percent) / 100))


def _to_decimal(value: float | int | str | Decimal) -> Decimal:
    # str() first: Decimal(0.1) would keep the float's binary error.
    return value if isinstance(value, Decimal) else Decimal(str(value))
