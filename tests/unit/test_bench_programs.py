"""The programs benchmark must publish 5,000 programs: no two of a space may want the same time."""

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest

from bench.program_catalogue import WEEKLY_HOURS, plan_programs
from bench.programs import PROGRAMS

TODAY = date(2026, 12, 3)


def sessions(plan) -> list[tuple[date, int]]:
    """The (day, hour) of each session, expanded as the service expands a weekly pattern."""
    first = plan.first_date + timedelta(days=(plan.weekday - 1 - plan.first_date.weekday()) % 7)
    return [(first + timedelta(weeks=n), plan.hour) for n in range(plan.count)]


@pytest.mark.parametrize("spaces", [417, 540, 599])
def test_no_two_sessions_at_a_space_share_an_hour(spaces):
    held = defaultdict(list)
    for plan in plan_programs(spaces, PROGRAMS, TODAY):
        for day, hour in sessions(plan):
            held[plan.space].append((day, hour))

    assert sum(map(len, held.values())) == sum(p.count for p in plan_programs(spaces, PROGRAMS, TODAY))
    assert all(len(times) == len(set(times)) for times in held.values())


def test_sessions_are_tuesday_to_friday_afternoons_after_the_window_closes():
    for plan in plan_programs(540, PROGRAMS, TODAY):
        days = sessions(plan)
        assert all(day.isoweekday() in (2, 3, 4, 5) and 14 <= hour <= 16 for day, hour in days)
        assert plan.first_date <= days[0][0]  # the window closes on first_date, before the first session
        assert plan.first_date - TODAY >= timedelta(days=8)
        assert all(a < b for a, b in pairwise(days))


def test_too_few_spaces_for_the_programs_is_refused():
    with pytest.raises(ValueError, match="need at least 417 spaces"):
        plan_programs(PROGRAMS // len(WEEKLY_HOURS), PROGRAMS, TODAY)
