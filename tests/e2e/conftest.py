"""The whole platform as it runs: four nameko services and the gateway under granian.

Every process reaches RabbitMQ through a TCP proxy of the test's, so a test can
take the broker away from this stack alone and give it back. Each connects as a
broker user of its own with only its component's permissions, as in production.
"""

import secrets
import uuid

import pytest
import requests

from chassis import broker, migrations
from chassis.settings import COMPONENTS, SERVICES, CommonSettings, common
from tests.support.broker_users import imported
from tests.support.processes import start_gateway, start_service
from tests.support.tcp_proxy import TcpProxy, free_port


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
        "CS_DB_PREFIX": settings.db_prefix,
        # every test signs accounts in from 127.0.0.1; the limits themselves are tested in the gateway tier
        "CS_RATE_LIMIT_AUTH": "10000/minute",
        "CS_RATE_LIMIT_DEFAULT": "100000/minute",  # test_contract sends thousands of requests
        # as `make up` and production run: every search below goes through the shared cache
        "CS_SEARCH_CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    for component in COMPONENTS:
        migrations.upgrade(component, settings.database_url(component))  # as `make up` does
    processes = [
        start_service(
            name,
            f"services.{name}.service",
            f"services/{name}/config.yaml",
            env={**env, "CS_AMQP_URI": broker_users[name]},
        )
        for name in SERVICES
    ]
    port = free_port()
    processes.append(start_gateway(port, {**env, "CS_AMQP_URI": broker_users["gateway"]}))
    yield f"http://127.0.0.1:{port}"
    for process in processes:
        process.kill()


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


ADMIN = {"email": "admin@community-space.local", "password": "development-admin-password"}
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def session_api(stack):
    """Like ``api``, for session- and module-scoped fixtures."""
    session = requests.Session()

    def call(method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 15)
        return session.request(method, stack + path, **kwargs)

    yield call
    session.close()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def admin(session_api):
    """The administrator the gateway bootstraps from ADMIN_EMAIL / ADMIN_PASSWORD."""
    login = session_api("POST", "/api/v1/auth/login", json=ADMIN)
    assert login.status_code == 200, login.text
    return bearer(login.json()["access_token"])


@pytest.fixture(scope="session")
def make_account(session_api, admin):
    """``make_account("operator")``: a new account with that role; answers its auth headers and id."""

    def make(role: str = "citizen") -> dict:
        email = f"{role}-{uuid.uuid4().hex[:10]}@example.com"
        registered = session_api(
            "POST", "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": f"Test {role}"}
        )
        assert registered.status_code == 201, registered.text
        user_id = registered.json()["user"]["id"]
        if role != "citizen":
            granted = session_api("POST", f"/api/v1/admin/users/{user_id}/role", json={"role": role}, headers=admin)
            assert granted.status_code == 200, granted.text
        login = session_api("POST", "/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        return {"id": user_id, "email": email, "headers": bearer(login.json()["access_token"])}

    return make
