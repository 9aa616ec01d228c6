"""Money and rounding, done once so every handler rounds the same way.

Amounts are carried in integer cents inside handlers and converted to dollars
only at the edges: binary floats cannot represent most cent values, and the
four languages of the book must agree to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Decimal's ROUND_HALF_UP rounds half AWAY from zero (unlike Python's round(),
# which rounds half to even); that is the rule the book uses everywhere.
_HALF_AWAY = ROUND_HALF_UP


def round_half_away(value: float | int | Decimal, decimals: int = 0) -> float:
    """Round a non-money ratio half away from zero to `decimals` places."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(_to_decimal(value).quantize(quantum, rounding=_HALF_AWAY))


def to_cents(dollars: float | int | str | Decimal) -> int:
    """Dollars (as a reader or JSON writes them) to integer cents."""
    return int((_to_decimal(dollars) * 100).quantize(Decimal(1), rounding=_HALF_AWAY))


def to_dollars(cents: int) -> float:
    """Integer cents to the dollar number emitted in results."""
    return float(Decimal(cents) / 100)


def percent_of(cents: int, percent: str | Decimal) -> int:
    """`percent`% of an amount in cents, rounded to a whole cent.

    The rate is a string ("2.9") so it never passes through a float.
    """
    share = Decimal(cents) * Decimal(percent) / 100
    return int(share.quantize(Decimal(1), rounding=_HALF_AWAY))


def _to_decimal(value: float | int | str | Decimal) -> Decimal:
    # str() first: Decimal(0.1) would keep the float's binary error.
    return value if isinstance(value, Decimal) else Decimal(str(value))
