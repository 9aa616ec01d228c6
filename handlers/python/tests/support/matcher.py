"""The conformance-vector matcher (rules in handlers/README.md), written once.

`mismatches(expected, actual)` returns one line per difference, each naming the
JSON path, so a failing vector says exactly what differs.

Besides plain JSON, an expected value may be one of three forms:

- `{"$match": regex}`: a string the regex finds (search);
- `{"$timestamp": {"from": "now" | field, "offset_days": n, "tolerance_seconds": t}}`:
  a timestamp within t seconds of the run's clock (or of another timestamp of
  the same result) plus n days;
- `{"$date": {"pattern": regex, "from": "now" | field, "offset_days": n}}`: the
  regex's first group is the UTC calendar date of that anchor plus n days.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

TOLERANCE = 1e-9

# The timestamp format of the pattern table: UTC, `Z`, 0 to 6 fractional digits.
TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z",
    re.ASCII,
)
DATE_TEXT = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})", re.ASCII)
TIMESTAMP_KEYS = {"from", "offset_days", "tolerance_seconds"}
DATE_KEYS = {"pattern", "from", "offset_days"}


@dataclass(frozen=True)
class RunClock:
    """The run's clock: the handler ran somewhere between `start` and `end`."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Scope:
    """What relative expectations refer to: the clock and the result's top level."""

    clock: RunClock | None = None
    root: Any = None


def mismatches(
    expected: Any, actual: Any, path: str = "$", scope: Scope | None = None
) -> list[str]:
    scope = scope or Scope()
    if isinstance(expected, dict) and set(expected) == {"$match"}:
        return _match_regex(expected["$match"], actual, path)
    if isinstance(expected, dict) and set(expected) == {"$timestamp"}:
        return _match_timestamp(expected["$timestamp"], actual, path, scope)
    if isinstance(expected, dict) and set(expected) == {"$date"}:
        return _match_date(expected["$date"], actual, path, scope)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [_differs(path, expected, actual)]
        found: list[str] = []
        for key, value in expected.items():
            child = f"{path}.{key}"
            if key not in actual:
                found.append(f"{child}: missing (expected {_show(value)})")
            else:
                found.extend(mismatches(value, actual[key], child, scope))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [_differs(path, expected, actual)]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} elements, got {len(actual)}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found.extend(mismatches(want, got, f"{path}[{index}]", scope))
        return found
    if _is_number(expected):
        if _is_number(actual) and abs(expected - actual) <= TOLERANCE:
            return []
        return [_differs(path, expected, actual)]
    # Strings, booleans and null compare exactly; the type check keeps True != 1.
    if type(expected) is type(actual) and expected == actual:
        return []
    return [_differs(path, expected, actual)]


def parse_timestamp(value: Any) -> datetime | None:
    """A timestamp in the book's format as an aware UTC datetime, else None."""
    found = TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction = found.groups()
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second),
            int((fraction or "").ljust(6, "0")), tzinfo=timezone.utc,
        )  # fmt: skip
    except ValueError:  # e.g. month 13
        return None


def _match_regex(pattern: str, actual: Any, path: str) -> list[str]:
    # re.ASCII: `\d` in a vector means [0-9] here as in every other language.
    if isinstance(actual, str) and re.search(pattern, actual, re.ASCII):
        return []
    return [f"{path}: expected a string matching /{pattern}/, got {_show(actual)}"]


def _match_timestamp(spec: Any, actual: Any, path: str, scope: Scope) -> list[str]:
    problem = _check_spec(spec, TIMESTAMP_KEYS, required={"from", "tolerance_seconds"})
    if problem:
        return [f"{path}: bad $timestamp in the vector: {problem}"]
    moment = parse_timestamp(actual)
    if moment is None:
        return [f"{path}: expected a timestamp like 2026-01-31T09:30:00.123Z, got {_show(actual)}"]
    anchors = _anchors(spec["from"], scope)
    if isinstance(anchors, str):
        return [f"{path}: {anchors}"]
    offset = timedelta(days=spec.get("offset_days", 0))
    tolerance = timedelta(seconds=spec["tolerance_seconds"])
    earliest, latest = anchors[0] + offset - tolerance, anchors[-1] + offset + tolerance
    if earliest <= moment <= latest:
        return []
    return [
        f"{path}: expected a timestamp {_describe_anchor(spec)}, i.e. between "
        f"{_iso(earliest)} and {_iso(latest)}, got {_show(actual)}"
    ]


def _match_date(spec: Any, actual: Any, path: str, scope: Scope) -> list[str]:
    problem = _check_spec(spec, DATE_KEYS, required={"pattern", "from"})
    if problem:
        return [f"{path}: bad $date in the vector: {problem}"]
    found = re.search(spec["pattern"], actual, re.ASCII) if isinstance(actual, str) else None
    if found is None or found.lastindex is None:
        return [f"{path}: expected a string matching /{spec['pattern']}/, got {_show(actual)}"]
    written = DATE_TEXT.fullmatch(found.group(1))
    anchors = _anchors(spec["from"], scope)
    if isinstance(anchors, str):
        return [f"{path}: {anchors}"]
    offset = timedelta(days=spec.get("offset_days", 0))
    allowed = sorted({(anchor + offset).date() for anchor in anchors})
    try:
        day = date(*(int(part) for part in written.groups())) if written else None
    except ValueError:
        day = None
    if day in allowed:
        return []
    return [
        f"{path}: expected the date {' or '.join(map(str, allowed))} "
        f"({_describe_anchor(spec)}) in {_show(actual)}"
    ]


def _anchors(anchor: str, scope: Scope) -> list[datetime] | str:
    """The instants an expectation is relative to, or what is wrong with them."""
    if anchor == "now":
        if scope.clock is None:
            return "relative to now, but the runner gave no clock"
        return [scope.clock.start, scope.clock.end]
    value: Any = scope.root
    for key in anchor.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    moment = parse_timestamp(value)
    if moment is None:
        return f"relative to field {anchor!r}, which is not a timestamp: {_show(value)}"
    return [moment]


def _check_spec(spec: Any, allowed: set[str], required: set[str]) -> str:
    if not isinstance(spec, dict):
        return "must be an object"
    if unknown := sorted(set(spec) - allowed):
        return f"unknown keys {unknown}"
    if missing := sorted(required - set(spec)):
        return f"missing keys {missing}"
    for key in ("offset_days", "tolerance_seconds"):
        if key in spec and not _is_number(spec[key]):
            return f"{key} must be a number"
    if spec.get("tolerance_seconds", 0) < 0:
        return "tolerance_seconds must not be negative"
    if not isinstance(spec["from"], str) or not spec["from"]:
        return "from must be 'now' or a field name"
    return ""


def _describe_anchor(spec: dict[str, Any]) -> str:
    days = spec.get("offset_days", 0)
    anchor = "the run's clock" if spec["from"] == "now" else f"field {spec['from']!r}"
    shifted = f"{anchor} {'+' if days >= 0 else '-'} {abs(days)} days" if days else anchor
    if "tolerance_seconds" in spec:
        return f"{shifted} (± {spec['tolerance_seconds']} s)"
    return shifted


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _is_number(value: Any) -> bool:
    # bool is an int subclass in Python, but JSON true is not the number 1.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _differs(path: str, expected: Any, actual: Any) -> str:
    return f"{path}: expected {_show(expected)}, got {_show(actual)}"


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
