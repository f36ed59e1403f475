"""docker-compose's broker users, loaded into the real RabbitMQ.

``deploy/rabbitmq/entrypoint.sh`` writes the definitions a compose broker loads at boot:
the topology, a user per component and what each may do. Here that document goes into
this machine's broker (on a vhost and under user names of the test's own, so nothing
else is touched): RabbitMQ accepts it, and each component's user reaches its own queue
and is refused another component's.
"""

import json
import os
import secrets
import subprocess
import uuid
from pathlib import Path

import pytest
from amqp.exceptions import AccessRefused
from kombu import Connection, Queue

from chassis.settings import COMPONENTS
from tests.support.broker_users import imported

RABBITMQ = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq"


def _compose_definitions(tmp_path, passwords: dict[str, str]) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CS_DEFINITIONS_SOURCE": str(RABBITMQ / "definitions.json"),
        "CS_PERMISSIONS_SOURCE": str(RABBITMQ / "permissions.json"),
        "CS_DEFINITIONS_TARGET": str(tmp_path / "written.json"),
        "CS_BROKER_ADMIN_USER": "admin",
        "CS_BROKER_ADMIN_PASSWORD": secrets.token_urlsafe(12),
        **{f"CS_{name.upper()}_AMQP_PASSWORD": password for name, password in passwords.items()},
    }
    subprocess.run(["sh", str(RABBITMQ / "entrypoint.sh"), "true"], env=env, check=True, timeout=30)
    return json.loads((tmp_path / "written.json").read_text())


def _renamed(document: dict, vhost: str, tag: str) -> dict:
    """The same document on ``vhost``, its users' names prefixed with ``tag``."""
    for entry in document["vhosts"]:
        entry["name"] = vhost
    for entry in document["users"]:
        entry["name"] = f"{tag}_{entry['name']}"
    for entries in document.values():
        for entry in entries:
            if "vhost" in entry:
                entry["vhost"] = vhost
            if "user" in entry:
                entry["user"] = f"{tag}_{entry['user']}"
    return document


@pytest.fixture
def compose_users(tmp_path):
    """``{component: its AMQP URI}`` once the broker has loaded compose's definitions."""
    tag, vhost = uuid.uuid4().hex[:8], f"compose_{uuid.uuid4().hex[:8]}"
    passwords = {name: secrets.token_urlsafe(12) for name in COMPONENTS}
    document = _renamed(_compose_definitions(tmp_path, passwords), vhost, tag)
    uris = {name: f"amqp://{tag}_cs_{name}:{password}@127.0.0.1:5672/{vhost}" for name, password in passwords.items()}
    with imported(document, list(uris.values())):
        yield uris


def _declares(uri: str, queue: str) -> bool:
    with Connection(uri, connect_timeout=5) as connection:
        try:
            Queue(queue, durable=True)(connection.channel()).declare()
        except AccessRefused:
            return False
    return True


def test_each_component_user_of_compose_reaches_its_own_queue_and_not_anothers(compose_users):
    assert _declares(compose_users["reservations"], "rpc-reservations")
    assert not _declares(compose_users["reservations"], "rpc-spaces")
    assert _declares(compose_users["spaces"], "rpc-spaces")
    assert not _declares(compose_users["gateway"], "rpc-notifications")
