"""Whether a program's sessions fit the space: inside its opening hours, outside its closures.

The space's facts speak local wall-clock time in its zone (``opens``/``closes`` as
``HH:MM``, ``closes`` may be ``24:00``; closures as ``YYYY-MM-DDTHH:MM``). Each local day a
session touches is expanded in the zone, and touching open periods are joined, so a
session may run across midnight when both days are open then.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chassis.errors import Invalid

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class SpaceFacts:
    """What the programs service keeps of a space (from the ``space.*`` events)."""

    space_id: str
    status: str
    operators: list[str]
    name_ko: str
    name_en: str
    district: str
    types: list[str]
    timezone: str
    opening_hours: list[dict]
    closures: list[dict]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def summary(self) -> dict:
        return {
            "id": self.space_id,
            "name_ko": self.name_ko,
            "name_en": self.name_en,
            "district": self.district,
            "types": list(self.types),
        }


def check_fits(facts: SpaceFacts, sessions: list[Interval], name: str = "sessions") -> None:
    """Every session inside one of the space's open periods and outside its closures."""
    for i, (start, end) in enumerate(sessions):
        if not any(low <= start and end <= high for low, high in _open_periods(facts, start, end)):
            local = start.astimezone(facts.zone)
            raise Invalid.field(
                f"{name}[{i}]",
                f"is outside the space's opening hours ({local:%Y-%m-%d %H:%M} {facts.timezone})",
            )
        closure = next((c for c in facts.closures if _overlaps(_closure_interval(facts, c), (start, end))), None)
        if closure is not None:
            raise Invalid.field(
                f"{name}[{i}]",
                f"falls in a closure of the space ({closure['starts_at']} to {closure['ends_at']})",
            )


def _open_periods(facts: SpaceFacts, start: datetime, end: datetime) -> list[Interval]:
    zone = facts.zone
    first, last = start.astimezone(zone).date() - timedelta(days=1), end.astimezone(zone).date()
    periods: list[Interval] = []
    day = first
    while day <= last:
        for hours in facts.opening_hours:
            if hours["weekday"] == day.isoweekday():
                periods.append((_at(day, hours["opens"], zone), _at(day, hours["closes"], zone)))
        day += timedelta(days=1)
    return _merge(periods)


def _at(day: date, clock: str, zone: ZoneInfo) -> datetime:
    if clock == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0), zone)
    return datetime.combine(day, time.fromisoformat(clock), zone)


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _closure_interval(facts: SpaceFacts, closure: dict) -> Interval:
    zone = facts.zone
    return (
        datetime.fromisoformat(closure["starts_at"]).replace(tzinfo=zone),
        datetime.fromisoformat(closure["ends_at"]).replace(tzinfo=zone),
    )


def _overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]
