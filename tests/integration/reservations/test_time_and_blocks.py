"""Time-zone edges, availability for one and many spaces, and program blocks."""

from datetime import datetime, timedelta

import pytest

from chassis.errors import Conflict, NotFound, RuleBroken
from tests.integration.reservations.conftest import an_actor, booking, key, local

EVENINGS = [{"weekday": d, "opens": "09:00", "closes": "24:00"} for d in range(1, 8)]


def test_a_booking_may_end_at_midnight_and_bookings_may_touch(rpc, space):
    s = space(opening_hours=EVENINGS, policy={"approval": "automatic"})
    late = rpc.request(an_actor(), booking(s, local(2, 23)), key())
    assert datetime.fromisoformat(late["end"]) == local(3, 0) and late["status"] == "approved"
    for hour in (10, 11, 12):  # back to back: [10, 11) [11, 12) [12, 13)
        assert rpc.request(an_actor(), booking(s, local(2, hour)), key())["status"] == "approved"
    with pytest.raises(Conflict):
        rpc.request(an_actor(), booking(s, local(2, 11, 30)), key())
    with pytest.raises(RuleBroken) as caught:  # past midnight the space is closed until 09:00
        rpc.request(an_actor(), booking(s, local(2, 23, 30)), key())
    assert caught.value.extra["rule"] == "opening_hours"


def test_a_closure_across_midnight(rpc, space):
    night = local(2, 22)
    closure = {
        "id": "7d4c2b52-8a4f-4c1e-9a53-0d5c4f6d2e11",
        "reason": "Floor works",
        "starts_at": night.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (night + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
    }
    s = space(closures=[closure])
    for start in (local(2, 23), local(3, 1), local(2, 21, 30)):  # before, after and across midnight
        with pytest.raises(RuleBroken) as caught:
            rpc.request(an_actor(), booking(s, start), key())
        assert (
            caught.value.extra["rule"] == "closure"
            and caught.value.extra["allowed"]["closed"]["reason"] == "Floor works"
        )
    assert rpc.request(an_actor(), booking(s, local(2, 21)), key())["status"] == "pending"
    assert rpc.request(an_actor(), booking(s, local(3, 2)), key())["status"] == "pending"


def test_availability_shows_open_and_busy_without_personal_data(rpc, space):
    s = space(opening_hours=[{"weekday": d, "opens": "09:00", "closes": "18:00"} for d in range(1, 8)])
    made = rpc.request(an_actor(), booking(s, local(2, 10), purpose="private"), key())
    answer = rpc.availability(s["space_id"], local(2, 0).isoformat(), local(3, 0).isoformat())
    assert [(datetime.fromisoformat(i["start"]), datetime.fromisoformat(i["end"])) for i in answer["open"]] == [
        (local(2, 9), local(2, 18))
    ]
    assert answer["busy"] == [{"start": made["start"], "end": made["end"]}]
    assert "private" not in str(answer) and made["citizen_id"] not in str(answer)
    with pytest.raises(NotFound):
        rpc.availability(space(status="draft")["space_id"], local(2, 0).isoformat(), local(3, 0).isoformat())


def test_free_spaces_leaves_out_busy_and_closed_ones(rpc, space):
    free, busy, shut = space(), space(), space(opening_hours=[])
    rpc.request(an_actor(), booking(busy, local(2, 18)), key())
    ids = [free["space_id"], busy["space_id"], shut["space_id"]]
    answer = rpc.free_spaces(local(2, 18).isoformat(), local(2, 20).isoformat(), ids)
    assert answer["free"] == [free["space_id"]]
    assert sorted(answer["unavailable"]) == sorted([busy["space_id"], shut["space_id"]])
    assert free["space_id"] in rpc.free_spaces(local(2, 18).isoformat(), local(2, 20).isoformat())["free"]


def test_blocks_take_times_all_or_none_and_unblock_frees_them(rpc, space):
    s = space()
    rpc.request(an_actor(), booking(s, local(2, 10)), key())
    sessions = [
        {"start": local(2, 14).isoformat(), "end": local(2, 16).isoformat()},
        {"start": local(2, 9).isoformat(), "end": local(2, 11).isoformat()},
    ]
    with pytest.raises(Conflict) as caught:
        rpc.block(s["operator"], s["space_id"], sessions, "program-1")
    assert caught.value.extra["conflicts"][0]["kind"] == "reservation"
    assert rpc.availability(s["space_id"], local(2, 13).isoformat(), local(2, 17).isoformat())["busy"] == []

    made = rpc.block(s["operator"], s["space_id"], sessions[:1], "program-1")
    assert rpc.block(s["operator"], s["space_id"], sessions[:1], "program-1") == made  # a retry answers the same
    with pytest.raises(Conflict) as caught:  # a program's time is taken, as a reservation's is
        rpc.request(an_actor(), booking(s, local(2, 15)), key())
    assert caught.value.extra["rule"] == "program_block"
    [shown] = caught.value.extra["conflicts"]
    assert shown["kind"] == "block"
    assert (datetime.fromisoformat(shown["start"]), datetime.fromisoformat(shown["end"])) == (
        local(2, 14),
        local(2, 16),
    )
    with pytest.raises(NotFound):
        rpc.unblock(an_actor("operator"), made["id"])
    assert rpc.unblock(s["operator"], made["id"])["status"] == "released"
    assert rpc.request(an_actor(), booking(s, local(2, 15)), key())["status"] == "pending"
