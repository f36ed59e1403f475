"""No double booking, however many press the button at once.

The control first (pretix's rule): without the constraint, concurrent
check-then-insert does double-book, so the tests after it prove something.
"""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from chassis import events
from chassis.errors import Conflict, RuleBroken
from chassis.messaging import outbox
from services.reservations.adapters import booking as booking_repo
from services.reservations.adapters import locks
from services.reservations.domain.reservation import Reservation
from services.reservations.domain.times import iso
from tests.integration.reservations.conftest import an_actor, booking, key, local

RACERS = 50


def _check_then_insert(engine, table: str, space_id: str, barrier: threading.Barrier) -> str:
    """Read that the slot is free, wait for every other thread to have read it too, then insert."""
    start, end = local(3, 10), local(3, 11)
    with engine.connect() as conn:
        with conn.begin():
            taken = conn.scalar(
                sa.text(
                    f"SELECT count(*) FROM {table} WHERE space_id = :s AND status IN ('pending', 'approved') "
                    "AND tstzrange(starts_at, ends_at, '[)') && tstzrange(:a, :b, '[)')"
                ),
                {"s": space_id, "a": start, "b": end},
            )
            barrier.wait(timeout=10)
            if taken:
                return "saw it taken"
            try:
                conn.execute(
                    sa.text(
                        f"INSERT INTO {table} (id, kind, space_id, starts_at, ends_at, status, citizen_id, party_size) "
                        "VALUES (:id, 'reservation', :s, :a, :b, 'pending', :c, 1)"
                    ),
                    {"id": str(uuid.uuid4()), "s": space_id, "a": start, "b": end, "c": str(uuid.uuid4())},
                )
            except (IntegrityError, OperationalError) as error:
                return error.orig.sqlstate
    return "booked"


@pytest.mark.parametrize("table, booked", [("holds_unguarded", 8), ("holds", 1)])
def test_control_without_the_constraint_concurrent_requests_double_book(engine, table, booked):
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS holds_unguarded (LIKE holds INCLUDING DEFAULTS)"))
    space_id, barrier = str(uuid.uuid4()), threading.Barrier(8)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: _check_then_insert(engine, table, space_id, barrier), range(8)))
    assert outcomes.count("booked") == booked
    # two inserts that find each other may also end in a deadlock (40P01), which refuses one of them just the same
    assert outcomes.count("23P01") + outcomes.count("40P01") == 8 - booked


def _call(amqp_uri, barrier, method, *args):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as cluster:
        barrier.wait(timeout=30)
        try:
            return getattr(cluster.reservations, method)(*args)
        except (Conflict, RuleBroken) as error:
            return error


def _race(amqp_uri, calls: list[tuple]) -> list:
    barrier = threading.Barrier(len(calls))
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: _call(amqp_uri, barrier, *call), calls))


