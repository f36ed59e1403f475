"""Suspension is immediate: once ``refresh_space`` has answered, as the gateway's suspend route
waits for it, the space takes no booking and none made before stays active; after a
reinstatement it takes bookings at once.

The spaces service runs here with its outbox relay off, so no ``space.*`` event reaches the
reservations service: whatever it knows of a change, it learnt from ``refresh_space``. The
controls first: a booking that read the facts without locking them outlives the suspension,
so the interleaving tests after them prove something.
"""

import itertools
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy.orm import Session, sessionmaker

from chassis import events
from chassis.db import UnitOfWork
from chassis.errors import Conflict, Forbidden, NotFound
from services.reservations.adapters import booking as booking_repo
from services.reservations.adapters import facts as facts_repo
from services.reservations.domain.reservation import Reservation
from services.reservations.service_layer import facts as facts_service
from tests.integration.reservations.conftest import an_actor, booking, eventually, key, local, space_facts
from tests.integration.spaces.conftest import admin, operator, published, spaces  # noqa: F401
from tests.support.events import publish
from tests.support.processes import start_service

ALL_DAY = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(1, 8)]
ACTIVE = sa.text(
    "SELECT count(*) FROM holds WHERE space_id = :s AND status IN ('pending', 'approved') AND ends_at > now()"
)


@pytest.fixture(scope="module")
def spaces_service(database_url, amqp_uri):
    """The spaces service without its outbox relay: its events stay in its outbox."""
    database_url("spaces")
    process = start_service(
        "spaces",
        "services.spaces.service",
        "services/spaces/config.yaml",
        env={"CS_AMQP_URI": amqp_uri, "CS_OUTBOX_RELAY": "false"},
    )
    yield process
    process.kill()


# --- the controls: the facts row, locked FOR SHARE or read plainly, against a suspension --------


def _read_facts(session, space_id: str, read: str) -> str:
    """The status a booking reads: through its terms' statement (``FOR SHARE``), or plainly."""
    if read == "for share":
        return facts_repo.booking_terms(session, space_id, str(uuid.uuid4()), key()).facts.status
    return facts_repo.get_facts(session, space_id).status


def _book(session, space_id: str) -> bool:
    r = Reservation(
        id=str(uuid.uuid4()),
        space_id=space_id,
        citizen_id=str(uuid.uuid4()),
        start=local(3, 10),
        end=local(3, 11),
        party_size=1,
        purpose="",
        status="pending",
        created_at=datetime.now(UTC),
    )
    answer = booking_repo.Answer(r.citizen_id, key(), "fingerprint", {"id": r.id})
    requested = events.envelope(
        "reservations", "reservation.requested", f"reservations/{r.id}", r.event_data("citizen")
    )
    return booking_repo.book(session, r, 3, answer, [requested], datetime.now(UTC)).added


def _published_facts(engine) -> dict:
    data = space_facts(opening_hours=ALL_DAY)
    with Session(engine) as session:
        facts_repo.store_facts(session, data, datetime.now(UTC) - timedelta(minutes=1))
        session.commit()
    return data


def _suspend(engine, data: dict, outcome: dict, pid: dict, started: threading.Event | None = None) -> None:
    """The cascade as an event or ``refresh_space`` runs it, on its own connection."""
    with UnitOfWork(sessionmaker(engine), "reservations") as uow:
        pid["second"] = uow.session.scalar(sa.text("SELECT pg_backend_pid()"))
        suspended = {**data, "status": "suspended", "status_reason": "Safety check"}
        outcome["cancelled"] = facts_service.apply_facts(uow, suspended, datetime.now(UTC), datetime.now(UTC))
        if started is not None:  # hold the change uncommitted until told
            started.set()
            outcome["commit"].wait(10)
        uow.commit()


def _wait_until_blocked(engine, pid: dict, blocker: int) -> None:
    with engine.connect() as conn:
        for _ in range(200):
            if "second" in pid and blocker in conn.scalar(sa.text("SELECT pg_blocking_pids(:p)"), {"p": pid["second"]}):
                return
            time.sleep(0.05)
    raise AssertionError("the second transaction never waited for the first")


