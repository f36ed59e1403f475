import json
import re
from pathlib import Path

from chassis import broker
from chassis.settings import COMPONENTS


def test_the_definitions_file_for_containers_is_what_the_setup_code_applies():
    on_disk = json.loads(Path("deploy/rabbitmq/definitions.json").read_text())
    assert on_disk == broker.definitions(), (
        "regenerate: python -m chassis.broker definitions > deploy/rabbitmq/definitions.json"
    )


def test_the_permissions_file_for_containers_grants_each_component_user_its_own():
    on_disk = json.loads(Path("deploy/rabbitmq/permissions.json").read_text())
    assert on_disk == broker.user_permissions(), (
        "regenerate: python -m chassis.broker permissions > deploy/rabbitmq/permissions.json"
    )
    assert [grant["user"] for grant in on_disk] == [f"cs_{name}" for name in COMPONENTS]


def test_event_queues_dead_letter_after_the_delivery_limit():
    policy = next(p for p in broker.definitions()["policies"] if p["pattern"] == "^evt-")
    assert policy["definition"] == {"delivery-limit": 5, "dead-letter-exchange": broker.DEAD_LETTER_EXCHANGE}


def test_vhost_and_user_are_read_from_the_amqp_uri():
    assert broker.vhost_of("amqp://svc:pw@host:5672/community_space") == ("community_space", "svc")
    assert broker.vhost_of("amqp://guest:guest@localhost:5672/") == ("/", "guest")


def test_a_component_user_may_use_its_own_names_and_the_shared_ones_only():
    allowed = {kind: re.compile(pattern) for kind, pattern in broker.permissions("reservations").items()}
    own = [
        "rpc-reservations",
        "rpc.reply-reservations-5f0c",
        "rpc.reply-standalone_rpc_proxy-5f0c",
        "evt-spaces-space.published--reservations.on_space_event",
        "reservations.events",
        "nameko-rpc",
    ]
    for name in own:
        assert all(rule.match(name) for rule in allowed.values()), name
    others = [
        "rpc-spaces",
        "rpc.reply-gateway-5f0c",
        "evt-spaces-space.published--notifications.on_event",
        "dead-letters",
        "amq.topic",
    ]
    for name in others:
        assert not any(rule.match(name) for rule in allowed.values()), name
    # another's events: bound from and declared (nameko declares a source's exchange), never written
    assert allowed["read"].match("spaces.events") and not allowed["write"].match("spaces.events")


def test_the_setup_goes_to_the_management_api_of_the_broker_the_amqp_uri_names(monkeypatch):
    uri = "amqp://svc:p%40ss@broker.internal:5673/community_space"
    monkeypatch.delenv("CS_RABBITMQ_MANAGEMENT_URL", raising=False)
    assert broker.management_api(uri) == ("http://broker.internal:15672/api", ("svc", "p@ss"))
    monkeypatch.setenv("CS_RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15673")
    assert broker.management_api(uri) == ("http://127.0.0.1:15673/api", ("svc", "p@ss"))
    monkeypatch.setenv("CS_RABBITMQ_MANAGEMENT_URL", "https://admin:secret@mq.example.org/rabbitmq/")
    assert broker.management_api(uri) == ("https://mq.example.org/rabbitmq/api", ("admin", "secret"))