def test_fifty_citizens_race_for_one_slot_and_exactly_one_holds_it(rpc, space, amqp_uri, engine):
    s = space()
    body = booking(s, local(3, 10))
    outcomes = _race(amqp_uri, [("request", an_actor(), body, key()) for _ in range(RACERS)])
    winners = [o for o in outcomes if isinstance(o, dict)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == RACERS - 1
    assert all(o.extra["conflicts"] == [{"start": winners[0]["start"], "end": winners[0]["end"]}] for o in losers)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM holds WHERE space_id = :s"), {"s": s["space_id"]}) == 1


def test_concurrent_repeats_of_one_key_make_one_reservation(rpc, space, amqp_uri, engine):
    s, citizen, same = space(), an_actor(), key()
    body = booking(s, local(3, 10))
    outcomes = _race(amqp_uri, [("request", citizen, body, same) for _ in range(10)])
    answers = [o for o in outcomes if isinstance(o, dict)]
    assert answers and all(a == answers[0] for a in answers)
    assert all(o.extra == {"retry_after": 1} for o in outcomes if isinstance(o, Conflict))
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM holds WHERE citizen_id = :c"), {"c": citizen["id"]}) == 1
    assert rpc.request(citizen, body, same) == answers[0]  # once the first is done, a repeat replays it


def test_a_citizens_quota_holds_under_concurrent_requests(rpc, space, amqp_uri, engine):
    s, citizen = space(policy={"active_quota": 2}), an_actor()
    calls = [("request", citizen, booking(s, local(3, 8) + timedelta(hours=2 * i)), key()) for i in range(8)]
    outcomes = _race(amqp_uri, calls)
    assert len([o for o in outcomes if isinstance(o, dict)]) == 2
    assert all(o.extra["rule"] == "quota" for o in outcomes if not isinstance(o, dict))
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM holds WHERE citizen_id = :c"), {"c": citizen["id"]}) == 2


def _insert_overlap(engine, space_id: str, outcome: dict, pid: dict) -> None:
    with engine.connect() as conn:
        try:
            with conn.begin():
                pid["second"] = conn.scalar(sa.text("SELECT pg_backend_pid()"))
                conn.execute(
                    sa.text(
                        "INSERT INTO holds (id, kind, space_id, starts_at, ends_at, status, citizen_id, party_size) "
                        "VALUES (:id, 'reservation', :s, :a, :b, 'pending', :c, 1)"
                    ),
                    {
                        "id": str(uuid.uuid4()),
                        "s": space_id,
                        "a": local(3, 10, 30),
                        "b": local(3, 11, 30),
                        "c": str(uuid.uuid4()),
                    },
                )
            outcome["second"] = "booked"
        except IntegrityError as error:
            outcome["second"] = error.orig.sqlstate


@pytest.mark.parametrize("first_ends_with, second_gets", [("commit", "23P01"), ("rollback", "booked")])
def test_the_second_transaction_waits_for_the_first_then_fails_or_succeeds(engine, first_ends_with, second_gets):
    space_id = str(uuid.uuid4())
    with engine.connect() as first:
        transaction = first.begin()
        first_pid = first.scalar(sa.text("SELECT pg_backend_pid()"))
        first.execute(
            sa.text(
                "INSERT INTO holds (id, kind, space_id, starts_at, ends_at, status, citizen_id, party_size) "
                "VALUES (:id, 'reservation', :s, :a, :b, 'pending', :c, 1)"
            ),
            {"id": str(uuid.uuid4()), "s": space_id, "a": local(3, 10), "b": local(3, 11), "c": str(uuid.uuid4())},
        )
        outcome = _second_waits_for_first(
            engine,
            first_pid,
            lambda o, p: _insert_overlap(engine, space_id, o, p),
            getattr(transaction, first_ends_with),
        )
    assert outcome["second"] == second_gets


def _second_waits_for_first(engine, first_pid: int, second, end_first) -> dict:
    """Run ``second(outcome, pid)`` in a thread, see it wait for the first transaction, end that
    with ``end_first()``, and answer what the second recorded."""
    outcome, pid = {}, {}
    thread = threading.Thread(target=second, args=(outcome, pid))
    thread.start()
    _wait_until_blocked(engine, pid, first_pid)
    assert "second" not in outcome
    end_first()
    thread.join(10)
    return outcome


def _wait_until_blocked(engine, pid: dict, blocker: int) -> None:
    with engine.connect() as conn:
        for _ in range(200):
            if "second" in pid and blocker in conn.scalar(sa.text("SELECT pg_blocking_pids(:p)"), {"p": pid["second"]}):
                return
            threading.Event().wait(0.05)
    raise AssertionError("the second transaction never waited for the first")


def _book(session, space_id: str, start, end) -> bool:
    """The booking's statement for a new citizen, as the use case runs it; True if the reservation went in."""
    r = Reservation(
        id=str(uuid.uuid4()),
        space_id=space_id,
        citizen_id=str(uuid.uuid4()),
        start=start,
        end=end,
        party_size=1,
        purpose="",
        status="pending",
        created_at=local(0, 0),
    )
    answer = booking_repo.Answer(r.citizen_id, str(uuid.uuid4()), "fingerprint", {"id": r.id})
    requested = events.envelope(
        "reservations", "reservation.requested", f"reservations/{r.id}", r.event_data("citizen")
    )
    return booking_repo.book(session, r, 3, answer, [requested], now=local(0, 0)).added


def test_a_booking_writes_its_event_only_with_the_reservation(engine):
    space_id = str(uuid.uuid4())
    with Session(engine) as session:
        assert _book(session, space_id, local(3, 10), local(3, 11))
        assert not _book(session, space_id, local(3, 10, 30), local(3, 11, 30))
        session.commit()
    with engine.connect() as conn:
        written = conn.execute(
            sa.select(outbox.c.type, outbox.c.envelope).where(outbox.c.envelope["data"]["space_id"].astext == space_id)
        ).all()
    assert [(type, envelope["data"]["start"]) for type, envelope in written] == [
        ("reservation.requested", iso(local(3, 10)))
    ]


def _add_overlap(engine, space_id: str, outcome: dict, pid: dict) -> None:
    with Session(engine) as session:
        pid["second"] = session.scalar(sa.text("SELECT pg_backend_pid()"))
        added = _book(session, space_id, local(3, 10, 30), local(3, 11, 30))
        session.commit()
        outcome["second"] = "booked" if added else "nothing"


@pytest.mark.parametrize("first_ends_with, second_gets", [("commit", "nothing"), ("rollback", "booked")])
def test_a_reservations_insert_waits_for_the_first_then_inserts_nothing_or_books(engine, first_ends_with, second_gets):
    """The booking's ``INSERT … ON CONFLICT DO NOTHING``: the same wait, and no error to recover from."""
    space_id = str(uuid.uuid4())
    with Session(engine) as first:
        first_pid = first.scalar(sa.text("SELECT pg_backend_pid()"))
        assert _book(first, space_id, local(3, 10), local(3, 11))
        outcome = _second_waits_for_first(
            engine, first_pid, lambda o, p: _add_overlap(engine, space_id, o, p), getattr(first, first_ends_with)
        )
    assert outcome["second"] == second_gets


def _add_in_rounds(engine, space_id: str, lane: int, rounds: int, barrier: threading.Barrier) -> list[str]:
    """Each round, every lane inserts 90 minutes that overlap both neighbouring lanes' inserts."""
    outcomes = []
    with Session(engine) as session:
        for round_no in range(rounds):
            start = local(3 + round_no, 8) + timedelta(minutes=60 * lane)
            barrier.wait(timeout=30)
            try:
                added = _book(session, space_id, start, start + timedelta(minutes=90))
                session.execute(sa.text("SELECT pg_sleep(0.005)"))  # still in flight while the others check
                session.commit()
                outcomes.append("booked" if added else "nothing")
            except OperationalError as error:
                session.rollback()
                outcomes.append(error.orig.sqlstate)
    return outcomes


def test_overlapping_reservation_inserts_in_flight_never_deadlock(engine):
    """Plain inserts that find each other's rows can deadlock (40P01, see the control above); these cannot."""
    space_id, lanes, rounds = str(uuid.uuid4()), 8, 10
    barrier = threading.Barrier(lanes)
    with ThreadPoolExecutor(lanes) as pool:
        outcomes = [
            o
            for lane in pool.map(lambda n: _add_in_rounds(engine, space_id, n, rounds, barrier), range(lanes))
            for o in lane
        ]
    assert set(outcomes) <= {"booked", "nothing"} and outcomes.count("booked") >= rounds
    with engine.connect() as conn:
        assert (
            conn.scalar(
                sa.text(
                    "SELECT count(*) FROM holds a JOIN holds b ON a.space_id = b.space_id AND a.id < b.id "
                    "AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)') "
                    "WHERE a.space_id = :s"
                ),
                {"s": space_id},
            )
            == 0
        )


def take_citizen_lock(session, citizen_id: str) -> None:
    """What a booking's first look does for a free slot: take the citizen's lock."""
    look = locks.first_look(
        session, citizen_id, key(), str(uuid.uuid4()), local(3, 10), local(3, 11), lock_citizen=True
    )
    assert look == (None, [])  # nothing in the way, so the lock was taken


def _lock_citizen(engine, citizen_id: str, outcome: dict, pid: dict, name: str, hold_seconds: float = 0) -> None:
    with Session(engine) as session:
        pid[name] = session.scalar(sa.text("SELECT pg_backend_pid()"))
        started = time.monotonic()
        try:
            take_citizen_lock(session, citizen_id)
            outcome[name] = "locked"
            time.sleep(hold_seconds)
        except OperationalError as error:
            outcome[name] = error.orig.sqlstate
        outcome[f"{name}_waited"] = time.monotonic() - started


@pytest.mark.parametrize("row", ["new", "existing"])
def test_one_citizens_requests_take_the_citizen_lock_one_at_a_time_and_wait_at_most_2s(engine, row):
    """The engine here sets no ``lock_timeout``: the 2 s come from the locking statement itself."""
    citizen_id, outcome, pid = str(uuid.uuid4()), {}, {}
    if row == "existing":
        with Session(engine) as session:
            take_citizen_lock(session, citizen_id)
            session.commit()
    with Session(engine) as first:
        first_pid = first.scalar(sa.text("SELECT pg_backend_pid()"))
        take_citizen_lock(first, citizen_id)
        second = threading.Thread(target=_lock_citizen, args=(engine, citizen_id, outcome, pid, "second", 3))
        second.start()
        _wait_until_blocked(engine, pid, first_pid)
        first.commit()
    _wait_until(lambda: outcome.get("second") == "locked")
    _lock_citizen(engine, citizen_id, outcome, pid, "third")
    second.join(10)
    assert outcome["third"] == locks.LOCK_NOT_AVAILABLE and 1.9 < outcome["third_waited"] < 2.9


def _wait_until(check) -> None:
    for _ in range(200):
        if check():
            return
        threading.Event().wait(0.05)
    raise AssertionError("never happened")


def test_a_slot_already_taken_is_refused_without_waiting_for_the_citizens_lock(rpc, space, engine):
    """A crowd racing for a slot that is gone gets "taken" at once, not "retry" after a lock wait."""
    s, citizen = space(), an_actor()
    body = booking(s, local(3, 10))
    winner = rpc.request(an_actor(), body, key())
    with Session(engine) as busy:  # another request of this citizen is in flight
        take_citizen_lock(busy, citizen["id"])
        started = time.monotonic()
        with pytest.raises(Conflict) as refused:
            rpc.request(citizen, body, key())
        busy.rollback()
    assert refused.value.extra["conflicts"] == [{"start": winner["start"], "end": winner["end"]}]
    assert time.monotonic() - started < 1.5
