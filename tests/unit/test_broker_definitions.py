import json
from pathlib import Path

from chassis import broker


def test_the_definitions_file_for_containers_is_what_the_setup_code_applies():
    on_disk = json.loads(Path("deploy/rabbitmq/definitions.json").read_text())
    assert on_disk == broker.definitions(), "regenerate: python -m chassis.broker definitions > deploy/rabbitmq/definitions.json"


def test_event_queues_dead_letter_after_the_delivery_limit():
    policy = next(p for p in broker.definitions()["policies"] if p["pattern"] == "^evt-")
    assert policy["definition"] == {"delivery-limit": 5, "dead-letter-exchange": broker.DEAD_LETTER_EXCHANGE}


def test_vhost_and_user_are_read_from_the_amqp_uri():
    assert broker.vhost_of("amqp://svc:pw@host:5672/community_space") == ("community_space", "svc")
    assert broker.vhost_of("amqp://guest:guest@localhost:5672/") == ("/", "guest")
