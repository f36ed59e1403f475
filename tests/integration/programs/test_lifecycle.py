"""A program's life against the real reservations service: publish takes the space's time, a
taken slot refuses it, a move and a cancel give the time back."""

from datetime import UTC

import pytest

from chassis.errors import Conflict, Invalid
from tests.integration.programs.conftest import a_citizen, iso, key, program_data
from tests.integration.reservations.conftest import booking, eventually, local, publish_space_event


def test_publishing_blocks_every_session_and_a_reservation_over_one_is_refused(rpc, reservations, space, published):
    place = space()
    shown = published(place)
    assert shown["status"] == "published" and shown["block_id"] and shown["step"] is None
    with pytest.raises(Conflict):
        reservations.request(a_citizen(), booking(place, local(14, 19, 30), hours=1), key())
    outside = reservations.request(a_citizen(), booking(place, local(14, 17), hours=1), key())
    assert outside["status"] in ("pending", "approved")


def test_a_taken_slot_refuses_the_publish_naming_the_session_and_blocks_nothing(
    rpc, reservations, space, program, reservations_engine
):
    place = space()
    reservations.request(a_citizen(), booking(place, local(14, 20), hours=1), key())
    draft = program(place)
    with pytest.raises(Conflict) as refused:
        rpc.publish(place["operator"], draft["id"])
    assert [c["n"] for c in refused.value.extra["conflicts"]] == [2]
    assert rpc.get_for_actor(place["operator"], draft["id"])["status"] == "draft"
    free = reservations.request(a_citizen(), booking(place, local(7, 19), hours=2), key())
    assert free["status"] in ("pending", "approved"), "session 1's time must not stay blocked"


def test_a_weekly_pattern_is_expanded_in_the_space_zone(rpc, space, program):
    place = space()
    first = local(9, 0).date()
    draft = program(
        place,
        sessions={
            "weekday": first.isoweekday(),
            "start_time": "10:00",
            "end_time": "12:00",
            "first_date": str(first),
            "count": 4,
        },
    )
    assert [s["start"] for s in draft["sessions"]] == [
        local(9 + 7 * w, 10).astimezone(UTC).isoformat() for w in range(4)
    ]


def test_bad_programs_are_refused_naming_the_field(rpc, space):
    place = space(opening_hours=[{"weekday": d, "opens": "09:00", "closes": "18:00"} for d in range(1, 8)])
    operator = place["operator"]
    cases = {
        "sessions[0]": {"sessions": [{"start": iso(local(8, 19)), "end": iso(local(8, 20))}]},
        "application_closes": {"application_opens": iso(local(3, 0)), "application_closes": iso(local(2, 0))},
        "capacity": {"capacity": 0},
        "sessions": {"sessions": [{"start": iso(local(8 + d, 10)), "end": iso(local(8 + d, 11))} for d in range(51)]},
        "category": {"category": "party"},
    }
    for field, change in cases.items():
        data = program_data(place, **{"sessions": [{"start": iso(local(8, 10)), "end": iso(local(8, 12))}], **change})
        try:
            made = rpc.create(operator, data)
        except Invalid as refused:
            assert refused.extra["errors"][0]["field"] == field, (field, refused.extra)
        else:
            pytest.fail(f"{field}: a program was made with {made}")


def test_moving_sessions_moves_the_block_and_frees_the_old_time(rpc, reservations, space, published):
    place = space()
    shown = published(place)
    moved = [{"start": iso(local(8 + 7 * w, 10)), "end": iso(local(8 + 7 * w, 12))} for w in range(3)]
    changed = rpc.update(place["operator"], shown["id"], {"sessions": moved})
    assert [s["start"] for s in changed["sessions"]] == [
        local(8 + 7 * w, 10).astimezone(UTC).isoformat() for w in range(3)
    ]
    assert changed["block_id"] != shown["block_id"]
    assert reservations.request(a_citizen(), booking(place, local(7, 19), hours=2), key())["status"]
    with pytest.raises(Conflict):
        reservations.request(a_citizen(), booking(place, local(8, 10), hours=1), key())


def test_a_move_onto_a_reserved_slot_changes_nothing(rpc, reservations, space, published):
    place = space()
    shown = published(place)
    reservations.request(a_citizen(), booking(place, local(8, 10), hours=1), key())
    with pytest.raises(Conflict) as refused:
        rpc.update(
            place["operator"],
            shown["id"],
            {"sessions": [{"start": iso(local(8, 10)), "end": iso(local(8, 12))}], "title_en": "Renamed"},
        )
    assert refused.value.extra["conflicts"][0]["n"] == 1
    after = rpc.get_for_actor(place["operator"], shown["id"])
    assert after["sessions"] == shown["sessions"] and after["title_en"] == shown["title_en"]
    with pytest.raises(Conflict):
        reservations.request(a_citizen(), booking(place, local(7, 19), hours=1), key())


def test_cancelling_releases_the_time_and_cancels_every_application(rpc, reservations, space, published):
    place = space()
    shown = published(place)
    citizen = a_citizen()
    applied = rpc.apply(citizen, shown["id"], {}, key())
    cancelled = rpc.cancel(place["operator"], shown["id"], "The instructor is ill")
    assert cancelled["status"] == "cancelled" and cancelled["block_id"] is None
    assert rpc.get_application(citizen, applied["id"])["status"] == "cancelled"
    assert reservations.request(a_citizen(), booking(place, local(7, 19), hours=2), key())["status"]


def test_a_suspended_space_cancels_its_programs_and_releases_their_time(rpc, reservations, space, published, amqp_uri):
    place = space()
    shown = published(place)
    facts = {k: v for k, v in place.items() if k != "operator"}
    publish_space_event(amqp_uri, "space.suspended", {**facts, "status": "suspended", "status_reason": "Safety check"})

    def cancelled():
        after = rpc.get_for_actor(place["operator"], shown["id"])
        assert after["status"] == "cancelled" and after["block_id"] is None, after
        return after

    assert "Safety check" in eventually(cancelled)["status_reason"]
