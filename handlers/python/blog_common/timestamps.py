"""ISO-8601 UTC timestamps with a `Z` suffix, the one format all languages emit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


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


def parse_iso(text: str) -> datetime:
    """An ISO-8601 timestamp (with `Z` or an offset) as an aware datetime.

    Python 3.10's fromisoformat() rejects the `Z` suffix, hence the rewrite;
    a timestamp without an offset is taken to be UTC.
    """
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
