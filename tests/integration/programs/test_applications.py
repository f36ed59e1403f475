"""Applications: capacity under a rush, the waiting list, promotion, review, the lottery, idempotency."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from chassis.db import UnitOfWork, make_engine
from chassis.errors import Conflict, Invalid
from services.programs.adapters import programs as programs_repo
from services.programs.domain import selection
from services.programs.service_layer import applying
from tests.integration.programs.conftest import a_citizen, iso, key
from tests.integration.reservations.conftest import eventually, local
from tests.support.events import events_about, subscription, validate


@pytest.fixture
def subscriber(amqp_uri, programs_service):
    with subscription(amqp_uri, "programs", "#") as queue:
        yield queue


def test_a_rush_of_200_on_20_places_accepts_exactly_20_and_waitlists_the_rest_in_order(rpc, space, published):
    shown = published(space(), capacity=20)
    replies = [rpc.apply.call_async(a_citizen(), shown["id"], {}, key()) for _ in range(200)]
    answers = [reply.result() for reply in replies]
    accepted = [a for a in answers if a["status"] == "accepted"]
    waiting = [a for a in answers if a["status"] == "waitlisted"]
    assert len(accepted) == 20 and len(waiting) == 180
    assert sorted(a["waitlist_position"] for a in waiting) == list(range(1, 181))
    after = rpc.get(shown["id"])
    assert (after["accepted_count"], after["places_left"], after["waitlist_count"]) == (20, 0, 180)


def _apply_together(engine_url: str, program_id: str, count: int) -> list[str]:
    """``count`` citizens applying at the same instant, in threads of this process; their statuses."""
    engine = make_engine(engine_url, pool_size=count)
    sessions = sessionmaker(engine)
    start, statuses = threading.Barrier(count), []

    def one():
        with UnitOfWork(sessions, "programs") as uow:
            start.wait()
            try:
                statuses.append(applying.apply(uow, a_citizen(), program_id, {}, key(), datetime.now(UTC))["status"])
            except Exception as error:  # without the lock, the database's capacity check may refuse one
                statuses.append(type(error).__name__)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return statuses


def test_control_without_the_program_lock_the_rush_breaks_capacity(database_url, space, published, monkeypatch):
    """This test exists to show that the rush test can fail: with the lock off, places are oversold."""
    monkeypatch.setattr(programs_repo, "LOCK_PROGRAMS", False)
    oversold = False
    for _ in range(5):
        shown = published(space(), capacity=3)
        statuses = _apply_together(database_url("programs"), shown["id"], 20)
        oversold = statuses.count("accepted") > 3 or any(s not in ("accepted", "waitlisted") for s in statuses)
        if oversold:
            break
    assert oversold, "20 simultaneous applications never got past the capacity of 3 without the lock"


def test_with_the_program_lock_the_same_rush_keeps_capacity(database_url, space, published):
    shown = published(space(), capacity=3)
    statuses = _apply_together(database_url("programs"), shown["id"], 20)
    assert sorted(statuses) == ["accepted"] * 3 + ["waitlisted"] * 17


def test_a_withdrawal_promotes_the_head_of_the_waiting_list_and_tells_them(rpc, space, published, subscriber):
    shown = published(space(), capacity=1)
    first, second, third = a_citizen(), a_citizen(), a_citizen()
    taken = rpc.apply(first, shown["id"], {}, key())
    head = rpc.apply(second, shown["id"], {}, key())
    behind = rpc.apply(third, shown["id"], {}, key())
    assert (taken["status"], head["waitlist_position"], behind["waitlist_position"]) == ("accepted", 1, 2)
    assert rpc.withdraw(first, taken["id"])["status"] == "withdrawn"
    assert rpc.get_application(second, head["id"])["status"] == "accepted"
    assert rpc.get_application(third, behind["id"])["waitlist_position"] == 1
    promoted = events_about(subscriber, "application_id", head["id"], 3)
    assert [e["type"] for e in promoted] == ["application.submitted", "application.waitlisted", "application.promoted"]
    assert promoted[-1]["data"]["citizen_id"] == second["id"]
    for event in promoted:
        validate(event)


def test_companions_count_in_capacity_and_a_party_too_big_is_refused(rpc, space, published):
    shown = published(space(), capacity=3, companions=1)
    with pytest.raises(Invalid) as refused:
        rpc.apply(a_citizen(), shown["id"], {"party_size": 3}, key())
    assert refused.value.extra["errors"][0]["field"] == "party_size"
    assert rpc.apply(a_citizen(), shown["id"], {"party_size": 2}, key())["status"] == "accepted"
    assert rpc.apply(a_citizen(), shown["id"], {"party_size": 2}, key())["status"] == "waitlisted"
    assert rpc.apply(a_citizen(), shown["id"], {"party_size": 1}, key())["status"] == "waitlisted", "no queue jumping"


def test_one_active_application_per_citizen_and_only_inside_the_window(rpc, space, published):
    place = space()
    shown = published(place)
    citizen = a_citizen()
    rpc.apply(citizen, shown["id"], {}, key())
    with pytest.raises(Conflict):
        rpc.apply(citizen, shown["id"], {}, key())
    later = published(
        place,
        application_opens=iso(datetime.now(UTC) + timedelta(days=1)),
        sessions=[{"start": iso(local(9, 10)), "end": iso(local(9, 12))}],
    )
    with pytest.raises(Conflict) as refused:
        rpc.apply(citizen, later["id"], {}, key())
    assert "application_opens" in refused.value.extra


def test_the_idempotency_key_replays_refuses_another_body_and_counts_once(rpc, space, published):
    shown = published(space(), capacity=5, companions=2)
    citizen, same = a_citizen(), key()
    first = rpc.apply(citizen, shown["id"], {"note": "twins"}, same)
    assert rpc.apply(citizen, shown["id"], {"note": "twins"}, same) == first
    with pytest.raises(Invalid) as refused:
        rpc.apply(citizen, shown["id"], {"note": "triplets"}, same)
    assert refused.value.extra["errors"][0]["field"] == "Idempotency-Key"
    assert rpc.get(shown["id"])["accepted_count"] == 1


def test_review_keeps_applications_pending_until_the_operator_decides_never_past_capacity(rpc, space, published):
    place = space()
    shown = published(place, capacity=1, selection="review")
    one, two = (rpc.apply(a_citizen(), shown["id"], {}, key()) for _ in range(2))
    assert one["status"] == two["status"] == "pending"
    assert rpc.accept(place["operator"], one["id"])["status"] == "accepted"
    with pytest.raises(Conflict):
        rpc.accept(place["operator"], two["id"])
    rejected = rpc.reject(place["operator"], two["id"], "Full this term")
    assert (rejected["status"], rejected["status_reason"]) == ("rejected", "Full this term")
    stranger = {"id": str(uuid.uuid4()), "role": "operator"}
    with pytest.raises(Exception) as hidden:
        rpc.applicants(stranger, shown["id"])
    assert type(hidden.value).__name__ == "NotFound"


def test_a_lottery_draws_when_the_window_closes_with_a_seed_anyone_can_rerun(rpc, space, published, engine, subscriber):
    place = space()
    closes = datetime.now(UTC) + timedelta(seconds=4)
    shown = published(place, capacity=4, selection="lottery", application_closes=iso(closes))
    applied = [rpc.apply(a_citizen(), shown["id"], {}, key()) for _ in range(10)]
    assert {a["status"] for a in applied} == {"pending"}

    def drawn():
        program = rpc.get(shown["id"])
        assert program["lottery"] is not None
        return program

    lottery = eventually(drawn, timeout=20)["lottery"]
    ids = [a["id"] for a in applied]
    assert lottery["order"] == selection.draw_order(lottery["seed"], ids)
    assert sorted(lottery["order"]) == sorted(ids), "everyone is drawn exactly once"
    statuses = {a["id"]: rpc.get_application({"id": a["citizen_id"], "role": "citizen"}, a["id"]) for a in applied}
    assert [statuses[i]["status"] for i in lottery["order"]] == ["accepted"] * 4 + ["waitlisted"] * 6
    assert [statuses[i]["waitlist_position"] for i in lottery["order"][4:]] == [1, 2, 3, 4, 5, 6]
    announced = events_about(subscriber, "program_id", shown["id"], 1 + 10 + 1 + 10)  # published, submitted, drawn
    event = next(e for e in announced if e["type"] == "program.drawn")
    assert event["data"]["lottery"]["seed"] == lottery["seed"] and event["data"]["accepted"] == lottery["order"][:4]
    for each in announced:
        validate(each)
    with engine.connect() as conn:
        recorded = conn.scalar(sa.text("SELECT lottery->>'seed' FROM programs WHERE id = :id"), {"id": shown["id"]})
    assert recorded == lottery["seed"]
