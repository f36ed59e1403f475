"""A program's fields as an operator writes them: the allow-list, the weekly pattern, the rules."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from chassis.errors import Invalid
from services.programs.domain.program import Weekly, check_capacity, check_shape, check_window, clean
from tests.unit.programs.factories import NOW, program_data, weekly

SEOUL = ZoneInfo("Asia/Seoul")
BERLIN = ZoneInfo("Europe/Berlin")


def refused(call, *args, **kwargs) -> str:
    """The field the ``Invalid`` names."""
    with pytest.raises(Invalid) as caught:
        call(*args, **kwargs)
    return caught.value.extra["errors"][0]["field"]


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def hours_from_now(start: float, length: float = 2) -> tuple[datetime, datetime]:
    begin = NOW + timedelta(hours=start)
    return begin, begin + timedelta(hours=length)


def test_a_valid_program_is_cleaned_to_instants_in_utc():
    fields = clean(program_data(title_en="  Picture-book club  "), creating=True)
    assert fields["title_en"] == "Picture-book club"
    assert fields["sessions"] == [(utc(2027, 1, 13, 1), utc(2027, 1, 13, 3))]
    assert fields["application_closes"] == utc(2027, 1, 9, 15)


@pytest.mark.parametrize("name", ["status", "approved_by", "accepted_count", "id"])
def test_a_field_the_operator_may_not_set_is_refused_by_name(name):
    assert refused(clean, program_data(**{name: "published"}), creating=True) == name


@pytest.mark.parametrize("name", ["space_id", "title_ko", "capacity", "selection", "application_closes", "sessions"])
def test_a_missing_required_field_is_named(name):
    data = program_data()
    del data[name]
    assert refused(clean, data, creating=True) == name


def test_optional_fields_may_be_left_out():
    data = program_data()
    for name in ("description_ko", "description_en", "fee_note", "companions"):
        del data[name]
    assert "companions" not in clean(data, creating=True)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"category": "party"}, "category"),
        ({"audience": "everyone"}, "audience"),
        ({"selection": "random"}, "selection"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"capacity": "20"}, "capacity"),
        ({"companions": 11}, "companions"),
        ({"companions": -1}, "companions"),
        ({"title_ko": "   "}, "title_ko"),
        ({"title_en": "x" * 201}, "title_en"),
        ({"space_id": "not-a-uuid"}, "space_id"),
        ({"application_opens": "2027-01-02T00:00:00"}, "application_opens"),
    ],
)
def test_a_wrong_value_is_named(overrides, field):
    assert refused(clean, program_data(**overrides), creating=True) == field


def test_the_biggest_values_allowed_are_accepted():
    fields = clean(program_data(capacity=10_000, companions=10), creating=True)
    assert (fields["capacity"], fields["companions"]) == (10_000, 10)


def session(start: str, end: str) -> dict:
    return {"start": start, "end": end}


@pytest.mark.parametrize(
    "sessions, field",
    [
        (
            [session("2027-01-13T10:00:00+09:00", "2027-01-13T12:00:00+09:00"), session("2027-01-20T10:00", "x")],
            "sessions[1].start",
        ),
        ([session("2027-01-13T10:00:00+09:00", "tomorrow")], "sessions[0].end"),
        ([{"start": "2027-01-13T10:00:00+09:00"}], "sessions[0]"),
        ([{**session("2027-01-13T10:00:00+09:00", "2027-01-13T12:00:00+09:00"), "n": 1}], "sessions[0]"),
        ([], "sessions"),
        ("every wednesday", "sessions"),
    ],
)
def test_a_wrong_session_is_named_by_its_position(sessions, field):
    assert refused(clean, program_data(sessions=sessions), creating=True) == field


def test_more_than_fifty_sessions_are_refused():
    start = datetime(2027, 2, 1, 10, tzinfo=SEOUL)
    sessions = [
        session((start + timedelta(days=i)).isoformat(), (start + timedelta(days=i, hours=1)).isoformat())
        for i in range(51)
    ]
    assert refused(clean, program_data(sessions=sessions), creating=True) == "sessions"
    assert len(clean(program_data(sessions=sessions[:50]), creating=True)["sessions"]) == 50


@pytest.mark.parametrize(
    "pattern, field",
    [
        (weekly(weekday=0), "sessions.weekday"),
        (weekly(weekday=8), "sessions.weekday"),
        (weekly(weekday="3"), "sessions.weekday"),
        (weekly(count=0), "sessions.count"),
        (weekly(count=51), "sessions.count"),
        (weekly(start_time="9:00"), "sessions.start_time"),
        (weekly(end_time="24:00"), "sessions.end_time"),
        (weekly(end_time="10:00"), "sessions.end_time"),
        (weekly(first_date="13/01/2027"), "sessions.first_date"),
        (weekly(first_date="1999-12-29"), "sessions.first_date"),
        (weekly(every="week"), "sessions.every"),
        ({k: v for k, v in weekly().items() if k != "count"}, "sessions.count"),
    ],
)
def test_a_wrong_weekly_pattern_names_its_field(pattern, field):
    assert refused(clean, program_data(sessions=pattern), creating=True) == field


def test_a_weekly_pattern_is_kept_as_a_pattern_until_the_zone_is_known():
    fields = clean(program_data(sessions=weekly(weekday=1, first_date="2027-01-06", count=3)), creating=True)
    assert fields["sessions"] == Weekly(1, time(10), time(12), date(2027, 1, 6), 3)


def test_an_update_may_not_move_the_program_to_another_space():
    assert refused(clean, {"space_id": program_data()["space_id"]}, creating=False) == "space_id"


def test_an_update_must_change_something():
    assert refused(clean, {}, creating=False) == "body"
    assert refused(clean, ["capacity", 5], creating=False) == "body"


def test_an_update_takes_only_the_fields_it_names():
    assert clean({"capacity": 5}, creating=False) == {"capacity": 5}
    assert refused(clean, {"capacity": 5, "status": "published"}, creating=False) == "status"


def test_a_pattern_starting_on_another_weekday_starts_on_the_next_such_weekday():
    # 2027-01-06 is a Wednesday; the first Monday on or after it is 2027-01-11.
    days = [start.date() for start, _ in Weekly(1, time(10), time(12), date(2027, 1, 6), 3).expand(SEOUL)]
    assert days == [date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25)]


def test_a_pattern_starting_on_its_weekday_starts_that_day():
    sessions = Weekly(3, time(10), time(12), date(2027, 1, 6), 50).expand(SEOUL)
    assert len(sessions) == 50
    assert sessions[0][0].date() == date(2027, 1, 6)


def test_a_pattern_in_seoul_gives_the_instants_nine_hours_earlier_in_utc():
    sessions = Weekly(3, time(10), time(12), date(2027, 1, 13), 2).expand(SEOUL)
    assert sessions == [(utc(2027, 1, 13, 1), utc(2027, 1, 13, 3)), (utc(2027, 1, 20, 1), utc(2027, 1, 20, 3))]


def test_a_pattern_keeps_its_local_time_across_a_daylight_saving_change():
    # Berlin moves its clocks 02:00 → 03:00 on Sunday 2027-03-28: 10:00 local is 09:00Z, then 08:00Z.
    sessions = Weekly(7, time(10), time(11), date(2027, 3, 21), 2).expand(BERLIN)
    assert [start.astimezone(UTC) for start, _ in sessions] == [utc(2027, 3, 21, 9), utc(2027, 3, 28, 8)]
    assert [start.astimezone(BERLIN).hour for start, _ in sessions] == [10, 10]


def test_an_overnight_pattern_ends_the_next_day():
    [(start, end)] = Weekly(5, time(22), time(1), date(2027, 1, 15), 1).expand(SEOUL)
    assert (start, end) == (datetime(2027, 1, 15, 22, tzinfo=SEOUL), datetime(2027, 1, 16, 1, tzinfo=SEOUL))
    assert end - start == timedelta(hours=3)


def test_sessions_come_back_sorted_by_start():
    late, early = hours_from_now(48), hours_from_now(24)
    assert check_shape([late, early], NOW) == [early, late]


def test_a_session_may_last_twelve_hours_but_not_thirteen():
    check_shape([hours_from_now(24, 12)], NOW)
    assert refused(check_shape, [hours_from_now(24, 13)], NOW) == "sessions[0].end"


def test_a_session_must_end_after_it_starts():
    assert refused(check_shape, [hours_from_now(24, 0)], NOW) == "sessions[0].end"


def test_overlapping_sessions_name_the_later_one():
    sessions = [hours_from_now(24), hours_from_now(48), hours_from_now(49)]
    assert refused(check_shape, sessions, NOW) == "sessions[2].start"
    assert (
        refused(check_shape, [hours_from_now(49), hours_from_now(24), hours_from_now(48)], NOW) == "sessions[0].start"
    )


def test_sessions_that_touch_do_not_overlap():
    check_shape([hours_from_now(24), hours_from_now(26)], NOW)


def test_a_session_in_the_past_or_starting_now_is_refused_named_as_sent():
    assert refused(check_shape, [hours_from_now(24), hours_from_now(-1)], NOW) == "sessions[1].start"
    assert refused(check_shape, [hours_from_now(0)], NOW) == "sessions[0].start"


def test_more_than_fifty_sessions_are_refused_once_expanded():
    sessions = [hours_from_now(24 * (i + 1)) for i in range(51)]
    assert refused(check_shape, sessions, NOW) == "sessions"
    assert len(check_shape(sessions[:50], NOW)) == 50


def test_a_weekly_session_over_the_autumn_change_that_lasts_thirteen_hours_is_refused():
    # Berlin moves its clocks 03:00 → 02:00 on Sunday 2027-10-31: Saturday 20:00 to Sunday 08:00
    # local reads as twelve hours on the wall but lasts thirteen.
    sessions = Weekly(6, time(20), time(8), date(2027, 10, 30), 1).expand(BERLIN)
    assert refused(check_shape, sessions, NOW) == "sessions[0].end"


def test_a_weekly_session_over_the_spring_change_that_lasts_eleven_and_a_half_hours_is_accepted():
    # Berlin moves its clocks 02:00 → 03:00 on Sunday 2027-03-28: Saturday 20:00 to Sunday 08:30
    # local reads as twelve and a half hours on the wall but lasts eleven and a half.
    check_shape(Weekly(6, time(20), time(8, 30), date(2027, 3, 27), 1).expand(BERLIN), NOW)


def test_the_window_must_open_before_it_closes():
    first = utc(2027, 2, 1)
    assert refused(check_window, utc(2027, 1, 10), utc(2027, 1, 5), first, NOW) == "application_closes"
    assert refused(check_window, utc(2027, 1, 10), utc(2027, 1, 10), first, NOW) == "application_closes"


def test_the_window_must_close_in_the_future():
    assert refused(check_window, utc(2026, 12, 1), utc(2026, 12, 31), utc(2027, 2, 1), NOW) == "application_closes"


def test_the_window_closes_no_later_than_the_first_session():
    first = utc(2027, 2, 1)
    assert refused(check_window, utc(2027, 1, 2), first + timedelta(minutes=1), first, NOW) == "application_closes"
    check_window(utc(2027, 1, 2), first, first, NOW)
    check_window(utc(2026, 12, 1), utc(2027, 1, 10), first, NOW)  # a window already open is fine


def test_capacity_cannot_drop_below_the_places_already_accepted():
    assert refused(check_capacity, 11, 12) == "capacity"
    check_capacity(12, 12)
