"""Several relays over one outbox: each event is published once, none is skipped."""

import threading
import time

import pytest
import sqlalchemy as sa
from kombu import Connection, Exchange, Queue

from chassis import events, messaging
from chassis.relay import EventPublisher, EventsRefused, relay_pending


def test_two_relays_side_by_side_publish_every_event_exactly_once(probe_engine):
    with probe_engine.begin() as conn:
        conn.execute(messaging.outbox.delete())
    with probe_engine.begin() as conn:
        for n in range(40):
            messaging.add_to_outbox(conn, events.envelope("probe", "note.recorded", f"notes/{n}", {"n": n}))

    published, lock = [], threading.Lock()

    def publish(envelopes):
        time.sleep(0.005)  # a broker round trip, so the two relays overlap
        with lock:
            published.extend(envelope["id"] for envelope in envelopes)

    def relay():
        while relay_pending(probe_engine, publish, batch=5):
            pass

    relays = [threading.Thread(target=relay) for _ in range(2)]
    for thread in relays:
        thread.start()
    for thread in relays:
        thread.join()

    assert len(published) == 40
    assert len(set(published)) == 40
    with probe_engine.connect() as conn:
        left = conn.scalar(sa.select(sa.func.count()).where(messaging.outbox.c.published_at.is_(None)))
    assert left == 0


def test_a_failed_publish_leaves_the_batch_unpublished_for_the_next_try(probe_engine):
    with probe_engine.begin() as conn:
        conn.execute(messaging.outbox.delete())
        messaging.add_to_outbox(conn, events.envelope("probe", "note.recorded", "notes/1", {"n": 1}))

    def broker_gone(envelopes):
        raise ConnectionError("no confirm from the broker")

    with pytest.raises(ConnectionError):
        relay_pending(probe_engine, broker_gone)
    sent = []
    assert relay_pending(probe_engine, sent.extend) == 1
    assert len(sent) == 1


@pytest.fixture
def listener(amqp_uri):
    """A queue on ``probe.events`` that takes at most three events and refuses the rest."""
    with Connection(amqp_uri) as conn:
        queue = Queue(
            f"relay-test-{time.time_ns()}",
            Exchange("probe.events", type="topic", durable=True),
            routing_key="note.#",
            auto_delete=True,
            queue_arguments={"x-queue-type": "classic", "x-max-length": 3, "x-overflow": "reject-publish"},
        )
        queue(conn.default_channel).declare()
        yield conn, queue
        queue(conn.default_channel).delete()


def drain(conn, queue) -> list[dict]:
    bound, bodies = queue(conn.default_channel), []
    while (message := bound.get(no_ack=True)) is not None:
        bodies.append(message.decode())
    return bodies


def test_a_batch_is_confirmed_whole_and_a_refused_event_fails_it(amqp_uri, listener):
    conn, queue = listener
    publish = EventPublisher("probe", amqp_uri)
    batch = [events.envelope("probe", "note.recorded", f"notes/{n}", {"n": n}) for n in range(3)]
    publish(batch)
    assert [body["id"] for body in drain(conn, queue)] == [envelope["id"] for envelope in batch]

    publish(batch[:2])  # the queue holds two of three: both are taken and confirmed
    with pytest.raises(EventsRefused):
        publish(batch[2:] * 2)  # the fourth event in the queue is refused, so the batch fails
    assert len(drain(conn, queue)) == 3
    publish(batch[:1])  # the next batch opens a new connection
    assert len(drain(conn, queue)) == 1
    publish.close()