def _active(engine, space_id: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(ACTIVE, {"s": space_id})


@pytest.mark.parametrize("read, left_active", [("plain", 1), ("for share", 0)])
def test_control_a_booking_that_read_the_facts_before_the_suspension_is_cancelled_only_if_it_locked_them(
    engine, read, left_active
):
    """The booking reads "published"; the suspension's cascade runs; then the booking inserts and commits."""
    data = _published_facts(engine)
    outcome, pid = {}, {}
    with Session(engine) as booking_session:
        first_pid = booking_session.scalar(sa.text("SELECT pg_backend_pid()"))
        assert _read_facts(booking_session, data["space_id"], read) == "published"
        cascade = threading.Thread(target=_suspend, args=(engine, data, outcome, pid))
        cascade.start()
        if read == "for share":
            _wait_until_blocked(engine, pid, first_pid)  # the change waits for the booking
        else:
            cascade.join(10)  # nothing stops it: it looked for what to cancel and found nothing
            assert outcome["cancelled"] == 0
        assert _book(booking_session, data["space_id"])
        booking_session.commit()
    cascade.join(10)
    assert outcome["cancelled"] == 1 - left_active
    assert _active(engine, data["space_id"]) == left_active


@pytest.mark.parametrize("read, status_seen", [("plain", "published"), ("for share", "suspended")])
def test_control_a_booking_that_reads_the_facts_during_the_suspension_sees_it_only_if_it_locks_them(
    engine, read, status_seen
):
    """The suspension has stored its facts but not committed; then a booking reads them."""
    data = _published_facts(engine)
    started, outcome, pid = threading.Event(), {"commit": threading.Event()}, {}
    cascade = threading.Thread(target=_suspend, args=(engine, data, outcome, pid, started))
    cascade.start()
    assert started.wait(10)
    with Session(engine) as booking_session:
        if read == "for share":
            reader = {}
            second = threading.Thread(
                target=lambda: reader.update(status=_read_facts(booking_session, data["space_id"], read))
            )
            pid_of_booking = booking_session.scalar(sa.text("SELECT pg_backend_pid()"))
            second.start()
            _wait_until_blocked(engine, {"second": pid_of_booking}, pid["second"])
            outcome["commit"].set()
            second.join(10)
            seen = reader["status"]
        else:
            seen = _read_facts(booking_session, data["space_id"], read)
            outcome["commit"].set()
        booking_session.rollback()
    cascade.join(10)
    assert seen == status_seen


# --- refresh_space through the real services ------------------------------------------------


@pytest.fixture
def known(published, rpc, admin):  # noqa: F811
    """``known(**overrides)``: a published space, taken in by the reservations service."""

    def make(**overrides):
        space = published(opening_hours=ALL_DAY, **overrides)
        assert rpc.refresh_space(admin, space["id"])["status"] == "published"
        return {"space_id": space["id"], **space}

    return make


def test_suspending_cancels_at_once_and_refuses_bookings_reinstating_takes_them_at_once(
    rpc,
    spaces,  # noqa: F811
    known,
    admin,  # noqa: F811
    operator,  # noqa: F811
    engine,
):
    space = known()
    pending = rpc.request(an_actor(), booking(space, local(2, 10)), key())
    approved = rpc.approve(operator, rpc.request(an_actor(), booking(space, local(2, 12)), key())["id"])["id"]

    spaces.suspend(admin, space["id"], "Safety check")
    assert rpc.refresh_space(admin, space["id"]) == {"space_id": space["id"], "status": "suspended", "cancelled": 2}
    for reservation_id in (pending["id"], approved):
        got = rpc.get(operator, reservation_id)
        assert (got["status"], got["status_reason"]) == ("cancelled", "The space was suspended: Safety check")
    with pytest.raises(Conflict) as refused:
        rpc.request(an_actor(), booking(space, local(2, 14)), key())
    assert refused.value.extra["status"] == "suspended"
    assert rpc.refresh_space(admin, space["id"])["cancelled"] == 0  # safe to repeat

    spaces.reinstate(admin, space["id"])
    assert rpc.refresh_space(admin, space["id"])["status"] == "published"
    assert rpc.request(an_actor(), booking(space, local(2, 14)), key())["status"] == "pending"


def test_the_suspensions_event_arriving_after_the_reinstatement_changes_nothing(
    rpc,
    spaces,  # noqa: F811
    known,
    admin,  # noqa: F811
    amqp_uri,
    engine,
    database_url,
):
    space = known()
    spaces.suspend(admin, space["id"], "Safety check")
    rpc.refresh_space(admin, space["id"])
    spaces.reinstate(admin, space["id"])
    rpc.refresh_space(admin, space["id"])

    late = _outbox_event(database_url, space["id"], "space.suspended")
    publish(amqp_uri, "spaces", late)
    eventually(lambda: _handled(engine, f"{late['source']}#{late['id']}"))
    assert rpc.request(an_actor(), booking(space, local(2, 10)), key())["status"] == "pending"


def _outbox_event(database_url, space_id: str, event_type: str) -> dict:
    spaces_db = sa.create_engine(database_url("spaces"))
    try:
        with spaces_db.connect() as conn:
            return conn.scalar(
                sa.text("SELECT envelope FROM outbox WHERE envelope->>'subject' = :subject AND type = :type"),
                {"subject": f"spaces/{space_id}", "type": event_type},
            )
    finally:
        spaces_db.dispose()


def _handled(engine, event_id: str) -> None:
    """``event_id`` as the inbox keys it: ``<source>#<id>``."""
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM inbox WHERE event_id = :id"), {"id": event_id}) == 1


def test_closing_cancels_at_once_and_refuses_bookings(
    rpc,
    spaces,  # noqa: F811
    known,
    operator,  # noqa: F811
):
    space = known()
    pending = rpc.request(an_actor(), booking(space, local(2, 10)), key())
    spaces.close(operator, space["id"], "The lease ended")
    assert rpc.refresh_space(operator, space["id"])["cancelled"] == 1
    assert rpc.get(operator, pending["id"])["status_reason"] == "The space was closed: The lease ended"
    with pytest.raises(Conflict):
        rpc.request(an_actor(), booking(space, local(2, 12)), key())


def test_only_the_spaces_operators_and_administrators_may_refresh_it(rpc, known):
    space = known()
    with pytest.raises(Forbidden):
        rpc.refresh_space(an_actor("citizen"), space["id"])
    with pytest.raises(NotFound):
        rpc.refresh_space(an_actor("operator"), space["id"])
    with pytest.raises(NotFound):
        rpc.refresh_space(an_actor("admin"), str(uuid.uuid4()))


# --- bookings interleaved with suspensions and reinstatements --------------------------------

BOOKERS = 4
ROUNDS = 3


def _book_until(amqp_uri, space, next_slot, stop: threading.Event) -> list[tuple]:
    """Book new slots as new citizens until ``stop``: each ``(sent, answered, outcome)``."""
    outcomes = []
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as cluster:
        while not stop.is_set():
            sent = time.monotonic()
            try:
                outcome = cluster.reservations.request(an_actor(), booking(space, next_slot(), hours=0.5), key())
            except Conflict as error:
                outcome = error
            outcomes.append((sent, time.monotonic(), outcome))
    return outcomes


def test_bookings_interleaved_with_suspensions_none_outlives_one_and_reinstating_takes_them_at_once(
    rpc,
    spaces,  # noqa: F811
    known,
    admin,  # noqa: F811
    amqp_uri,
    engine,
):
    space = known()
    half_hours = (local(2 + n // 40, 2) + timedelta(minutes=30 * (n % 40)) for n in itertools.count())
    lock = threading.Lock()

    def next_slot():
        with lock:
            return next(half_hours)

    stop, windows = threading.Event(), []
    with ThreadPoolExecutor(BOOKERS) as pool:
        bookers = [pool.submit(_book_until, amqp_uri, space, next_slot, stop) for _ in range(BOOKERS)]
        for _ in range(ROUNDS):
            time.sleep(0.5)
            spaces.suspend(admin, space["id"], "Safety check")
            rpc.refresh_space(admin, space["id"])
            suspended = time.monotonic()
            assert _active(engine, space["id"]) == 0  # what was accepted before is cancelled
            time.sleep(0.5)
            assert _active(engine, space["id"]) == 0  # and nothing was accepted since
            reinstating = time.monotonic()
            spaces.reinstate(admin, space["id"])
            rpc.refresh_space(admin, space["id"])
            windows.append((suspended, reinstating))
            assert rpc.request(an_actor(), booking(space, next_slot(), hours=0.5), key())["status"] == "pending"
        stop.set()
        outcomes = [o for booker in bookers for o in booker.result()]

    accepted = [(sent, answered) for sent, answered, o in outcomes if isinstance(o, dict)]
    refused = [o for _, _, o in outcomes if isinstance(o, Conflict)]
    assert accepted and refused and all(o.extra.get("status") == "suspended" for o in refused)
    assert not [a for a in accepted for start, end in windows if start <= a[0] and a[1] <= end]
    with engine.connect() as conn:
        cancelled = conn.scalar(
            sa.text("SELECT count(*) FROM holds WHERE space_id = :s AND status_reason LIKE 'The space was suspended%'"),
            {"s": space["space_id"]},
        )
    assert cancelled > 0
