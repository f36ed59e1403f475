"""A program's block moves in one step: the old times free, the new ones taken, or nothing changes."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy

from chassis.errors import Conflict
from tests.integration.reservations.conftest import an_actor, booking, key, local


def times(*starts: datetime, hours: float = 2) -> list[dict]:
    return [{"start": s.isoformat(), "end": (s + timedelta(hours=hours)).isoformat()} for s in starts]


def a_program() -> str:
    return f"programs/{key()}"


def refused_by_block(rpc, s, start: datetime) -> dict:
    """The conflict a citizen meets booking an hour at ``start``, which a program holds."""
    with pytest.raises(Conflict) as caught:
        rpc.request(an_actor(), booking(s, start), key())
    assert caught.value.extra["rule"] == "program_block"
    return caught.value.extra


def test_a_moved_block_frees_its_old_times_and_takes_the_new(rpc, space):
    s, program = space(), a_program()
    first = rpc.block(s["operator"], s["space_id"], times(local(2, 10), local(3, 10)), program)
    assert first["replaced"] is None

    moved = rpc.block(s["operator"], s["space_id"], times(local(2, 14), local(3, 14)), program)
    assert moved["replaced"] == first["id"] and moved["id"] != first["id"] and moved["status"] == "active"
    for day in (2, 3):
        assert rpc.request(an_actor(), booking(s, local(day, 10)), key())["status"] == "pending"
        refused_by_block(rpc, s, local(day, 14))
    assert rpc.unblock(s["operator"], first["id"])["status"] == "released"  # already released: the same answer
    refused_by_block(rpc, s, local(2, 15))


def test_a_block_may_move_onto_part_of_its_own_times(rpc, space):
    s, program = space(), a_program()
    first = rpc.block(s["operator"], s["space_id"], times(local(2, 10)), program)
    moved = rpc.block(s["operator"], s["space_id"], times(local(2, 10, 30)), program)  # 10:30–12:30 over 10–12
    assert moved["replaced"] == first["id"]
    assert rpc.request(an_actor(), booking(s, local(2, 9, 30)), key())["status"] == "pending"  # 9:30–10:30 is free
    refused_by_block(rpc, s, local(2, 11, 30))


def test_a_move_onto_a_reservation_changes_nothing(rpc, space):
    s, program = space(), a_program()
    first = rpc.block(s["operator"], s["space_id"], times(local(2, 10)), program)
    reserved = rpc.request(an_actor(), booking(s, local(2, 15)), key())

    with pytest.raises(Conflict) as caught:
        rpc.block(s["operator"], s["space_id"], times(local(2, 10, 30), local(2, 14)), program)
    [shown] = caught.value.extra["conflicts"]
    assert shown == {"kind": "reservation", "start": reserved["start"], "end": reserved["end"]}

    refused = refused_by_block(rpc, s, local(2, 10))  # the old block still holds, as it was
    assert [datetime.fromisoformat(c["start"]) for c in refused["conflicts"]] == [local(2, 10)]
    with pytest.raises(Conflict) as caught:  # and so does the reservation
        rpc.request(an_actor(), booking(s, local(2, 15)), key())
    assert "rule" not in caught.value.extra
    assert rpc.block(s["operator"], s["space_id"], times(local(2, 10)), program) == {**first, "replaced": None}


def test_a_move_onto_another_programs_block_changes_nothing(rpc, space):
    s, program = space(), a_program()
    rpc.block(s["operator"], s["space_id"], times(local(2, 10)), program)
    other = rpc.block(s["operator"], s["space_id"], times(local(2, 14)), a_program())
    with pytest.raises(Conflict) as caught:
        rpc.block(s["operator"], s["space_id"], times(local(2, 13)), program)
    assert caught.value.extra["conflicts"] == [{"kind": "block", **other["intervals"][0]}]
    refused_by_block(rpc, s, local(2, 10))


def test_a_retried_move_answers_the_block_it_made(rpc, space):
    s, program = space(), a_program()
    first = rpc.block(s["operator"], s["space_id"], times(local(2, 10)), program)
    moved = rpc.block(s["operator"], s["space_id"], times(local(2, 16)), program)
    again = rpc.block(s["operator"], s["space_id"], times(local(2, 16)), program)
    assert again == moved and again["replaced"] == first["id"]
    assert rpc.request(an_actor(), booking(s, local(2, 10)), key())["status"] == "pending"


def test_a_released_block_is_not_moved_but_made_anew(rpc, space):
    s, program = space(), a_program()
    first = rpc.block(s["operator"], s["space_id"], times(local(2, 10)), program)
    rpc.unblock(s["operator"], first["id"])
    again = rpc.block(s["operator"], s["space_id"], times(local(2, 14)), program)
    assert again["replaced"] is None and again["id"] != first["id"]


def test_moves_of_one_program_at_once_leave_one_block(rpc, space, amqp_uri, engine):
    """Each round moves the program two ways at once; one at a time, the later moves what the earlier made.

    Control: with ``lock_program`` taken out of ``service_layer/blocks.py`` this finds two active
    blocks in the first round or two (both moves release the old block, then each inserts its own).
    """
    s, program = space(), a_program()
    rpc.block(s["operator"], s["space_id"], times(local(2, 0)), program)

    def move(start: datetime) -> None:
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=15) as cluster:
            cluster.reservations.block(s["operator"], s["space_id"], times(start), program)

    for day in range(3, 9):
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(move, [local(day, 4), local(day, 12)]))
        with engine.connect() as conn:
            active = conn.scalar(
                sa.text(
                    "SELECT count(DISTINCT block_id) FROM holds"
                    " WHERE kind = 'block' AND program_ref = :ref AND status = 'approved'"
                ),
                {"ref": program},
            )
        assert active == 1
