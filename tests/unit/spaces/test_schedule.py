"""Opening hours, closures, and whether a space is open at an instant."""

from datetime import UTC, datetime

import pytest

from chassis.errors import Invalid
from services.spaces.domain.errors import Problems
from services.spaces.domain.schedule import (
    clean_closures,
    clean_opening_hours,
    is_open,
    local_time,
    minute_of_week,
    weekly_minutes,
)
from services.spaces.domain.validation import clean_space
from tests.unit.spaces.factories import space_data


def hours_problems(hours) -> dict:
    problems = Problems()
    clean_opening_hours(hours, problems)
    return {p["field"]: p["message"] for p in problems.items}


def test_an_interval_may_close_at_midnight():
    assert hours_problems([{"weekday": 7, "opens": "18:00", "closes": "24:00"}]) == {}


@pytest.mark.parametrize(
    "interval, field",
    [
        ({"weekday": 0, "opens": "09:00", "closes": "10:00"}, "opening_hours[2].weekday"),
        ({"weekday": 8, "opens": "09:00", "closes": "10:00"}, "opening_hours[2].weekday"),
        ({"weekday": 1, "opens": "9:00", "closes": "10:00"}, "opening_hours[2].opens"),
        ({"weekday": 1, "opens": "09:00", "closes": "24:30"}, "opening_hours[2].closes"),
        ({"weekday": 1, "opens": "21:00", "closes": "20:00"}, "opening_hours[2].closes"),
        ({"weekday": 1, "opens": "21:00", "closes": "21:00"}, "opening_hours[2].closes"),
        ({"weekday": 1, "opens": "24:00", "closes": "24:00"}, "opening_hours[2].opens"),
    ],
)
def test_a_bad_interval_is_named_by_its_position(interval, field):
    hours = [
        {"weekday": 2, "opens": "09:00", "closes": "12:00"},
        {"weekday": 3, "opens": "09:00", "closes": "12:00"},
        interval,
    ]
    assert field in hours_problems(hours)


def test_intervals_of_one_day_must_not_overlap():
    hours = [{"weekday": 1, "opens": "09:00", "closes": "12:00"}, {"weekday": 1, "opens": "11:00", "closes": "14:00"}]
    assert "overlaps" in hours_problems(hours)["opening_hours[1]"]


def test_touching_intervals_do_not_overlap():
    hours = [{"weekday": 1, "opens": "09:00", "closes": "12:00"}, {"weekday": 1, "opens": "12:00", "closes": "14:00"}]
    assert hours_problems(hours) == {}


def test_a_closure_ends_after_it_starts_and_has_a_reason():
    problems = Problems()
    clean_closures([{"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-24T09:00", "reason": ""}], problems)
    fields = {p["field"] for p in problems.items}
    assert fields == {"closures[0].ends_at", "closures[0].reason"}


def test_a_closure_with_an_offset_is_refused():
    with pytest.raises(Invalid) as caught:
        clean_space(
            space_data(closures=[{"starts_at": "2026-12-24T18:00+09:00", "ends_at": "2026-12-25T09:00", "reason": "x"}])
        )
    assert caught.value.extra["errors"][0]["field"] == "closures[0].starts_at"


def test_weekly_minutes_count_from_monday_midnight():
    assert weekly_minutes([{"weekday": 2, "opens": "09:00", "closes": "24:00"}]) == [(1440 + 540, 2880)]


@pytest.mark.parametrize(
    "instant, zone, opens",
    [
        (datetime(2026, 5, 6, 3, 0, 30, tzinfo=UTC), "Asia/Seoul", (3, "12:00")),  # Wednesday noon
        (datetime(2026, 5, 6, 3, 0, 30, tzinfo=UTC), "Europe/Berlin", (3, "05:00")),
        (datetime(2026, 5, 10, 14, 59, tzinfo=UTC), "Asia/Seoul", (7, "23:59")),  # the week's last minute
        (datetime(2026, 5, 10, 15, 0, tzinfo=UTC), "Asia/Seoul", (1, "00:00")),  # and its first
    ],
)
def test_an_instant_falls_on_the_minute_that_weekly_minutes_gives_its_local_time(instant, zone, opens):
    weekday, clock = opens
    ((minute, _),) = weekly_minutes([{"weekday": weekday, "opens": clock, "closes": "24:00"}])
    assert minute_of_week(local_time(instant, zone)) == minute


HOURS = [{"weekday": 3, "opens": "09:00", "closes": "22:00"}, {"weekday": 4, "opens": "00:00", "closes": "10:00"}]
CHRISTMAS_EVE = [{"starts_at": datetime(2026, 12, 23, 21), "ends_at": datetime(2026, 12, 24, 9), "reason": "x"}]


@pytest.mark.parametrize(
    "instant, expected",
    [
        (datetime(2026, 12, 16, 1, 0, tzinfo=UTC), True),  # Wed 10:00 in Seoul
        (datetime(2026, 12, 16, 13, 0, tzinfo=UTC), False),  # Wed 22:00 in Seoul: closes is exclusive
        (datetime(2026, 12, 23, 11, 0, tzinfo=UTC), True),  # Wed 20:00, before the closure
        (datetime(2026, 12, 23, 12, 30, tzinfo=UTC), False),  # Wed 21:30, in the closure
        (datetime(2026, 12, 23, 16, 0, tzinfo=UTC), False),  # Thu 01:00, the closure spans midnight
        (datetime(2026, 12, 24, 0, 30, tzinfo=UTC), True),  # Thu 09:30, after the closure
    ],
)
def test_open_at_judges_in_the_spaces_zone_minus_closures(instant, expected):
    assert is_open(HOURS, CHRISTMAS_EVE, "Asia/Seoul", instant) is expected


def test_the_same_instant_differs_by_zone():
    instant = datetime(2026, 12, 16, 10, 0, tzinfo=UTC)  # Wed 19:00 Seoul, Wed 11:00 Berlin
    assert is_open(HOURS, [], "Asia/Seoul", instant) and is_open(HOURS, [], "Europe/Berlin", instant)
    assert not is_open(HOURS, [], "America/Los_Angeles", instant)  # Wed 02:00
