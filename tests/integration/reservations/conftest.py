"""A real reservations service process per test module, its database, and space facts sent as events.

Spaces reach the service the way they do in production: a ``space.published`` event
on ``spaces.events``, which the service records through its inbox.
"""

import signal
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from kombu import Connection, Exchange
from nameko.standalone.rpc import ClusterRpcProxy

from chassis import events
from tests.support.processes import start_service, wait_until

SEOUL = ZoneInfo("Asia/Seoul")
SPACE_EVENTS = Exchange(events.exchange_name("spaces"), type="topic", durable=True)
ALL_DAY = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(1, 8)]


@pytest.fixture(scope="module")
def reservations_service(database_url, amqp_uri):
    database_url("reservations")
    process = start_service(
        "reservations",
        "services.reservations.service",
        "services/reservations/config.yaml",
        env={"CS_AMQP_URI": amqp_uri, "CS_RESERVATIONS_EXPIRY_SECONDS": "0.5"},
    )
    yield process
    process.kill(signal.SIGKILL)  # the module's tests are done: nothing to stop gracefully


@pytest.fixture(scope="module")
def rpc(reservations_service, amqp_uri):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=15) as cluster:
        yield cluster.reservations


@pytest.fixture(scope="module")
def engine(database_url):
    engine = sa.create_engine(database_url("reservations"))
    yield engine
    engine.dispose()


def an_actor(role: str = "citizen") -> dict:
    return {"id": str(uuid.uuid4()), "role": role}


def publish_space_event(amqp_uri: str, event_type: str, data: dict) -> dict:
    event = events.envelope("spaces", event_type, f"spaces/{data['space_id']}", data)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(event, exchange=SPACE_EVENTS, routing_key=event_type, declare=[SPACE_EVENTS])
    return event


def space_facts(**overrides) -> dict:
    return {
        "space_id": str(uuid.uuid4()),
        "status": "published",
        "status_reason": None,
        "operators": [str(uuid.uuid4())],
        "district": "mapo",
        "types": ["small_library"],
        "capacity": 20,
        "timezone": "Asia/Seoul",
        "opening_hours": ALL_DAY,
        "closures": [],
        **overrides,
    }


@pytest.fixture
def space(rpc, amqp_uri, engine):
    """``space(**facts)``: a published space known to the service; answers its facts and operator actor."""

    def make(policy=None, **overrides):
        data = space_facts(**overrides)
        publish_space_event(amqp_uri, "space.published", data)
        wait_until(lambda: _known(engine, data["space_id"]), what="the space's facts to be recorded", timeout=10)
        operator = {"id": data["operators"][0], "role": "operator"}
        if policy:
            rpc.set_policy(operator, data["space_id"], policy)
        return {**data, "operator": operator}

    return make


def _known(engine, space_id: str) -> bool:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM space_facts WHERE space_id = :id"), {"id": space_id}) == 1


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A local Seoul time ``days`` from today, at ``hour:minute``."""
    today = datetime.now(SEOUL).date()
    return datetime(today.year, today.month, today.day, tzinfo=SEOUL) + timedelta(days=days, hours=hour, minutes=minute)


def booking(space: dict, start: datetime, hours: float = 1, party_size: int = 2, **overrides) -> dict:
    end = start + timedelta(hours=hours)
    return {
        "space_id": space["space_id"],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "party_size": party_size,
        "purpose": "Book club",
        **overrides,
    }


def key() -> str:
    return str(uuid.uuid4())


def eventually(check, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
