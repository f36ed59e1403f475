"""Whether sessions fit the space: opening hours and closures, in the space's own zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from chassis.errors import Invalid
from services.programs.domain.program import Weekly
from services.programs.domain.schedule import check_fits
from tests.unit.programs.factories import ALL_DAY, space_facts

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(day: int, hour: int, minute: int = 0, length: float = 1) -> tuple[datetime, datetime]:
    """A session on a day of January 2027 in Seoul, as UTC instants (as ``clean`` gives them)."""
    start = datetime(2027, 1, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)
    return start, start + timedelta(hours=length)


def refused(facts, sessions) -> str:
    with pytest.raises(Invalid) as caught:
        check_fits(facts, sessions)
    return caught.value.extra["errors"][0]["field"]


def test_a_session_inside_opening_hours_fits():
    check_fits(space_facts(), [seoul(13, 10, length=2), seoul(13, 17)])  # the second ends at closing time


def test_a_session_after_closing_time_is_refused_by_its_position():
    assert refused(space_facts(), [seoul(13, 10), seoul(13, 19)]) == "sessions[1]"


def test_a_session_running_past_closing_time_is_refused():
    assert refused(space_facts(), [seoul(13, 17, 30)]) == "sessions[0]"


def test_a_session_on_a_closed_weekday_is_refused():
    mondays = [{"weekday": 1, "opens": "09:00", "closes": "18:00"}]
    check_fits(space_facts(opening_hours=mondays), [seoul(11, 10)])  # Monday
    assert refused(space_facts(opening_hours=mondays), [seoul(12, 10)]) == "sessions[0]"  # Tuesday


def test_a_session_may_cross_midnight_when_both_days_are_open():
    check_fits(space_facts(opening_hours=ALL_DAY), [seoul(13, 23, length=2)])


def test_a_day_open_until_24_00_joins_the_next_day_open_from_00_00():
    hours = [{"weekday": 3, "opens": "18:00", "closes": "24:00"}, {"weekday": 4, "opens": "00:00", "closes": "02:00"}]
    check_fits(space_facts(opening_hours=hours), [seoul(13, 22, length=4)])  # Wednesday 22:00 to Thursday 02:00
    assert refused(space_facts(opening_hours=hours), [seoul(13, 22, length=5)]) == "sessions[0]"


def test_a_session_cannot_cross_midnight_into_a_closed_morning():
    evenings = [{"weekday": d, "opens": "18:00", "closes": "24:00"} for d in range(1, 8)]
    check_fits(space_facts(opening_hours=evenings), [seoul(13, 23)])  # ends at 24:00
    assert refused(space_facts(opening_hours=evenings), [seoul(13, 23, length=2)]) == "sessions[0]"


def test_opening_hours_are_read_in_the_spaces_zone():
    new_york = ZoneInfo("America/New_York")
    facts = space_facts(timezone="America/New_York")
    start = datetime(2027, 1, 13, 10, tzinfo=new_york).astimezone(UTC)
    check_fits(facts, [(start, start + timedelta(hours=1))])
    # 10:00 in Seoul is 20:00 the evening before in New York: closed there.
    assert refused(facts, [seoul(13, 10)]) == "sessions[0]"


def test_a_session_during_a_closure_is_refused():
    closure = {"id": "c", "starts_at": "2027-01-13T09:00", "ends_at": "2027-01-13T13:00", "reason": "Works"}
    facts = space_facts(closures=[closure])
    assert refused(facts, [seoul(12, 10), seoul(13, 12, 30)]) == "sessions[1]"
    check_fits(facts, [seoul(13, 13), seoul(12, 10)])  # right after it, and the day before


def test_closures_are_local_times_in_the_spaces_zone():
    # The whole of 13 January in Seoul is 12 January 15:00Z to 13 January 15:00Z.
    closure = {"id": "c", "starts_at": "2027-01-13T00:00", "ends_at": "2027-01-14T00:00", "reason": "Holiday"}
    facts = space_facts(opening_hours=ALL_DAY, closures=[closure])
    assert refused(facts, [seoul(13, 0, 30)]) == "sessions[0]"
    check_fits(facts, [seoul(14, 0)])  # 13 January 15:00Z, already the 14th in Seoul


def test_a_closure_across_midnight_closes_both_sides():
    closure = {"id": "c", "starts_at": "2027-01-13T22:00", "ends_at": "2027-01-14T02:00", "reason": "Works"}
    facts = space_facts(opening_hours=ALL_DAY, closures=[closure])
    for session in (seoul(13, 23), seoul(14, 1), seoul(13, 21, 30)):
        assert refused(facts, [session]) == "sessions[0]"
    check_fits(facts, [seoul(13, 21), seoul(14, 2)])


def test_a_weekly_pattern_expanded_in_the_spaces_zone_fits_its_hours():
    facts = space_facts()
    check_fits(facts, Weekly(3, time(10), time(12), date(2027, 1, 13), 10).expand(facts.zone))
    late = Weekly(3, time(17), time(19), date(2027, 1, 13), 2).expand(facts.zone)
    assert refused(facts, late) == "sessions[0]"
