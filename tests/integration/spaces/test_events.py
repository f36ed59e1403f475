"""Space events reach a subscriber bound to ``spaces.events`` and match their JSON Schemas."""
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from kombu import Connection, Exchange, Queue

from chassis import events
from tests.unit.spaces.factories import space_data

SCHEMAS = Path("docs/events")
ENVELOPE = json.loads((SCHEMAS / "envelope.schema.json").read_text())
SPACE_EVENTS = Exchange(events.exchange_name("spaces"), type="topic", durable=True)


@pytest.fixture
def subscriber(amqp_uri, spaces_service):
    with Connection(amqp_uri) as conn:
        queue = Queue(f"test-spaces-subscriber-{uuid.uuid4()}", SPACE_EVENTS, routing_key="space.*", exclusive=True)
        SPACE_EVENTS(conn.default_channel).declare()
        simple = conn.SimpleQueue(queue)
        yield simple
        simple.close()


def events_of(subscriber, space_id: str, count: int) -> list[dict]:
    received = []
    while len(received) < count:
        message = subscriber.get(timeout=20)
        message.ack()
        if message.payload["data"]["space_id"] == space_id:
            received.append(message.payload)
    return received


def validate(event: dict) -> None:
    checker = jsonschema.FormatChecker()
    jsonschema.validate(event, ENVELOPE, format_checker=checker)
    schema = json.loads((SCHEMAS / f"{event['type']}.schema.json").read_text())
    jsonschema.validate(event["data"], schema, format_checker=checker)


def test_every_step_of_a_life_is_announced_with_a_valid_event(spaces, operator, admin, subscriber):
    space = spaces.register(operator, space_data(phone="02-999-9999"))
    space_id = space["id"]
    spaces.update(operator, space_id, {"capacity": 30})  # a draft: no event
    spaces.submit(operator, space_id)
    spaces.return_to_draft(admin, space_id, "Add photos")
    spaces.submit(operator, space_id)
    spaces.publish(admin, space_id)
    spaces.add_closure(operator, space_id, {"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00", "reason": "Holidays"})
    spaces.suspend(admin, space_id, "Complaints")
    spaces.reinstate(admin, space_id)
    spaces.close(operator, space_id, "Moved away")

    received = events_of(subscriber, space_id, 9)
    assert [e["type"] for e in received] == [
        "space.registered", "space.submitted", "space.returned", "space.submitted", "space.published",
        "space.updated", "space.suspended", "space.published", "space.closed"]
    for event in received:
        validate(event)
        assert "02-999-9999" not in json.dumps(event)
    published = received[4]
    assert published["subject"] == f"spaces/{space_id}" and published["data"]["capacity"] == 30


def test_an_imported_space_is_announced_as_published(spaces, admin, operator, subscriber):
    ref = f"events-{uuid.uuid4()}"
    spaces.import_published(admin, [{**space_data(), "external_ref": ref, "operators": [operator["id"]]}])
    space_id = spaces.list_for_actor(operator)["items"][0]["id"]
    (event,) = events_of(subscriber, space_id, 1)
    assert event["type"] == "space.published" and event["data"]["status"] == "published"
    validate(event)
