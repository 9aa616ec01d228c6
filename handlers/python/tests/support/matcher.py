"""The conformance-vector matcher (rules in briefs/common.md), written once.

`mismatches(expected, actual)` returns one line per difference, each naming the
JSON path, so a failing vector says exactly what differs.
"""

from __future__ import annotations

import json
import re
from typing import Any

TOLERANCE = 1e-9


def mismatches(expected: Any, actual: Any, path: str = "$") -> list[str]:
    if isinstance(expected, dict) and set(expected) == {"$match"}:
        return _match_regex(expected["$match"], actual, path)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [_differs(path, expected, actual)]
        found: list[str] = []
        for key, value in expected.items():
            child = f"{path}.{key}"
            if key not in actual:
                found.append(f"{child}: missing (expected {_show(value)})")
            else:
                found.extend(mismatches(value, actual[key], child))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [_differs(path, expected, actual)]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} elements, got {len(actual)}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found.extend(mismatches(want, got, f"{path}[{index}]"))
        return found
    if _is_number(expected):
        if _is_number(actual) and abs(expected - actual) <= TOLERANCE:
            return []
        return [_differs(path, expected, actual)]
    # Strings, booleans and null compare exactly; the type check keeps True != 1.
    if type(expected) is type(actual) and expected == actual:
        return []
    return [_differs(path, expected, actual)]


def _match_regex(pattern: str, actual: Any, path: str) -> list[str]:
    if isinstance(actual, str) and re.search(pattern, actual):
        return []
    return [f"{path}: expected a string matching /{pattern}/, got {_show(actual)}"]


def _is_number(value: Any) -> bool:
    # bool is an int subclass in Python, but JSON true is not the number 1.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _differs(path: str, expected: Any, actual: Any) -> str:
    return f"{path}: expected {_show(expected)}, got {_show(actual)}"


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
