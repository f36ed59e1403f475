"""A program's fields, as an operator may write them, and the rules they must keep.

Input is copied through an allow-list: ``clean`` takes only the fields an operator may
set, checks each on its own, and names the field of the first thing wrong. The rules
that need the space (opening hours, closures, its time zone) are in ``schedule``; the
ones that tie fields together (the window before the first session) are in
``check_window``.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from chassis.errors import Invalid
from chassis.times import parse_instant

CATEGORIES = ("lecture", "workshop", "club", "exhibition", "visit", "other")
AUDIENCES = ("all", "children", "youth", "adults", "seniors")
SELECTIONS = ("first_come", "review", "lottery")
STATUSES = ("draft", "published", "cancelled", "finished")
MAX_SESSIONS = 50
MAX_SESSION = timedelta(hours=12)
MAX_CAPACITY = 10_000
MAX_COMPANIONS = 10
TEXTS = {"title_ko": (1, 200), "title_en": (1, 200), "description_ko": (0, 5000), "description_en": (0, 5000)}
TEXTS_OPTIONAL = {"fee_note": (0, 200)}
WRITABLE = (
    "space_id",
    *TEXTS,
    *TEXTS_OPTIONAL,
    "category",
    "audience",
    "capacity",
    "companions",
    "selection",
    "application_opens",
    "application_closes",
    "sessions",
)
REQUIRED = (
    *("space_id", "title_ko", "title_en", "category", "audience", "capacity", "selection"),
    *("application_opens", "application_closes", "sessions"),
)
PATTERN_FIELDS = {"weekday", "start_time", "end_time", "first_date", "count"}

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Weekly:
    """Sessions every week on ``weekday`` (ISO, 1 = Monday), local ``start``–``end``, ``count`` times."""

    weekday: int
    start: time
    end: time
    first_date: date
    count: int

    def expand(self, zone: ZoneInfo) -> list[Interval]:
        """The sessions, from the first ``weekday`` on or after ``first_date``, as instants in ``zone``."""
        first = self.first_date + timedelta(days=(self.weekday - self.first_date.isoweekday()) % 7)
        days = [first + timedelta(weeks=i) for i in range(self.count)]
        ends_next_day = timedelta(days=1 if self.end < self.start else 0)
        return [
            (
                datetime.combine(day, self.start, zone).astimezone(UTC),  # in UTC, lengths are real durations
                datetime.combine(day + ends_next_day, self.end, zone).astimezone(UTC),
            )
            for day in days
        ]


def clean(data, creating: bool) -> dict:
    """The allowed fields of ``data``, each checked; ``sessions`` as a list of intervals or a ``Weekly``."""
    if not isinstance(data, dict):
        raise Invalid.field("body", "must be an object")
    unknown = sorted(set(data) - set(WRITABLE) - ({"space_id"} if creating else set()))
    if not creating and "space_id" in data:
        raise Invalid.field("space_id", "cannot be changed; create a program at the other space")
    if unknown:
        raise Invalid.field(unknown[0], "is not a field of a program")
    if creating:
        missing = [name for name in REQUIRED if data.get(name) is None]
        if missing:
            raise Invalid.field(missing[0], "is required")
    elif not data:
        raise Invalid.field("body", "must change at least one field")
    return {name: _CLEANERS[name](data[name], name) for name in WRITABLE if name in data}


def _text(limits):
    low, high = limits

    def check(value, name):
        if not isinstance(value, str) or not low <= len(value.strip()) <= high:
            raise Invalid.field(name, f"must be text of {low} to {high} characters")
        return value.strip()

    return check


def _choice(options):
    def check(value, name):
        if value not in options:
            raise Invalid.field(name, f"must be one of {', '.join(options)}")
        return value

    return check


def _integer(low, high):
    def check(value, name):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid.field(name, f"must be a whole number from {low} to {high}")
        return value

    return check


def _uuid(value, name):
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise Invalid.field(name, "must be a UUID") from None


def clean_sessions(value, name: str = "sessions") -> list[Interval] | Weekly:
    if isinstance(value, dict):
        return _weekly(value, name)
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_SESSIONS:
        raise Invalid.field(name, f"must be 1 to {MAX_SESSIONS} sessions {{start, end}}, or a weekly pattern")
    sessions = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"start", "end"}:
            raise Invalid.field(f"{name}[{i}]", "must be {start, end}")
        start = parse_instant(item["start"], f"{name}[{i}].start")
        end = parse_instant(item["end"], f"{name}[{i}].end")
        sessions.append((start, end))
    return sessions


def _weekly(value: dict, name: str) -> Weekly:
    unknown = sorted(set(value) - PATTERN_FIELDS)
    if unknown:
        raise Invalid.field(f"{name}.{unknown[0]}", "is not a field of a weekly pattern")
    missing = sorted(PATTERN_FIELDS - set(value))
    if missing:
        raise Invalid.field(f"{name}.{missing[0]}", "is required")
    weekday = _integer(1, 7)(value["weekday"], f"{name}.weekday")
    count = _integer(1, MAX_SESSIONS)(value["count"], f"{name}.count")
    start, end = (_local_time(value[part], f"{name}.{part}") for part in ("start_time", "end_time"))
    if start == end:
        raise Invalid.field(f"{name}.end_time", "must differ from start_time")
    try:
        first_date = date.fromisoformat(value["first_date"]) if isinstance(value["first_date"], str) else None
    except ValueError:
        first_date = None
    if first_date is None or not 2000 <= first_date.year <= 2099:
        raise Invalid.field(f"{name}.first_date", "must be a date YYYY-MM-DD")
    return Weekly(weekday, start, end, first_date, count)


def _local_time(value, name: str) -> time:
    try:
        if isinstance(value, str) and len(value) == 5:
            return time.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid.field(name, "must be a local time HH:MM")


_CLEANERS = {
    "space_id": _uuid,
    **{name: _text(limits) for name, limits in {**TEXTS, **TEXTS_OPTIONAL}.items()},
    "category": _choice(CATEGORIES),
    "audience": _choice(AUDIENCES),
    "capacity": _integer(1, MAX_CAPACITY),
    "companions": _integer(0, MAX_COMPANIONS),
    "selection": _choice(SELECTIONS),
    "application_opens": parse_instant,
    "application_closes": parse_instant,
    "sessions": clean_sessions,
}


def check_shape(sessions: list[Interval], now: datetime, name: str = "sessions") -> list[Interval]:
    """Sessions sorted by start: at most 50, each in the future, at most 12 hours, none overlapping.

    An error names the session by its place in the list as sent.
    """
    if len(sessions) > MAX_SESSIONS:
        raise Invalid.field(name, f"must be at most {MAX_SESSIONS} sessions")
    for i, (start, end) in enumerate(sessions):
        if end <= start:
            raise Invalid.field(f"{name}[{i}].end", "must be after start")
        if end - start > MAX_SESSION:
            raise Invalid.field(f"{name}[{i}].end", "a session lasts at most 12 hours")
        if start <= now:
            raise Invalid.field(f"{name}[{i}].start", "must be in the future")
    ordered = sorted(enumerate(sessions), key=lambda item: item[1])
    for (_, before), (i, after) in pairwise(ordered):
        if before[1] > after[0]:
            raise Invalid.field(f"{name}[{i}].start", "overlaps another session")
    return [interval for _, interval in ordered]


def check_window(opens: datetime, closes: datetime, first_start: datetime, now: datetime) -> None:
    """Applications open before they close, close in the future, and no later than the first session."""
    if closes <= opens:
        raise Invalid.field("application_closes", "must be after application_opens")
    if closes <= now:
        raise Invalid.field("application_closes", "must be in the future")
    if closes > first_start:
        raise Invalid.field("application_closes", "must be no later than the first session's start")


def check_capacity(capacity: int, accepted_places: int) -> None:
    if capacity < accepted_places:
        raise Invalid.field("capacity", f"must be at least the {accepted_places} places already accepted")
