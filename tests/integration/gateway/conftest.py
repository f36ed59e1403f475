"""A gateway app on the real, migrated test database, with a fake RPC client."""

import uuid

import pytest
import sqlalchemy as sa

from gateway import db
from gateway.app import create_app
from gateway.rpc import ServiceUnavailable
from gateway.settings import GatewaySettings

PASSWORD = "correct horse battery"


class FakeRpc:
    """Answers ``health`` for every service except those in ``down``; records every call."""

    def __init__(self):
        self.down: set[str] = set()
        self.broker = True
        self.calls: list[tuple] = []

    def call(self, service, method, *args, timeout=None, **kwargs):
        self.calls.append((service, method, args, kwargs))
        if service in self.down:
            raise ServiceUnavailable(service)
        return {"status": "ok"}

    def gather(self, *calls):
        """Each call in turn, its answer or the exception it raised, as ``RpcClient.gather`` answers."""
        outcomes = []
        for call in calls:
            try:
                outcomes.append(self.call(call.service, call.method, *call.args, timeout=call.timeout, **call.kwargs))
            except Exception as error:
                outcomes.append(error)
        return outcomes

    def broker_ok(self, timeout):
        return self.broker


@pytest.fixture(scope="session")
def make_app(database_url):
    """``make_app(**settings)``: a gateway on the test database; engines are disposed at the end."""
    apps = []

    def make(rpc=None, **overrides):
        values = {
            "gateway_database_url": database_url("gateway"),
            "rate_limit_auth": "1000/minute",
            "rate_limit_default": "10000/minute",
        } | overrides
        app = create_app(GatewaySettings(**values), rpc=rpc or FakeRpc())
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["db_engine"].dispose()
        app.extensions["readiness_pool"].shutdown()


@pytest.fixture(scope="session")
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(client, app):
    """``make_user(role="citizen", **fields)``: a registered user with its tokens and a ``headers`` dict."""

    def make(role="citizen", **fields):
        body = {
            "email": f"user-{uuid.uuid4().hex[:12]}@example.com",
            "password": PASSWORD,
            "name": "Kim Minji",
        } | fields
        response = client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 201, response.get_json()
        user = response.get_json() | {"email": body["email"], "password": body["password"]}
        if role != "citizen":
            with app.extensions["db_engine"].begin() as conn:
                conn.execute(sa.update(db.users).where(db.users.c.id == user["user"]["id"]).values(role=role))
        user["headers"] = {"Authorization": f"Bearer {user['access_token']}"}
        return user

    return make


@pytest.fixture
def citizen(make_user):
    return make_user()


@pytest.fixture
def operator(make_user):
    return make_user(role="operator")


@pytest.fixture
def admin(make_user):
    return make_user(role="admin")
