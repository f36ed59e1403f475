"""Opening hours and closures: local wall-clock times in the space's own time zone.

An interval is ``{"weekday": 1..7 (ISO), "opens": "HH:MM", "closes": "HH:MM"}``; ``closes``
may be ``24:00``. A closure is ``{"id", "starts_at", "ends_at", "reason"}`` with local
``YYYY-MM-DDTHH:MM`` times and may span midnight and several days.
"""

import re
import uuid
from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from chassis.inputs import RANGE_MESSAGE, in_range
from services.spaces.domain.errors import Problems

CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
MAX_INTERVALS = 50
MAX_CLOSURES = 500


def minute_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def clock_of(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def clean_opening_hours(value, problems: Problems, field: str = "opening_hours") -> list[dict]:
    """Valid, sorted intervals; each problem names the interval's field, e.g. ``opening_hours[2].closes``."""
    intervals = []
    for i, item in enumerate(
        _bounded_list(value, problems, field, "{weekday, opens, closes}", MAX_INTERVALS, "intervals")
    ):
        interval = _clean_interval(item, problems, f"{field}[{i}]")
        if interval:
            intervals.append((i, interval))
    _check_overlaps(intervals, problems, field)
    return sorted((iv for _, iv in intervals), key=lambda iv: (iv["weekday"], iv["opens"]))


def _bounded_list(value, problems: Problems, field: str, shape: str, most: int, noun: str) -> list:
    """``value`` if it is a list of at most ``most`` items; else nothing, and the problem noted."""
    if not isinstance(value, list):
        problems.add(field, f"must be a list of {shape}")
        return []
    if len(value) > most:
        problems.add(field, f"at most {most} {noun}")
        return []
    return value


def _clean_interval(item, problems: Problems, field: str) -> dict | None:
    if not isinstance(item, dict):
        problems.add(field, "must be an object {weekday, opens, closes}")
        return None
    before = len(problems.items)
    for unknown in sorted(set(item) - {"weekday", "opens", "closes"}):
        problems.add(f"{field}.{unknown}", "unknown field")
    weekday = item.get("weekday")
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7:
        problems.add(f"{field}.weekday", "must be an ISO weekday, 1 (Monday) to 7 (Sunday)")
    for key in ("opens", "closes"):
        clock = item.get(key)
        if not isinstance(clock, str) or not CLOCK.match(clock):
            problems.add(f"{field}.{key}", "must be a local time HH:MM (00:00 to 24:00)")
    if len(problems.items) > before:
        return None
    if item["opens"] == "24:00":
        problems.add(f"{field}.opens", "must be before 24:00")
        return None
    if minute_of(item["closes"]) <= minute_of(item["opens"]):
        problems.add(f"{field}.closes", "must be after opens (an interval ends after it starts)")
        return None
    return {"weekday": weekday, "opens": item["opens"], "closes": item["closes"]}


def _check_overlaps(intervals: list[tuple[int, dict]], problems: Problems, field: str) -> None:
    ordered = sorted(intervals, key=lambda pair: (pair[1]["weekday"], minute_of(pair[1]["opens"])))
    for (_, before), (i, after) in pairwise(ordered):
        if before["weekday"] == after["weekday"] and minute_of(after["opens"]) < minute_of(before["closes"]):
            problems.add(f"{field}[{i}]", f"overlaps another interval on weekday {after['weekday']}")


def parse_local(value, problems: Problems, field: str) -> datetime | None:
    """A local date-time without offset, ``YYYY-MM-DDTHH:MM`` (seconds are accepted and dropped)."""
    if isinstance(value, str) and len(value) <= 32:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            if not in_range(parsed.replace(tzinfo=UTC)):
                problems.add(field, RANGE_MESSAGE)
                return None
            return parsed.replace(second=0, microsecond=0)
    problems.add(field, "must be a local date-time YYYY-MM-DDTHH:MM without offset")
    return None


def clean_closure(item, problems: Problems, field: str = "closure") -> dict | None:
    if not isinstance(item, dict):
        problems.add(field, "must be an object {starts_at, ends_at, reason}")
        return None
    before = len(problems.items)
    for unknown in sorted(set(item) - {"id", "starts_at", "ends_at", "reason"}):
        problems.add(f"{field}.{unknown}", "unknown field")
    starts_at = parse_local(item.get("starts_at"), problems, f"{field}.starts_at")
    ends_at = parse_local(item.get("ends_at"), problems, f"{field}.ends_at")
    reason = item.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not 1 <= len(reason) <= 200:
        problems.add(f"{field}.reason", "must be 1 to 200 characters")
    if starts_at and ends_at and ends_at <= starts_at:
        problems.add(f"{field}.ends_at", "must be after starts_at")
    if len(problems.items) > before:
        return None
    closure_id = item.get("id") if _is_uuid(item.get("id")) else str(uuid.uuid4())
    return {"id": closure_id, "starts_at": starts_at, "ends_at": ends_at, "reason": reason}


def clean_closures(value, problems: Problems, field: str = "closures") -> list[dict]:
    items = _bounded_list(value, problems, field, "{starts_at, ends_at, reason}", MAX_CLOSURES, "closures")
    cleaned = [clean_closure(item, problems, f"{field}[{i}]") for i, item in enumerate(items)]
    return sorted((c for c in cleaned if c), key=lambda c: c["starts_at"])


def closure_out(closure: dict) -> dict:
    return {
        "id": str(closure["id"]),
        "starts_at": closure["starts_at"].strftime(LOCAL_FORMAT),
        "ends_at": closure["ends_at"].strftime(LOCAL_FORMAT),
        "reason": closure["reason"],
    }


def weekly_minutes(opening_hours: list[dict]) -> list[tuple[int, int]]:
    """The intervals as half-open ranges of minutes of the ISO week, Monday 00:00 being 0.

    Search tests ``open_at`` against these, so it is one containment test per space.
    """
    return [
        ((iv["weekday"] - 1) * 1440 + minute_of(iv["opens"]), (iv["weekday"] - 1) * 1440 + minute_of(iv["closes"]))
        for iv in opening_hours
    ]


def local_time(instant: datetime, timezone: str) -> datetime:
    """``instant`` (aware) as a wall clock in ``timezone`` reads it, to the minute, without offset."""
    return instant.astimezone(ZoneInfo(timezone)).replace(tzinfo=None, second=0, microsecond=0)


def minute_of_week(local: datetime) -> int:
    """The minute of the ISO week of a local time, as ``weekly_minutes`` counts them."""
    return (local.isoweekday() - 1) * 1440 + local.hour * 60 + local.minute


def is_open(opening_hours: list[dict], closures: list[dict], timezone: str, instant: datetime) -> bool:
    """Whether a space is open at ``instant`` (aware), judged in its own zone.

    The same rule as the search query's ``open_at`` filter, for callers that hold the facts.
    """
    local = local_time(instant, timezone)
    minute = local.hour * 60 + local.minute
    within_hours = any(
        iv["weekday"] == local.isoweekday() and minute_of(iv["opens"]) <= minute < minute_of(iv["closes"])
        for iv in opening_hours
    )
    closed = any(c["starts_at"] <= local < c["ends_at"] for c in closures)
    return within_hours and not closed


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
        return isinstance(value, str)
    except ValueError:
        return False
