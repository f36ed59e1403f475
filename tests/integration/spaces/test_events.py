"""Space events reach a subscriber bound to ``spaces.events`` and match their JSON Schemas."""

import json
import uuid

import pytest

from tests.support.events import events_of, subscription, validate
from tests.unit.spaces.factories import space_data


@pytest.fixture
def subscriber(amqp_uri, spaces_service):
    with subscription(amqp_uri, "spaces", "space.*") as queue:
        yield queue


def test_every_step_of_a_life_is_announced_with_a_valid_event(spaces, operator, admin, subscriber):
    space = spaces.register(operator, space_data(phone="02-999-9999"))
    space_id = space["id"]
    spaces.update(operator, space_id, {"capacity": 30, "name_en": "Mangwon Library"})  # a draft: no event
    spaces.submit(operator, space_id)
    spaces.return_to_draft(admin, space_id, "Add photos")
    spaces.submit(operator, space_id)
    spaces.publish(admin, space_id)
    spaces.add_closure(
        operator, space_id, {"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00", "reason": "Holidays"}
    )
    spaces.suspend(admin, space_id, "Complaints")
    spaces.reinstate(admin, space_id)
    spaces.close(operator, space_id, "Moved away")

    received = events_of(subscriber, space_id, 9)
    assert [e["type"] for e in received] == [
        "space.registered",
        "space.submitted",
        "space.returned",
        "space.submitted",
        "space.published",
        "space.updated",
        "space.suspended",
        "space.published",
        "space.closed",
    ]
    for event in received:
        validate(event)
        assert "02-999-9999" not in json.dumps(event)
    published = received[4]
    assert published["subject"] == f"spaces/{space_id}" and published["data"]["capacity"] == 30
    names = {e["data"]["name_en"] for e in received[4:]}
    assert names == {"Mangwon Library"} and published["data"]["name_ko"] == space["name_ko"]


def test_an_imported_space_is_announced_as_published(spaces, admin, operator, subscriber):
    ref = f"events-{uuid.uuid4()}"
    spaces.import_published(admin, [{**space_data(), "external_ref": ref, "operators": [operator["id"]]}])
    space_id = spaces.list_for_actor(operator)["items"][0]["id"]
    (event,) = events_of(subscriber, space_id, 1)
    assert event["type"] == "space.published" and event["data"]["status"] == "published"
    validate(event)
