"""The arithmetic of a space's booking page: the week grid, the form's times, the checks the
web client can make before asking the gateway, and the nearest free times after a refusal.

Times a resident types or reads are wall-clock times of the space's zone (Asia/Seoul);
the gateway's are instants (``{start, end}`` with an offset). Everything here is pure:
the view fetches the space and its availability and hands them in.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from web.i18n import TIMEZONE
from web.rules import largest_party

Interval = tuple[datetime, datetime]

DAY = 1440
MAX_ROWS = 28  # a week grid of more rows than this shows coarser rows (whole multiples of the slot)
GRID_SLOT = 60  # the rows' length when the space's policy cannot be read
FORM_FIELDS = ("date", "start", "end", "party_size", "purpose")
MAX_PURPOSE = 500
SUGGESTIONS = 3


def zone_of(space: dict) -> ZoneInfo:
    return ZoneInfo(space.get("timezone") or TIMEZONE)


def now() -> datetime:
    return datetime.now(UTC)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def hhmm(minute: int) -> str:
    """``570`` → ``"09:30"``; the end of the day is ``"24:00"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hhmm(value: str | None, *, end: bool = False) -> int | None:
    """``"09:30"`` → ``570``; ``"24:00"`` only as an end."""
    if not value or len(value) != 5 or value[2] != ":" or not (value[:2] + value[3:]).isdigit():
        return None
    minute = int(value[:2]) * 60 + int(value[3:])
    if int(value[3:]) >= 60 or minute > DAY or (minute == DAY and not end):
        return None
    return minute


def intervals(items) -> list[Interval]:
    """The gateway's ``[{start, end}]`` as sorted, merged pairs of instants."""
    pairs = sorted((datetime.fromisoformat(i["start"]), datetime.fromisoformat(i["end"])) for i in items or [])
    merged: list[Interval] = []
    for start, end in pairs:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covers(spans: list[Interval], start: datetime, end: datetime) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def overlaps(spans: list[Interval], start: datetime, end: datetime) -> bool:
    return any(s < end and start < e for s, e in spans)


def slot_of(policy: dict | None) -> int:
    return policy["slot_minutes"] if policy else GRID_SLOT


# --- the booking form --------------------------------------------------------------


@dataclass
class Booking:
    """What the resident typed (``values``, kept as typed) and what it means (instants, a count)."""

    values: dict[str, str]
    start: datetime | None = None
    end: datetime | None = None
    party_size: int | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, form, zone: ZoneInfo) -> "Booking":
        values = {name: (form.get(name) or "").strip() for name in FORM_FIELDS}
        booking = cls(values)
        errors = booking.errors
        day = parse_day(values["date"])
        starts, ends = parse_hhmm(values["start"]), parse_hhmm(values["end"], end=True)
        if day is None:
            errors["date"] = _("Choose a date.")
        if starts is None:
            errors["start"] = _("Choose a start time.")
        if ends is None:
            errors["end"] = _("Choose an end time.")
        elif starts is not None and ends <= starts:
            errors["end"] = _("The end must be after the start.")
        if day is not None and starts is not None and ends is not None and ends > starts:
            booking.start = midnight(day, zone) + timedelta(minutes=starts)
            booking.end = midnight(day, zone) + timedelta(minutes=ends)
        party = values["party_size"]
        if not party.isdigit() or not 1 <= int(party) <= 10000:
            errors["party_size"] = _("Say how many people come: a whole number, at least 1.")
        else:
            booking.party_size = int(party)
        if len(values["purpose"]) > MAX_PURPOSE:
            errors["purpose"] = _("Write at most %(count)s characters.", count=MAX_PURPOSE)
        return booking

    @property
    def complete(self) -> bool:
        return not self.errors and self.start is not None and self.party_size is not None

    def body(self, space_id: str) -> dict:
        """The gateway's ``POST /api/v1/reservations`` body (instants with the zone's offset)."""
        return {
            "space_id": space_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "party_size": self.party_size,
            "purpose": self.values["purpose"],
        }

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def time_options(slot: int) -> tuple[list[str], list[str]]:
    """The form's start and end choices: every slot of the day (``"00:00"`` … ``"24:00"``)."""
    slot = slot if slot and DAY % slot == 0 else 30
    return [hhmm(m) for m in range(0, DAY, slot)], [hhmm(m) for m in range(slot, DAY + 1, slot)]


def policy_problems(booking: Booking, policy: dict | None, space: dict, moment: datetime) -> list[tuple[str, dict]]:
    """The rules the booking breaks that the policy alone tells: ``[(rule, allowed)]``, as the
    gateway would name them (the same order: slots, length, when, closures, party)."""
    if not booking.complete or not policy:
        return []
    zone = zone_of(space)
    found = []
    slot = policy["slot_minutes"]
    for instant in (booking.start, booking.end):
        local = instant.astimezone(zone)
        if (local.hour * 60 + local.minute) % slot:
            found.append(("slot", {"slot_minutes": slot}))
            break
    if not policy["min_minutes"] <= booking.minutes <= policy["max_minutes"]:
        found.append(("length", {"min_minutes": policy["min_minutes"], "max_minutes": policy["max_minutes"]}))
    earliest = moment + timedelta(minutes=policy["notice_minutes"])
    latest = moment + timedelta(days=policy["horizon_days"])
    if booking.start < earliest:
        found.append(
            (
                "notice",
                {"notice_minutes": policy["notice_minutes"], "earliest": next_step(earliest, slot, zone).isoformat()},
            )
        )
    elif booking.start > latest:
        found.append(("horizon", {"horizon_days": policy["horizon_days"], "latest": latest.isoformat()}))
    for closure in space.get("closures") or []:
        start = datetime.fromisoformat(closure["starts_at"]).replace(tzinfo=zone)
        end = datetime.fromisoformat(closure["ends_at"]).replace(tzinfo=zone)
        if start < booking.end and booking.start < end:
            closed = {"start": start.isoformat(), "end": end.isoformat(), "reason": closure.get("reason")}
            found.append(("closure", {"closed": closed}))
            break
    allowed = largest_party(policy, space["capacity"])
    if booking.party_size > allowed:
        found.append(("party_size", {"max_party_size": allowed}))
    return found


