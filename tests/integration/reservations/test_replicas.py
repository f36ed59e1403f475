"""Two replicas of the reservations service on one database and one vhost, as production runs them.

The replicas compete on the ``rpc-reservations`` queue; each relays the outbox, where
``FOR UPDATE SKIP LOCKED`` claims a row for one relay, and each runs the expiry timer,
where ``SKIP LOCKED`` gives a due request to one replica. These tests check what a city
system would notice if that were wrong: two winners for one slot, an event missing or
published twice, a request expired twice. Programs joins them once that service exists.
"""

import time
from collections import Counter

import pytest
import sqlalchemy as sa
from kombu import Connection
from kombu.exceptions import ChannelError

from chassis.errors import Conflict, RuleBroken
from chassis.messaging import outbox
from tests.integration.reservations.conftest import an_actor, booking, eventually, key, local
from tests.support.events import subscription
from tests.support.processes import BIN, Process, wait_until

REPLICAS = 2
RACERS = 50
SERVICE = ["nameko", "run", "--config", "services/reservations/config.yaml", "services.reservations.service"]


def rpc_consumers(amqp_uri: str) -> int:
    with Connection(amqp_uri) as conn:
        try:
            return conn.default_channel.queue_declare("rpc-reservations", passive=True).consumer_count
        except ChannelError:  # not declared yet
            return 0


@pytest.fixture(scope="module")
def reservations_service(database_url, amqp_uri):
    """Replaces the package's one-process fixture, so ``rpc`` and ``space`` talk to both replicas.

    Each replica takes at most ``max_workers`` (10) requests at a time off the queue,
    so fifty requests at once are shared by both.
    """
    database_url("reservations")
    env = {"CS_AMQP_URI": amqp_uri, "CS_RESERVATIONS_EXPIRY_SECONDS": "0.5"}
    replicas = []
    try:
        for n in range(1, REPLICAS + 1):
            replicas.append(Process(f"reservations-replica-{n}", [str(BIN / SERVICE[0]), *SERVICE[1:]], env))
        for replica in replicas:
            wait_until(lambda: rpc_consumers(amqp_uri) == REPLICAS, replica, "both replicas to consume", timeout=60)
        yield replicas
    finally:
        for replica in replicas:
            replica.kill()


def race(rpc, calls: list[tuple]) -> list:
    """Every call sent at once, then every answer: a result, or the domain error refusing it
    (any other error fails the test)."""
    pending = [getattr(rpc, method).call_async(*args) for method, *args in calls]
    return [answer(reply) for reply in pending]


def answer(reply):
    try:
        return reply.result()
    except (Conflict, RuleBroken) as error:
        return error


@pytest.fixture
def subscriber(amqp_uri, reservations_service):
    with subscription(amqp_uri, "reservations", "reservation.*") as queue:
        yield queue


def test_fifty_citizens_race_for_one_slot_across_replicas_and_one_wins(rpc, space, reservations_service):
    s = space()
    outcomes = race(rpc, [("request", an_actor(), booking(s, local(3, 10)), key()) for _ in range(RACERS)])
    winners = [o for o in outcomes if isinstance(o, dict)]
    assert len(winners) == 1
    assert len([o for o in outcomes if isinstance(o, Conflict)]) == RACERS - 1  # no other error
    assert all(replica.popen.poll() is None for replica in reservations_service)


def test_every_event_is_published_once_whichever_replica_relays_it(rpc, space, subscriber, engine):
    s = space()
    requests = [("request", an_actor(), booking(s, local(3 + i // 10, 8 + i % 10)), key()) for i in range(40)]
    made = race(rpc, requests)
    decisions = [
        ("approve", s["operator"], r["id"]) if n % 2 else ("reject", s["operator"], r["id"], "Cleaning")
        for n, r in enumerate(made)
    ]
    decided = race(rpc, decisions)
    assert all(isinstance(outcome, dict) for outcome in [*made, *decided])

    by_reservation, repeats = received_changes(subscriber, engine, s["space_id"])
    # Delivery is at least once: a relay that lost its confirm would send a batch again, and
    # consumers skip a repeated id. Nothing fails here, so a repeat would mean two relays sent
    # one row: SKIP LOCKED claiming must leave none.
    assert repeats == 0
    assert by_reservation == {
        r["id"]: Counter(["reservation.requested", "reservation.approved" if n % 2 else "reservation.rejected"])
        for n, r in enumerate(made)
    }


def test_the_expiry_timers_of_both_replicas_expire_each_due_request_once(rpc, space, subscriber, engine):
    s = space()
    made = race(
        rpc,
        [("request", an_actor(), booking(s, local(3, 8 + i // 2, 30 * (i % 2)), hours=0.5), key()) for i in range(30)],
    )
    assert all(isinstance(outcome, dict) for outcome in made)
    with engine.begin() as conn:  # all due at once: both timers (every 0.5 s) find them
        conn.execute(sa.text("UPDATE holds SET expires_at = now() WHERE space_id = :s"), {"s": s["space_id"]})

    def all_expired():
        assert {rpc.get(s["operator"], r["id"])["status"] for r in made} == {"expired"}

    eventually(all_expired, timeout=20)
    by_reservation, repeats = received_changes(subscriber, engine, s["space_id"])
    assert repeats == 0  # as above
    assert by_reservation == {r["id"]: Counter(["reservation.requested", "reservation.expired"]) for r in made}


def received_changes(subscriber, engine, space_id: str) -> tuple[dict[str, Counter], int]:
    """Once every event of the space in the outbox has arrived, and then nothing for a second:
    each reservation's event types (distinct event ids; two relays keep no order between them),
    and how many deliveries repeated an id already received."""
    with engine.connect() as conn:
        expected = {
            str(event_id)
            for event_id in conn.scalars(
                sa.select(outbox.c.event_id).where(outbox.c.envelope["data"]["space_id"].astext == space_id)
            )
        }
    events, repeats = {}, 0
    deadline = time.monotonic() + 20
    while True:
        missing = expected - set(events)
        try:
            message = subscriber.get(timeout=max(deadline - time.monotonic(), 0.1) if missing else 1)
        except subscriber.Empty:
            assert not missing, f"{len(missing)} of {len(expected)} events never arrived"
            break
        message.ack()
        event = message.payload
        if event["data"].get("space_id") == space_id:
            repeats += event["id"] in events
            events[event["id"]] = event
    assert set(events) == expected
    changes: dict[str, Counter] = {}
    for event in events.values():
        changes.setdefault(event["data"]["reservation_id"], Counter())[event["type"]] += 1
    return changes, repeats
