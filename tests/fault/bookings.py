"""Citizens booking as a careful client does under faults, and what the platform kept of it.

A client told 503 or 504 (or 409 with ``Retry-After``: the same request still in flight)
tries again with the same ``Idempotency-Key`` until it gets a final answer, as the API
documentation asks.
"""

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import requests
import sqlalchemy as sa
from amqp.exceptions import AMQPError
from kombu import Connection, Exchange, Queue
from kombu.exceptions import KombuError

from tests.support.processes import wait_until
from tests.support.stack import Client

BOOKINGS = 24


def book_through(fault, servers, client: Client, space_id: str, slots: list[tuple[str, str]]) -> str:
    """``BOOKINGS`` citizens book ``slots`` at once, 8 at a time; once 4 have their answer,
    ``fault()`` runs. Every booking must end as a 201 stored once, with one
    ``reservation.requested`` event that reaches a durable subscriber, and no answer on the
    way may be a 500. Returns what the clients saw, for the test's printout."""
    citizens = [client.make_account() for _ in range(BOOKINGS)]
    seen: list = []
    with audit_queue(servers.amqp_uri) as audit, ThreadPoolExecutor(8) as pool:
        answers = [
            pool.submit(book_until_answered, client, citizen, booking(space_id, slot), seen)
            for citizen, slot in zip(citizens, slots, strict=True)
        ]
        wait_until(lambda: sum(answer.done() for answer in answers) >= 4, what="the first bookings")
        started = time.monotonic()
        fault()
        booked = [answer.result() for answer in answers]
        seconds = time.monotonic() - started

        assert 500 not in seen
        assert [answer.status_code for answer in booked] == [201] * BOOKINGS, [a.text for a in booked]
        ids = sorted(answer.json()["id"] for answer in booked)
        engine = servers.engine("reservations")
        try:
            assert reservations_of(engine, space_id) == ids, "a retried booking was stored twice, or one was lost"
            subjects = {f"reservations/{reservation_id}" for reservation_id in ids}
            assert requested_events_of(engine, space_id) == sorted(subjects), "an event is missing or doubled"
        finally:
            engine.dispose()
        received = received_subjects(servers.amqp_uri, audit, subjects)
        assert set(received) == subjects  # repeats may come (at least once); consumers skip them by id
    return (
        f"{BOOKINGS} bookings, answers on the way {dict(Counter(seen))}, all answered {seconds:.1f} s after "
        f"the fault, {len(received) - len(subjects)} events delivered twice"
    )


def retryable(answer: requests.Response | None) -> bool:
    if answer is None:  # the connection itself failed
        return True
    return answer.status_code in (503, 504) or (answer.status_code == 409 and "Retry-After" in answer.headers)


def book_until_answered(
    client: Client, citizen: dict, body: dict, seen: list | None = None, seconds: float = 120
) -> requests.Response:
    """The final answer to one booking, retried with its one key; the last answer if none came in time.
    ``seen`` collects the status of every answer on the way."""
    headers = {**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())}
    deadline = time.monotonic() + seconds
    while True:
        try:
            answer = client.call("POST", "/api/v1/reservations", json=body, headers=headers, timeout=10)
        except requests.RequestException:
            answer = None
        if seen is not None:
            seen.append(answer.status_code if answer is not None else "no answer")
        if not retryable(answer) or time.monotonic() > deadline:
            assert answer is not None, "the gateway never answered"
            return answer
        time.sleep(0.3)


def booking(space_id: str, slot: tuple[str, str]) -> dict:
    return {"space_id": space_id, "start": slot[0], "end": slot[1], "party_size": 2, "purpose": "Study group"}


def reservations_of(engine: sa.Engine, space_id: str) -> list[str]:
    with engine.connect() as conn:
        query = sa.text("SELECT id FROM holds WHERE space_id = :space AND kind = 'reservation'")
        return sorted(str(row_id) for row_id in conn.scalars(query, {"space": space_id}))


def requested_events_of(engine: sa.Engine, space_id: str) -> list[str]:
    """The subjects of the ``reservation.requested`` events in the outbox: one per reservation, or one is doubled."""
    with engine.connect() as conn:
        query = sa.text(
            "SELECT envelope->>'subject' FROM outbox "
            "WHERE type = 'reservation.requested' AND envelope->'data'->>'space_id' = :space"
        )
        return sorted(conn.scalars(query, {"space": space_id}))


@contextmanager
def audit_queue(amqp_uri: str):
    """A durable queue of another city system's, bound to ``reservation.requested``; it outlives a broker crash.

    A classic queue: a single-node quorum queue declared seconds before a SIGKILL came back
    without a leader here (RabbitMQ 3.10), so it never confirmed another event, and the
    relay, which waits for every queue's confirm, stalled behind it."""
    exchange = Exchange("reservations.events", type="topic", durable=True)
    queue = Queue(
        f"audit-{uuid.uuid4().hex[:8]}",
        exchange,
        routing_key="reservation.requested",
        durable=True,
        queue_arguments={"x-queue-type": "classic"},
    )
    with Connection(amqp_uri) as conn:
        queue(conn.default_channel).declare()
    yield queue
    with Connection(amqp_uri) as conn:
        queue(conn.default_channel).delete()


def received_subjects(amqp_uri: str, queue: Queue, expected: set[str], seconds: float = 60) -> list[str]:
    """Every subject that arrives on ``queue`` (repeats included) until all of ``expected`` came, or time is up.

    Like any consumer it reconnects when the broker refuses it: a quorum queue answers
    INTERNAL_ERROR for a moment after its node restarted."""
    received: list[str] = []
    deadline = time.monotonic() + seconds
    while not expected <= set(received) and time.monotonic() < deadline:
        try:
            with Connection(amqp_uri) as conn, conn.SimpleQueue(queue) as subscriber:
                while not expected <= set(received) and time.monotonic() < deadline:
                    try:
                        message = subscriber.get(timeout=1)
                    except subscriber.Empty:
                        continue
                    received.append(message.payload["subject"])
                    message.ack()
        except (OSError, AMQPError, KombuError):
            time.sleep(1)
    return received
