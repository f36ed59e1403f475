"""The event mechanisms, through a real service process, PostgreSQL and RabbitMQ."""

import signal

import pytest
import sqlalchemy as sa
from kombu import Connection, Queue

from chassis import broker, events, messaging
from chassis.broker import vhost_of
from tests.support import probe_service
from tests.support.events import messages_in, publish, subscription, validate
from tests.support.processes import wait_until
from tests.support.rabbitmqctl import rabbitmqctl


@pytest.fixture
def subscriber(amqp_uri):
    """A queue of the test's own, bound to the probe's events as another city system would."""
    with subscription(amqp_uri, "probe", "note.*") as queue:
        yield queue


def publish_raw(amqp_uri: str, event: dict) -> None:
    publish(amqp_uri, "probe", event)


def outbox_row(engine, event_id: str):
    with engine.connect() as conn:
        return conn.execute(sa.select(messaging.outbox).where(messaging.outbox.c.event_id == event_id)).one()


def test_an_event_committed_before_a_crash_is_published_after_restart(start_probe, rpc, probe_engine, subscriber):
    crashing = start_probe(relay=False)  # commits, but never gets to publish
    recorded = rpc.probe.record("written just before the crash")
    crashing.kill(signal.SIGKILL)
    assert outbox_row(probe_engine, recorded["event_id"]).published_at is None

    start_probe(relay=True)
    message = subscriber.get(timeout=20)
    message.ack()

    assert message.payload["id"] == recorded["event_id"]
    assert message.payload["data"] == {"note_id": recorded["note_id"], "text": "written just before the crash"}
    validate(message.payload)
    # marked published once the broker confirms it, which may be a moment after it is delivered
    wait_until(lambda: outbox_row(probe_engine, recorded["event_id"]).published_at is not None, what="the mark")


def test_an_event_delivered_twice_has_one_effect(probe, amqp_uri, probe_engine):
    event = events.envelope("probe", "note.recorded", "notes/0", {"note_id": 0, "text": "twice"})
    publish_raw(amqp_uri, event)
    publish_raw(amqp_uri, event)

    handler_queue = "evt-probe-note.recorded--probe.on_note_recorded"
    wait_until(lambda: messages_in(amqp_uri, handler_queue) == 0, what="both deliveries to be processed")
    with probe_engine.connect() as conn:
        done = conn.scalar(
            sa.select(sa.func.count())
            .select_from(probe_service.effects)
            .where(probe_service.effects.c.event_id == event["id"])
        )
    assert done == 1


def test_a_failing_handler_is_retried_then_dead_lettered(probe, amqp_uri, probe_engine):
    event = events.envelope("probe", "note.poisoned", "notes/0", {"note_id": 0, "text": "poison"})
    publish_raw(amqp_uri, event)

    with Connection(amqp_uri) as conn:
        dead_letters = conn.SimpleQueue(Queue(broker.DEAD_LETTER_QUEUE, no_declare=True))
        message = dead_letters.get(timeout=30)
        message.ack()
        dead_letters.close()

    assert message.payload["id"] == event["id"]
    with probe_engine.connect() as conn:
        tries = conn.scalar(
            sa.select(sa.func.count())
            .select_from(probe_service.attempts)
            .where(probe_service.attempts.c.event_id == event["id"])
        )
    assert tries == broker.DELIVERY_LIMIT + 1


def test_event_queues_are_quorum_queues_with_the_retry_policy_and_rpc_queues_are_classic(probe, amqp_uri):
    vhost, _ = vhost_of(amqp_uri)
    listing = rabbitmqctl("list_queues", "-p", vhost, "name", "type", "policy")
    queues = {line.split("\t")[0]: line.split("\t")[1:] for line in listing.strip().splitlines()}
    assert queues["evt-probe-note.poisoned--probe.on_note_poisoned"] == ["quorum", "event-retries"]
    assert queues["rpc-probe"] == ["classic", ""]  # requests are transient; see chassis/rpc.py
