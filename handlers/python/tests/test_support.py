"""The shared helpers themselves: the vector matcher and the money rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from blog_common.money import (
    divide_cents,
    dollars_text,
    half_away,
    percent_of,
    round_half_away,
    to_cents,
    to_dollars,
)
from blog_common.timestamps import iso_utc, parse_iso, utc_now
from support.matcher import mismatches
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


def test_timestamps_parse_with_z_or_offset() -> None:
    assert parse_iso("2025-11-20T10:00:00Z") == parse_iso("2025-11-20T12:00:00+02:00")
    assert parse_iso(iso_utc(utc_now())).tzinfo is not None
    assert parse_iso("2025-11-20T10:00:00").utcoffset() is not None
