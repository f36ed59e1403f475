"""Instants as the platform exchanges them: ISO 8601 with an offset, stored in UTC.

Only instants in ``chassis.inputs``' range are taken: further out, converting one to UTC
or adding a horizon to it leaves what Python and PostgreSQL represent.
"""

from datetime import UTC, datetime

from chassis.errors import Invalid
from chassis.inputs import RANGE_MESSAGE, in_range


def now() -> datetime:
    return datetime.now(UTC)


def parse_instant(value, field: str) -> datetime:
    """An aware instant; a wall-clock time without offset is ambiguous, so it is refused."""
    parsed = None
    if isinstance(value, str) and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise Invalid.field(field, "must be an ISO 8601 instant with an offset, e.g. 2026-05-04T19:00:00+09:00")
    if not in_range(parsed):
        raise Invalid.field(field, RANGE_MESSAGE)
    return parsed.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None
