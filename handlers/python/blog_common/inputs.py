"""Reading task-context values and validating text the same way in every language.

A task context is JSON, but each language's defaults read JSON differently:
Python's bool is an int, JavaScript cannot tell 2.0 from 2, and `\\s`, `\\w`,
`\\d`, `$` and case-insensitivity mean different characters in each regex
dialect. These helpers pin the book's one reading (handlers/README.md,
"Choices where the spec is silent"); the Ruby, TypeScript and Rust handlers
have the same helpers under the same names.
"""

from __future__ import annotations

import re
import string

# The largest integer every language holds exactly (JavaScript's numbers are doubles).
MAX_SAFE_INTEGER = 2**53 - 1

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_pattern(source: str) -> re.Pattern[str]:
    """A validation pattern with the same meaning in all four languages.

    re.ASCII keeps `\\s` to space, \\t, \\n, \\v, \\f, \\r, `\\w` to [A-Za-z0-9_]
    and `\\d` to [0-9]; without it Python also takes U+00A0, Arabic-Indic
    digits, accented letters and more.
    """
    return re.compile(source, re.ASCII)


def matches_whole(pattern: re.Pattern[str], value: object) -> bool:
    """True when `value` is a string the pattern matches from first to last character.

    fullmatch, never search with `^...$`: Python's `$` also matches just before
    a final newline, so "jane@example.com\\n" would pass.
    """
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def ascii_lower(value: str) -> str:
    """`value` with A-Z lowered and every other character kept.

    str.lower() is Unicode-wide: the Kelvin sign U+212A would become "k".
    """
    return value.translate(_ASCII_LOWER)


def present_text(value: object) -> str | None:
    """A text field's value when it is present: a non-empty JSON string.

    Absent, null, "" and values of another JSON type (a number, a list) count
    as missing; a string of spaces is present.
    """
    return value if isinstance(value, str) and value != "" else None


def whole_number(value: object) -> int | None:
    """An integer field's value: a JSON number with a whole value within ±(2**53 - 1).

    2.0 is 2 (a JavaScript handler cannot tell them apart); True is not 1 (bool
    is an int subclass in Python); "2" is text, not a number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    number = int(value)
    return number if abs(number) <= MAX_SAFE_INTEGER else None
