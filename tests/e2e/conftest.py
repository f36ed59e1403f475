"""The whole platform as it runs: four nameko services and the gateway under granian.

Every process reaches RabbitMQ through a TCP proxy of the test's, so a test can
take the broker away from this stack alone and give it back. Each connects as a
broker user of its own with only its component's permissions, as in production.
"""

import secrets
from functools import partial

import pytest
import requests

from chassis import broker
from chassis.settings import COMPONENTS, CommonSettings, common
from tests.support.broker_users import imported
from tests.support.stack import Client, start_platform
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture(scope="session")
def broker_link(amqp_uri):
    proxy = TcpProxy(5672)
    proxy.up()
    yield proxy
    proxy.down()


@pytest.fixture(scope="session")
def broker_users(amqp_uri, broker_link):
    """``{component: its AMQP URI}``: a user of its own, with ``broker.permissions(component)``,
    reaching the broker through ``broker_link``."""
    vhost, _ = broker.vhost_of(amqp_uri)
    users = {component: (f"{common().db_prefix}_{component}", secrets.token_urlsafe(12)) for component in COMPONENTS}
    document = {
        "users": [{"name": user, "password": password, "tags": ""} for user, password in users.values()],
        "permissions": [
            {"user": user, "vhost": vhost, **broker.permissions(component)} for component, (user, _) in users.items()
        ],
    }
    uris = {
        component: f"amqp://{user}:{password}@127.0.0.1:{broker_link.port}/{vhost}"
        for component, (user, password) in users.items()
    }
    with imported(document, list(uris.values())):
        yield uris


@pytest.fixture(scope="session")
def stack(database_url, broker_users):
    """The platform on databases of its own (``<run prefix>_e2e_*``), apart from the integration tier's."""
    settings = CommonSettings(db_prefix=f"{common().db_prefix}_e2e")
    env = {
        # every test signs accounts in from 127.0.0.1; the limits themselves are tested in the gateway tier
        "CS_RATE_LIMIT_AUTH": "10000/minute",
        "CS_RATE_LIMIT_DEFAULT": "100000/minute",  # test_contract sends thousands of requests
        # as `make up` and production run: every search below goes through the shared cache
        "CS_SEARCH_CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    platform = start_platform(settings, broker_users, env)  # migrates first, as `make up` does
    yield platform.url
    platform.stop()


@pytest.fixture
def http(stack):
    with requests.Session() as session:
        session.base_url = stack
        yield session


@pytest.fixture
def api(http):
    """``api("POST", "/api/v1/...", json=...)`` against the running gateway."""

    def call(method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 15)
        return http.request(method, http.base_url + path, **kwargs)

    return call


@pytest.fixture(scope="session")
def client(stack):
    """A ``tests.support.stack.Client`` of the running gateway, for session- and module-scoped fixtures."""
    client = Client(stack)
    yield client
    client.close()


@pytest.fixture(scope="session")
def session_api(client):
    """Like ``api``, for session- and module-scoped fixtures."""
    return client.call


@pytest.fixture(scope="session")
def admin(client):
    """The administrator the gateway bootstraps from ADMIN_EMAIL / ADMIN_PASSWORD."""
    return client.admin()


@pytest.fixture(scope="session")
def make_account(client, admin):
    """``make_account("operator")``: a new account with that role; answers its auth headers and id."""
    return partial(client.make_account, admin=admin)
