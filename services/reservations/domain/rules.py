"""The booking rules a request must keep, each a ``RuleBroken`` naming the rule and what is allowed.

The order is the order a person would fix them in: the shape of the booking (slots,
length), then when it is (notice, horizon, opening hours, closures), then who comes
(party size). The citizen's quota and the slot itself need the database and are
checked by the use case, under a lock and by the exclusion constraint.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from chassis.errors import Conflict, Invalid, RuleBroken
from services.reservations.domain import schedule
from services.reservations.domain.access import require_uuid
from services.reservations.domain.policy import largest_party
from services.reservations.domain.schedule import Facts
from services.reservations.domain.times import iso, parse_instant

REQUEST_FIELDS = {"space_id", "start", "end", "party_size", "purpose"}
MAX_PURPOSE = 500


@dataclass(frozen=True)
class BookingRequest:
    space_id: str
    start: datetime
    end: datetime
    party_size: int
    purpose: str


def clean_request(data) -> BookingRequest:
    """The create body, through an allow-list: ``{space_id, start, end, party_size, purpose}``."""
    if not isinstance(data, dict):
        raise Invalid.field("body", "must be an object")
    unknown = sorted(set(data) - REQUEST_FIELDS)
    if unknown:
        raise Invalid(
            f"{unknown[0]}: unknown field", {"errors": [{"field": f, "message": "unknown field"} for f in unknown]}
        )
    space_id = require_uuid(data.get("space_id"), "space_id")
    start, end = parse_instant(data.get("start"), "start"), parse_instant(data.get("end"), "end")
    if end <= start:
        raise Invalid.field("end", "must be after start")
    party = data.get("party_size")
    if isinstance(party, bool) or not isinstance(party, int) or not 1 <= party <= 10000:
        raise Invalid.field("party_size", "must be an integer from 1 to 10000")
    purpose = data.get("purpose", "")
    if not isinstance(purpose, str) or len(purpose.strip()) > MAX_PURPOSE:
        raise Invalid.field("purpose", f"must be text of at most {MAX_PURPOSE} characters")
    return BookingRequest(space_id, start, end, party, purpose.strip())


def check_request(facts: Facts, policy: dict, platform_percent: int, req: BookingRequest, now: datetime) -> None:
    check_slots(facts, policy, req)
    check_length(policy, req)
    check_when(policy, req, now)
    check_open(facts, req)
    check_party(facts, policy, platform_percent, req)


def check_slots(facts: Facts, policy: dict, req: BookingRequest) -> None:
    slot = policy["slot_minutes"]
    for instant in (req.start, req.end):
        if instant.second or instant.microsecond or schedule.local_minute(instant, facts.zone) % slot:
            raise RuleBroken(
                f"Bookings start and end on {slot}-minute slots of the local day ({facts.timezone}).",
                {"rule": "slot", "allowed": {"slot_minutes": slot, "timezone": facts.timezone}},
            )


def check_length(policy: dict, req: BookingRequest) -> None:
    minutes = (req.end - req.start).total_seconds() / 60
    low, high = policy["min_minutes"], policy["max_minutes"]
    if not low <= minutes <= high:
        raise RuleBroken(
            f"A booking lasts {low} to {high} minutes; this one lasts {minutes:g}.",
            {"rule": "length", "allowed": {"min_minutes": low, "max_minutes": high}},
        )


def check_when(policy: dict, req: BookingRequest, now: datetime) -> None:
    earliest = now + timedelta(minutes=policy["notice_minutes"])
    if req.start < earliest:
        raise RuleBroken(
            f"Book at least {policy['notice_minutes']} minutes ahead.",
            {"rule": "notice", "allowed": {"notice_minutes": policy["notice_minutes"], "earliest": iso(earliest)}},
        )
    latest = now + timedelta(days=policy["horizon_days"])
    if req.start > latest:
        raise RuleBroken(
            f"Book at most {policy['horizon_days']} days ahead.",
            {"rule": "horizon", "allowed": {"horizon_days": policy["horizon_days"], "latest": iso(latest)}},
        )


def check_open(facts: Facts, req: BookingRequest) -> None:
    """Inside opening hours (merged across midnight), and clear of every closure."""
    day_start = req.start - timedelta(days=1)
    hours = schedule.opening_intervals(facts, day_start, req.end + timedelta(days=1))
    if not schedule.covers(hours, req.start, req.end):
        shown = [
            {"start": iso(s), "end": iso(e)} for s, e in schedule.clip(hours, day_start, req.end + timedelta(days=1))
        ]
        raise RuleBroken(
            "The space is not open for the whole booking.",
            {"rule": "opening_hours", "allowed": {"open": shown, "timezone": facts.timezone}},
        )
    for (start, end), closure in schedule.closure_intervals(facts):
        if start < req.end and req.start < end:
            raise RuleBroken(
                f"The space is closed then: {closure['reason']}.",
                {
                    "rule": "closure",
                    "allowed": {"closed": {"start": iso(start), "end": iso(end), "reason": closure["reason"]}},
                },
            )


def check_party(facts: Facts, policy: dict, platform_percent: int, req: BookingRequest) -> None:
    allowed = largest_party(facts.capacity, policy, platform_percent)
    if req.party_size > allowed:
        raise RuleBroken(
            f"At most {allowed} people may come.", {"rule": "party_size", "allowed": {"max_party_size": allowed}}
        )


def check_quota(active: int, policy: dict) -> None:
    if active >= policy["active_quota"]:
        raise RuleBroken(
            f"You already hold {active} active reservations here; the limit is {policy['active_quota']}.",
            {"rule": "quota", "allowed": {"active_quota": policy["active_quota"]}},
        )


def check_block_free(blocks: list[tuple[datetime, datetime]]) -> None:
    """A program's block takes the slot as a reservation would: a ``Conflict`` (409), which ``rule`` tells apart."""
    if blocks:
        shown = [{"start": iso(s), "end": iso(e), "kind": "block"} for s, e in blocks]
        raise Conflict(
            f"A program holds the space then, from {shown[0]['start']} to {shown[0]['end']}.",
            {"conflicts": shown, "rule": "program_block"},
        )
