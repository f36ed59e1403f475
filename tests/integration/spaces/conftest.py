"""A real spaces service process per test module, and an RPC proxy to call it."""

import signal
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.processes import start_service
from tests.unit.spaces.factories import space_data


@pytest.fixture(scope="module")
def spaces_service(database_url, amqp_uri):
    database_url("spaces")
    process = start_service(
        "spaces", "services.spaces.service", "services/spaces/config.yaml", env={"CS_AMQP_URI": amqp_uri}
    )
    yield process
    process.kill(signal.SIGKILL)  # the module's tests are done: nothing to stop gracefully


@pytest.fixture(scope="module")
def spaces(spaces_service, amqp_uri):
    """The spaces service's RPC proxy."""
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as cluster:
        yield cluster.spaces


def an_actor(role: str) -> dict:
    return {"id": str(uuid.uuid4()), "role": role}


@pytest.fixture
def operator():
    return an_actor("operator")


@pytest.fixture
def admin():
    return an_actor("admin")


@pytest.fixture
def published(spaces, operator, admin):
    """``published(**overrides)``: a space registered by ``operator`` and published."""

    def publish(**overrides):
        space = spaces.register(operator, space_data(**overrides))
        spaces.submit(operator, space["id"])
        return spaces.publish(admin, space["id"])

    return publish
