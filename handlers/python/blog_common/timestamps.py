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
