"""ISO-8601 UTC timestamps with a `Z` suffix, the one format all languages emit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from blog_common.inputs import ascii_pattern


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """`moment` as e.g. 2026-11-26T09:30:00.123Z.

    isoformat() would write `+00:00`; the book's convention is `Z`.
    """
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def now_iso() -> str:
    return iso_utc(utc_now())


def days_after(moment: datetime, days: int) -> datetime:
    return moment + timedelta(days=days)


# RFC 3339 with `Z` or an offset, the way every language's handler reads it.
TIMESTAMP_FORMAT = ascii_pattern(
    r"\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)


def parse_timestamp(value: object) -> datetime | None:
    """A timestamp with `Z` or an offset as an aware UTC datetime; None for anything else.

    fromisoformat() alone would also take a bare date or a time without a zone
    and assume UTC, where JavaScript assumes local time and Rust refuses.
    """
    found = TIMESTAMP_FORMAT.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    fraction, zone = found.groups()
    # Python 3.10's fromisoformat() wants 0, 3 or 6 fraction digits and no `Z`.
    text = value[:19] + (fraction or ".").ljust(7, "0") + zone.replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:  # well-formed but impossible, e.g. month 13
        return None
    return moment.astimezone(timezone.utc)
