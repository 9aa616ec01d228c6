"""The shared helpers themselves: the vector matcher and the money rounding."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from blog_common.inputs import ascii_lower, ascii_pattern, matches_whole, present_text, whole_number
from blog_common.money import (
    divide_cents,
    dollars_text,
    half_away,
    percent_of,
    round_half_away,
    to_cents,
    to_dollars,
)
from blog_common.timestamps import iso_utc, parse_timestamp, utc_now
from support.matcher import RunClock, Scope, mismatches
from support.vectors import resolve_now_offsets


def test_objects_match_partially_and_report_the_path() -> None:
    assert mismatches({"a": {"b": 1}}, {"a": {"b": 1, "extra": 2}, "c": 3}) == []
    assert mismatches({"a": {"b": 1}}, {"a": {"b": 2}}) == ["$.a.b: expected 1, got 2"]
    assert mismatches({"a": 1}, {}) == ["$.a: missing (expected 1)"]


def test_arrays_match_element_wise_with_equal_length() -> None:
    assert mismatches([{"x": 1}], [{"x": 1, "y": 2}]) == []
    assert mismatches([1, 2], [1]) == ["$: expected 2 elements, got 1"]
    assert mismatches([1, 2], [1, 3]) == ["$[1]: expected 2, got 3"]


def test_numbers_compare_with_tolerance_but_not_with_booleans() -> None:
    assert mismatches(5, 5.0) == []
    assert mismatches(0.3, 0.1 + 0.2) == []
    assert mismatches(1, True) != []
    assert mismatches(True, 1) != []
    assert mismatches(None, None) == []
    assert mismatches("a", None) != []


def test_match_objects_search_strings_by_regex() -> None:
    assert mismatches({"$match": "^pay_[0-9a-f]{4}$"}, "pay_00ff") == []
    assert mismatches({"$match": "^pay_"}, "txn_1") != []
    assert mismatches({"$match": "1"}, 1) != []


CLOCK = RunClock(
    start=datetime(2026, 1, 31, 23, 59, 59, 500000, tzinfo=timezone.utc),
    end=datetime(2026, 2, 1, 0, 0, 0, 200000, tzinfo=timezone.utc),
)


def test_timestamps_relative_to_the_run_clock_allow_the_stated_tolerance() -> None:
    scope = Scope(CLOCK, {})
    near = {"$timestamp": {"from": "now", "tolerance_seconds": 1}}
    assert mismatches(near, "2026-02-01T00:00:00Z", scope=scope) == []
    assert mismatches(near, "2026-01-31T23:59:58.600Z", scope=scope) == []
    assert mismatches(near, "2026-01-31T23:59:58.400Z", scope=scope) != []
    assert mismatches(near, "2026-02-01T00:00:01.300Z", scope=scope) != []
    # Across a month end: 7 days after 31 January is 7 February.
    week = {"$timestamp": {"from": "now", "offset_days": 7, "tolerance_seconds": 1}}
    assert mismatches(week, "2026-02-08T00:00:00.100Z", scope=scope) == []
    assert mismatches(week, "2026-03-07T00:00:00Z", scope=scope) != []
    # The format is part of the expectation: no +00:00, no nanoseconds.
    assert mismatches(near, "2026-02-01T00:00:00+00:00", scope=scope) != []
    assert mismatches(near, "2026-02-01T00:00:00.000000001Z", scope=scope) != []
    assert mismatches(near, 5, scope=scope) != []
    assert mismatches(near, "2026-02-01T00:00:00Z") != []  # no clock, no match


def test_timestamps_relative_to_another_field_of_the_result() -> None:
    result = {"created_at": "2026-01-31T10:00:00.000Z", "nested": {"at": "2026-01-01T00:00:00Z"}}
    scope = Scope(CLOCK, result)
    plus_30 = {"$timestamp": {"from": "created_at", "offset_days": 30, "tolerance_seconds": 0}}
    assert mismatches(plus_30, "2026-03-02T10:00:00Z", scope=scope) == []
    assert mismatches(plus_30, "2026-02-28T10:00:00Z", scope=scope) != []  # a month is not 30 days
    minus_1 = {"$timestamp": {"from": "nested.at", "offset_days": -1, "tolerance_seconds": 0}}
    assert mismatches(minus_1, "2025-12-31T00:00:00Z", scope=scope) == []
    missing = {"$timestamp": {"from": "updated_at", "tolerance_seconds": 0}}
    assert "not a timestamp" in mismatches(missing, "2026-01-31T10:00:00Z", scope=scope)[0]


def test_dates_inside_strings_follow_their_anchor() -> None:
    result = {"created_at": "2026-01-31T23:59:59.900Z"}
    scope = Scope(CLOCK, result)
    number = {"$date": {"pattern": "^ORD-([0-9]{8})-[0-9A-F]{8}$", "from": "created_at"}}
    assert mismatches(number, "ORD-20260131-0A1B2C3D", scope=scope) == []
    assert mismatches(number, "ORD-20260201-0A1B2C3D", scope=scope) != []
    assert mismatches(number, "ORD-2026013-0A1B2C3D", scope=scope) != []
    # A run across midnight may carry either date; a dashed date reads the same.
    today = {"$date": {"pattern": "^([0-9-]{10})$", "from": "now"}}
    assert mismatches(today, "2026-01-31", scope=scope) == []
    assert mismatches(today, "2026-02-01", scope=scope) == []
    assert mismatches(today, "2026-02-02", scope=scope) != []


def test_relative_forms_refuse_malformed_expectations() -> None:
    scope = Scope(CLOCK, {})
    for spec in (
        {"from": "now"},
        {"from": "now", "tolerance_seconds": -1},
        {"from": "now", "tolerance_seconds": 1, "days": 7},
        {"tolerance_seconds": 1},
    ):
        problems = mismatches({"$timestamp": spec}, "2026-02-01T00:00:00Z", scope=scope)
        assert problems, spec
        assert "bad $timestamp" in problems[0]
    assert "bad $date" in mismatches({"$date": {"from": "now"}}, "x", scope=scope)[0]


def test_regexes_in_vectors_are_ascii() -> None:
    assert mismatches({"$match": "^[0-9]+$"}, "12") == []
    assert mismatches({"$match": "^\\d+$"}, "\u0663") != []


def test_now_offsets_become_utc_timestamps() -> None:
    resolved = resolve_now_offsets({"due": {"$now_offset_days": 7}, "keep": [1, "x"]})
    assert resolved["keep"] == [1, "x"]
    assert resolved["due"] > iso_utc(utc_now())
    assert resolved["due"].endswith("Z")


@pytest.mark.parametrize(
    ("cents", "percent", "expected"),
    [(10997, "8", 880), (5, "10", 1), (-5, "10", -1), (12476, "2.9", 362), (11794, "2.9", 342)],
)
def test_percent_of_rounds_half_away_from_zero(cents: int, percent: str, expected: int) -> None:
    assert percent_of(cents, percent) == expected


def test_money_conversions_survive_float_noise() -> None:
    assert to_cents(0.1 + 0.2) == 30
    assert to_cents(124.76) == 12476
    assert to_dollars(12476) == 124.76
    assert round_half_away(2.5) == 3
    assert round_half_away(-2.5) == -3
    assert round_half_away(1.005, 2) == 1.01
    assert round_half_away(Decimal("0.125"), 2) == 0.13


@pytest.mark.parametrize(
    ("total_cents", "count", "expected"),
    [(30015, 2, 15008), (319973, 5, 63995), (199999, 2, 100000), (1199999, 3, 400000), (-3, 2, -2)],
)
def test_averages_in_cents_round_half_away_from_zero(
    total_cents: int, count: int, expected: int
) -> None:
    assert divide_cents(total_cents, count) == expected


def test_the_builtin_round_would_disagree_with_the_other_languages() -> None:
    # Why the helper exists: round() is half-to-even on binary floats.
    assert round(2.5) == 2
    assert round(150.075, 2) == 150.07
    assert round_half_away(2.5) == 3
    assert to_dollars(divide_cents(30015, 2)) == 150.08
    assert half_away(Decimal("5.56475"), 4) == Decimal("5.5648")
    assert round_half_away(Decimal(319973) / (100 * 575), 4) == 5.5647


def test_dollar_text_always_has_two_decimals() -> None:
    assert dollars_text(4999) == "49.99"
    assert dollars_text(12000) == "120.00"
    assert dollars_text(5) == "0.05"


def test_timestamps_parse_with_z_or_offset_and_nothing_else() -> None:
    assert parse_timestamp("2025-11-20T10:00:00Z") == parse_timestamp("2025-11-20T12:00:00+02:00")
    assert parse_timestamp("2025-11-20T10:00:00.5Z") is not None
    now = parse_timestamp(iso_utc(utc_now()))
    assert now is not None
    assert now.tzinfo is not None
    # No zone, a bare date, an impossible date, a trailing newline: not timestamps.
    for text in (
        "2025-11-20T10:00:00",
        "2025-11-20",
        "2025-13-01T00:00:00Z",
        "2025-11-20T10:00:00Z\n",
    ):
        assert parse_timestamp(text) is None, text
    assert parse_timestamp(20251120) is None


def test_patterns_are_ascii_and_match_the_whole_string() -> None:
    email = ascii_pattern(r"[^@\s]+@[^@\s]+")
    assert matches_whole(email, "jane@example.com")
    assert not matches_whole(email, "jane@example.com\n")  # `$` would allow this
    assert not matches_whole(email, "jane doe@example.com")
    assert not matches_whole(email, "jane\vdoe@example.com")
    # Not whitespace by the book's \s: U+00A0, U+0085, U+FEFF, U+001C.
    for odd in ("\u00a0", "\u0085", "\ufeff", "\u001c"):
        assert matches_whole(email, f"jane{odd}doe@example.com"), repr(odd)
    assert not matches_whole(ascii_pattern(r"\d+"), "\u0663")
    assert not matches_whole(ascii_pattern(r"\w+"), "jos\u00e9")
    assert not matches_whole(email, 42)
    assert ascii_lower("VIP-\u212a-\u0130") == "vip-\u212a-\u0130"


def test_present_text_and_whole_numbers_read_json_one_way() -> None:
    assert present_text("a") == "a"
    assert present_text("  ") == "  "
    for missing in (None, "", 0, False, [], {}):
        assert present_text(missing) is None, missing
    assert whole_number(2) == 2
    assert whole_number(2.0) == 2
    assert whole_number(-3) == -3
    assert whole_number(2**53 - 1) == 2**53 - 1
    for not_whole in (True, False, "2", 2.5, None, 2**53, float("inf")):
        assert whole_number(not_whole) is None, not_whole