def next_step(moment: datetime, slot: int, zone: ZoneInfo) -> datetime:
    """The first slot boundary of the local day at or after ``moment``."""
    local = moment.astimezone(zone)
    day_start = midnight(local.date(), zone)
    minutes = -(-int((local - day_start).total_seconds()) // 60)
    return day_start + timedelta(minutes=-(-minutes // slot) * slot)


def availability_window(booking: Booking, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period whose availability a check and its suggestions need: days around the booking."""
    day = booking.start.astimezone(zone).date()
    return midnight(day - timedelta(days=2), zone), midnight(day + timedelta(days=6), zone)


def nearest_free(
    booking: Booking, open_: list[Interval], busy: list[Interval], policy: dict | None, zone: ZoneInfo, moment: datetime
) -> list[Interval]:
    """Up to three free times of the booking's length nearest to it, in time order: on the
    space's slots, open, unheld, bookable now (notice, horizon), each within one local day."""
    slot = slot_of(policy)
    length = booking.end - booking.start
    earliest = moment + timedelta(minutes=policy["notice_minutes"] if policy else 0)
    latest = moment + timedelta(days=policy["horizon_days"]) if policy else None
    found = []
    for window_start, window_end in open_:
        start = next_step(max(window_start, earliest), slot, zone)
        while start + length <= window_end:
            end = start + length
            local_start, local_end = start.astimezone(zone), end.astimezone(zone)
            same_day = local_end.date() == local_start.date() or local_end == midnight(
                local_start.date() + timedelta(days=1), zone
            )
            if (
                start != booking.start
                and same_day
                and (latest is None or start <= latest)
                and not overlaps(busy, start, end)
            ):
                found.append((start, end))
            start += timedelta(minutes=slot)
    found.sort(key=lambda pair: abs(pair[0] - booking.start))
    return sorted(found[:SUGGESTIONS])


def slot_values(start: datetime, end: datetime, zone: ZoneInfo) -> dict:
    """A time as the form's values: ``{date, start, end}`` (an end at midnight is ``"24:00"``)."""
    local_start = start.astimezone(zone)
    day_start = midnight(local_start.date(), zone)
    end_minute = int((end - day_start).total_seconds() // 60)
    return {
        "date": local_start.date().isoformat(),
        "start": hhmm(local_start.hour * 60 + local_start.minute),
        "end": hhmm(end_minute),
    }


# --- the week grid -----------------------------------------------------------------


def grid_step(slot: int, span: int) -> int:
    """The rows' length: the slot, or the smallest multiple of it dividing the day that keeps
    the grid within ``MAX_ROWS`` rows."""
    step = slot
    for multiple in range(slot, DAY + 1, slot):
        if DAY % multiple == 0:
            step = multiple
            if -(-span // multiple) <= MAX_ROWS:
                break
    return step


def week_grid(
    open_: list[Interval], busy: list[Interval], policy: dict | None, monday: date, zone: ZoneInfo, moment: datetime
) -> dict:
    """``{days, rows: [{minute, cells: [{day, state, start, end}]}], step}``; a cell's state is
    ``free``, ``busy`` (held), ``closed`` or ``unavailable`` (open but not bookable: too soon,
    too far ahead or open for part of the row only)."""
    days = [monday + timedelta(days=i) for i in range(7)]
    opened = []  # local minutes of the day each day is open, across the week
    for day in days:
        day_start, day_end = midnight(day, zone), midnight(day + timedelta(days=1), zone)
        for s, e in open_:
            s, e = max(s, day_start), min(e, day_end)
            if s < e:
                opened.append((int((s - day_start).total_seconds() // 60), int((e - day_start).total_seconds() // 60)))
    grid = {"days": days, "rows": [], "step": slot_of(policy)}
    if not opened:
        return grid
    first, last = min(s for s, _ in opened), max(e for _, e in opened)
    step = grid["step"] = grid_step(slot_of(policy), last - first)
    first, last = first // step * step, min(DAY, -(-last // step) * step)
    earliest = moment + timedelta(minutes=policy["notice_minutes"] if policy else 0)
    latest = moment + timedelta(days=policy["horizon_days"]) if policy else None
    length = step
    if policy:
        length = min(max(step, policy["min_minutes"]), policy["max_minutes"])
    for minute in range(first, last, step):
        cells = []
        for day in days:
            start = midnight(day, zone) + timedelta(minutes=minute)
            end = start + timedelta(minutes=step)
            if not overlaps(open_, start, end):
                state = "closed"
            elif overlaps(busy, start, end):
                state = "busy"
            elif start < earliest or (latest and start > latest) or not covers(open_, start, end):
                state = "unavailable"
            else:
                state = "free"
            chosen_end = min(start + timedelta(minutes=length), midnight(day + timedelta(days=1), zone))
            cells.append({"day": day, "state": state, "start": start, **slot_values(start, chosen_end, zone)})
        grid["rows"].append({"minute": minute, "time": time(minute // 60, minute % 60), "cells": cells})
    return grid
