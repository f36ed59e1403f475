"""A space's opening hours and closures, turned into instants.

The facts speak local wall-clock time in the space's zone (``opens``/``closes`` as
``HH:MM``, ``closes`` may be ``24:00``; closures as ``YYYY-MM-DDTHH:MM`` that may span
midnight). Rules and availability need instants, so each local day in question is
expanded in the zone; adjacent intervals are merged, so a booking may run across
midnight when both days are open there.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]  # aware, half-open [start, end)


@dataclass(frozen=True)
class Facts:
    """What the reservations service keeps of a space (from the ``space.*`` events)."""

    space_id: str
    status: str
    operators: list[str]
    capacity: int
    timezone: str
    opening_hours: list[dict]
    closures: list[dict]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def bookable(self) -> bool:
        return self.status == "published"


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``intervals`` minus ``holes``; both lists are merged first."""
    result = []
    holes = merge(holes)
    for start, end in merge(intervals):
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end <= cursor or hole_start >= end:
                continue
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
        if cursor < end:
            result.append((cursor, end))
    return result


def clip(intervals: list[Interval], start: datetime, end: datetime) -> list[Interval]:
    return [(max(s, start), min(e, end)) for s, e in intervals if s < end and e > start]


def _local(day: date, clock: str, zone: ZoneInfo) -> datetime:
    if clock == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    hours, minutes = clock.split(":")
    return datetime.combine(day, time(int(hours), int(minutes)), tzinfo=zone)


def opening_intervals(facts: Facts, start: datetime, end: datetime) -> list[Interval]:
    """The opening hours between ``start`` and ``end`` as merged instants (closures not removed)."""
    zone = facts.zone
    first, last = start.astimezone(zone).date() - timedelta(days=1), end.astimezone(zone).date()
    found, day = [], first
    while day <= last:
        for interval in facts.opening_hours:
            if interval["weekday"] == day.isoweekday():
                found.append((_local(day, interval["opens"], zone), _local(day, interval["closes"], zone)))
        day += timedelta(days=1)
    return clip(merge(found), start, end)


def closure_intervals(facts: Facts) -> list[tuple[Interval, dict]]:
    """Each closure as instants, with the closure itself (for messages)."""
    zone = facts.zone
    return [
        (
            (
                datetime.fromisoformat(c["starts_at"]).replace(tzinfo=zone),
                datetime.fromisoformat(c["ends_at"]).replace(tzinfo=zone),
            ),
            c,
        )
        for c in facts.closures
    ]


def open_intervals(facts: Facts, start: datetime, end: datetime) -> list[Interval]:
    """When the space is open between ``start`` and ``end``: opening hours minus closures."""
    closed = [interval for interval, _ in closure_intervals(facts)]
    return subtract(opening_intervals(facts, start, end), closed)


def covers(intervals: list[Interval], start: datetime, end: datetime) -> bool:
    return any(s <= start and end <= e for s, e in merge(intervals))


def local_minute(instant: datetime, zone: ZoneInfo) -> int:
    """Minutes since local midnight; slot boundaries are counted from there."""
    local = instant.astimezone(zone)
    return local.hour * 60 + local.minute
