"""Generated identifiers: a readable prefix plus random hex.

Vectors match these by pattern, so only the shape is a contract.
"""

from __future__ import annotations

import secrets
import uuid


def hex_id(prefix: str, length: int = 16, *, upper: bool = False) -> str:
    """`prefix` followed by `length` random hex digits (lowercase by default)."""
    digits = secrets.token_hex((length + 1) // 2)[:length]
    return prefix + (digits.upper() if upper else digits)


def task_id() -> str:
    """A `task_<uuid4>` identifier."""
    return f"task_{uuid.uuid4()}"
