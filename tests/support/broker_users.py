"""Broker users of a test's own, loaded into this machine's RabbitMQ and removed afterwards."""

import json
import os
import subprocess
import tempfile
from contextlib import contextmanager

from gateway.rpc import BROKER_ERRORS, reach_broker
from tests.support.processes import wait_until


@contextmanager
def imported(document: dict, uris: list[str]):
    """Load the definitions ``document`` (its users, their permissions, any vhosts) and wait
    until each of ``uris`` connects; afterwards delete its users and vhosts, which would
    otherwise outlive the run.

    One ``rabbitmqctl`` call (each starts an Erlang VM), which the broker carries out
    after it returns and reads as its own OS user: hence the file in /tmp, readable by all.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".json") as definitions:
        json.dump(document, definitions)
        definitions.flush()
        os.chmod(definitions.name, 0o644)
        subprocess.run(
            ["rabbitmqctl", "-q", "import_definitions", definitions.name], check=True, capture_output=True, timeout=60
        )
    try:
        wait_until(lambda: all(_may_connect(uri) for uri in uris), what="the broker users", timeout=30)
        yield
    finally:
        deletions = [["delete_user", user["name"]] for user in document["users"]]
        deletions += [["delete_vhost", vhost["name"]] for vhost in document.get("vhosts", [])]
        running = [
            subprocess.Popen(["rabbitmqctl", "-q", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for args in deletions
        ]
        for deletion in running:
            deletion.wait(timeout=60)


def _may_connect(uri: str) -> bool:
    """The user exists and has permissions on the vhost (without them the broker refuses it)."""
    try:
        reach_broker(uri, timeout=2)
        return True
    except BROKER_ERRORS:
        return False
