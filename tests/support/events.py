"""What a test needs to follow a service's events as another city system would."""

import json
import uuid
from contextlib import contextmanager
from pathlib import Path

import jsonschema
from kombu import Connection, Exchange, Queue

from chassis import events

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "events"
ENVELOPE = json.loads((SCHEMAS / "envelope.schema.json").read_text())


def exchange_of(service: str) -> Exchange:
    return Exchange(events.exchange_name(service), type="topic", durable=True)


@contextmanager
def subscription(amqp_uri: str, service: str, routing_key: str):
    """A queue of the test's own bound to ``<service>.events``; yields a kombu SimpleQueue."""
    exchange = exchange_of(service)
    with Connection(amqp_uri) as conn:
        queue = Queue(f"test-{service}-subscriber-{uuid.uuid4()}", exchange, routing_key=routing_key, exclusive=True)
        exchange(conn.default_channel).declare()
        simple = conn.SimpleQueue(queue)
        yield simple
        simple.close()


def events_about(subscriber, key: str, value: str, count: int, timeout: float = 20) -> list[dict]:
    """The next ``count`` events whose ``data[key]`` is ``value`` (others are skipped)."""
    received = []
    while len(received) < count:
        message = subscriber.get(timeout=timeout)
        message.ack()
        if message.payload["data"].get(key) == value:
            received.append(message.payload)
    return received


def events_of(subscriber, space_id: str, count: int) -> list[dict]:
    """The next ``count`` events about one space."""
    return events_about(subscriber, "space_id", space_id, count)


def validate(event: dict) -> None:
    """Against the envelope's schema and, when the type has one, the type's schema."""
    checker = jsonschema.FormatChecker()
    jsonschema.validate(event, ENVELOPE, format_checker=checker)
    schema_file = SCHEMAS / f"{event['type']}.schema.json"
    if schema_file.exists():
        jsonschema.validate(event["data"], json.loads(schema_file.read_text()), format_checker=checker)


def publish(amqp_uri: str, service: str, event: dict) -> None:
    """Publish ``event`` as ``service`` would (the tests use it to deliver one twice, or a poison)."""
    exchange = exchange_of(service)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(event, exchange=exchange, routing_key=event["type"], declare=[exchange])


def messages_in(amqp_uri: str, queue: str) -> int:
    """Ready and unacknowledged messages of ``queue``, as the broker counts them."""
    from chassis import broker
    from tests.support.rabbitmqctl import rabbitmqctl

    vhost, _ = broker.vhost_of(amqp_uri)
    listing = rabbitmqctl("list_queues", "-p", vhost, "name", "messages")
    counts = dict(line.split("\t") for line in listing.strip().splitlines() if "\t" in line)
    return int(counts.get(queue, 0))
