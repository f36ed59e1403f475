"""The booking rules, time-zone edges included, without any I/O."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chassis.errors import Conflict, Invalid, RuleBroken
from services.reservations.domain import rules, schedule
from services.reservations.domain.policy import DEFAULTS, clean_policy, effective_capacity
from services.reservations.domain.reservation import Reservation
from services.reservations.domain.schedule import Facts

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)  # Monday 09:00 in Seoul
EVENINGS = [{"weekday": d, "opens": "09:00", "closes": "24:00"} for d in range(1, 8)]


def facts(**overrides) -> Facts:
    data = {
        "space_id": str(uuid.uuid4()),
        "status": "published",
        "operators": [str(uuid.uuid4())],
        "capacity": 20,
        "timezone": "Asia/Seoul",
        "opening_hours": EVENINGS,
        "closures": [],
    }
    return Facts(**{**data, **overrides})


def req(start: datetime, hours: float = 1, party: int = 2) -> rules.BookingRequest:
    return rules.BookingRequest(str(uuid.uuid4()), start, start + timedelta(hours=hours), party, "")


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, tzinfo=SEOUL) + timedelta(hours=hour, minutes=minute)


def broken(f: Facts, r, policy=None, platform=100) -> str:
    with pytest.raises(RuleBroken) as caught:
        rules.check_request(f, {**DEFAULTS, **(policy or {})}, platform, r, NOW)
    assert caught.value.extra["allowed"] is not None
    return caught.value.extra["rule"]


def test_a_booking_may_end_at_the_end_of_the_day():
    rules.check_request(facts(), DEFAULTS, 100, req(seoul(5, 23)), NOW)


def test_across_midnight_only_when_both_days_are_open_there():
    all_day = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(1, 8)]
    rules.check_request(facts(opening_hours=all_day), DEFAULTS, 100, req(seoul(5, 23), hours=2), NOW)
    assert broken(facts(), req(seoul(5, 23), hours=2)) == "opening_hours"


def test_a_closure_spanning_midnight_closes_both_sides():
    closure = {"id": "c", "starts_at": "2026-05-05T22:00", "ends_at": "2026-05-06T02:00", "reason": "Works"}
    all_day = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(1, 8)]
    f = facts(opening_hours=all_day, closures=[closure])
    for start in (seoul(5, 23), seoul(6, 1), seoul(5, 21, 30)):
        assert broken(f, req(start)) == "closure"
    rules.check_request(f, DEFAULTS, 100, req(seoul(5, 21)), NOW)
    rules.check_request(f, DEFAULTS, 100, req(seoul(6, 2)), NOW)


def test_slots_are_counted_in_the_spaces_zone():
    assert broken(facts(), req(seoul(5, 10, 15))) == "slot"
    new_york = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(1, 8)]
    f = facts(timezone="America/New_York", opening_hours=new_york)
    start = datetime(2026, 5, 6, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    rules.check_request(f, DEFAULTS, 100, req(start), NOW)


def test_opening_hours_hold_across_a_daylight_saving_change():
    f = facts(timezone="Europe/Berlin", opening_hours=[{"weekday": 7, "opens": "01:00", "closes": "05:00"}])
    # 2026-03-29: clocks go 02:00 → 03:00 in Berlin, so 01:00–04:00 local lasts two hours
    start = datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)
    r = rules.BookingRequest("s", start, start + timedelta(hours=2), 1, "")
    rules.check_open(f, r)
    assert r.end.astimezone(ZoneInfo("Europe/Berlin")).hour == 4


@pytest.mark.parametrize(
    "policy, start, hours, party, rule",
    [
        ({}, (5, 10), 0.5 + 4, 2, "length"),
        ({"min_minutes": 120, "slot_minutes": 60}, (5, 10), 1, 2, "length"),
        ({}, (4, 9, 30), 1, 2, "notice"),
        ({"horizon_days": 1}, (8, 10), 1, 2, "horizon"),
        ({"max_party_size": 3}, (5, 10), 1, 4, "party_size"),
        ({"capacity_percent": 50}, (5, 10), 1, 11, "party_size"),
    ],
)
def test_each_rule(policy, start, hours, party, rule):
    assert broken(facts(), req(seoul(*start), hours, party), policy) == rule


def test_effective_capacity_takes_the_lower_percentage_and_rounds_down():
    assert effective_capacity(15, {"capacity_percent": 80}, 50) == 7
    assert effective_capacity(15, {"capacity_percent": 30}, 50) == 4
    assert effective_capacity(15, {"capacity_percent": 100}, 100) == 15


def test_the_quota():
    rules.check_quota(1, {"active_quota": 2})
    with pytest.raises(RuleBroken) as caught:
        rules.check_quota(2, {"active_quota": 2})
    assert caught.value.extra == {"rule": "quota", "allowed": {"active_quota": 2}}


def test_a_policy_is_cleaned_through_an_allow_list():
    assert clean_policy({"approval": "automatic"})["slot_minutes"] == 30
    with pytest.raises(Invalid) as caught:
        clean_policy({"status": "approved", "slot_minutes": 7, "min_minutes": 30})
    fields = {p["field"] for p in caught.value.extra["errors"]}
    assert fields == {"status"}
    with pytest.raises(Invalid) as caught:
        clean_policy({"slot_minutes": 7, "min_minutes": 35, "max_minutes": 70})
    assert {p["field"] for p in caught.value.extra["errors"]} == {"slot_minutes"}


@pytest.mark.parametrize(
    "data, field",
    [
        ({"space_id": "x"}, "space_id"),
        ({"start": "2026-05-05T10:00"}, "start"),
        ({"end": "2026-05-05T09:00:00+09:00"}, "end"),
        ({"party_size": 0}, "party_size"),
        ({"status": "approved"}, "status"),
    ],
)
def test_a_request_body_is_checked_field_by_field(data, field):
    body = {
        "space_id": str(uuid.uuid4()),
        "start": "2026-05-05T10:00:00+09:00",
        "end": "2026-05-05T11:00:00+09:00",
        "party_size": 2,
        "purpose": "Reading",
        **data,
    }
    with pytest.raises(Invalid) as caught:
        rules.clean_request(body)
    assert caught.value.extra["errors"][0]["field"] == field


def test_schedule_arithmetic():
    a, b, c = seoul(5, 9), seoul(5, 12), seoul(5, 18)
    assert schedule.merge([(b, c), (a, b)]) == [(a, c)]
    assert schedule.subtract([(a, c)], [(b, b + timedelta(hours=1))]) == [(a, b), (b + timedelta(hours=1), c)]


def test_the_lifecycle():
    r = Reservation("r", "s", "c", seoul(5, 10), seoul(5, 11), 2, "", "pending", expires_at=seoul(5, 10))
    r.apply("approve", NOW, by="op")
    assert r.status == "approved"
    with pytest.raises(Conflict):
        r.apply("reject", NOW, reason="late")
    r.apply("cancel", NOW, reason="ill")
    assert (r.status, r.status_reason) == ("cancelled", "ill")


def test_a_request_past_its_time_can_only_expire():
    r = Reservation("r", "s", "c", seoul(5, 10), seoul(5, 11), 2, "", "pending", expires_at=NOW - timedelta(seconds=1))
    with pytest.raises(Conflict):
        r.apply("approve", NOW)
    r.apply("expire", NOW)
    assert r.status == "expired"
