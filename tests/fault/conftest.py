"""The fault tier: the platform on a RabbitMQ node and a PostgreSQL cluster of its own, to break.

Nothing else uses these servers, so a test may SIGKILL the broker, cut every connection to
it (through a TCP proxy in front of it), or stop PostgreSQL at once, while bookings are under
way, and then check that every process is still the one it started with and answers again.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from chassis import broker
from chassis.settings import COMPONENTS, CommonSettings
from tests.support.postgres_cluster import PostgresCluster
from tests.support.processes import wait_until
from tests.support.rabbitmq_node import RabbitMQNode
from tests.support.stack import Client, published_space, start_platform
from tests.support.tcp_proxy import TcpProxy

VHOST = "community_space"
SEOUL = timezone(timedelta(hours=9))


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.parent.name == "fault":
            item.add_marker(pytest.mark.fault)
            item.add_marker(pytest.mark.timeout(300))


@dataclass
class Servers:
    broker: RabbitMQNode
    postgres: PostgresCluster
    broker_link: TcpProxy  # what every component reaches the broker through
    settings: CommonSettings

    @property
    def amqp_uri(self) -> str:
        """The broker itself, for the test's own connections (they are not cut with the link)."""
        return self.broker.amqp_uri(VHOST)

    def engine(self, component: str) -> sa.Engine:
        return sa.create_engine(self.settings.database_url(component))


@pytest.fixture(scope="session")
def servers():
    with RabbitMQNode() as node, PostgresCluster() as postgres:
        link = TcpProxy(node.port)
        link.up()
        try:
            with pytest.MonkeyPatch.context() as env:
                env.setenv("CS_RABBITMQ_MANAGEMENT_URL", node.management_url)
                broker.setup(node.amqp_uri(VHOST))
            yield Servers(node, postgres, link, CommonSettings(pg_url=postgres.url, db_prefix="cs_fault"))
        finally:
            link.down()


@pytest.fixture(scope="session")
def platform(servers):
    via_link = f"amqp://guest:guest@127.0.0.1:{servers.broker_link.port}/{VHOST}"
    env = {"CS_RATE_LIMIT_AUTH": "10000/minute", "CS_RATE_LIMIT_DEFAULT": "100000/minute"}
    platform = start_platform(servers.settings, dict.fromkeys(COMPONENTS, via_link), env)
    yield platform
    platform.stop()


@pytest.fixture(scope="session")
def client(platform):
    client = Client(platform.url)
    yield client
    client.close()


@pytest.fixture(scope="session")
def admin(client):
    return client.admin()


@pytest.fixture
def space(client, admin) -> str:
    """A published space open all day, every day, whose bookings wait for its operator's approval."""
    wait_until(lambda: client.call("GET", "/readyz").status_code == 200, what="the platform to be ready")
    operator = client.make_account("operator", admin)
    return published_space(client.call, admin, operator, f"Fault Room {uuid.uuid4().hex[:8]}")


def slots(first_day_ahead: int, count: int) -> list[tuple[str, str]]:
    """``count`` one-hour slots, one after another, from midnight ``first_day_ahead`` days on."""
    day = (datetime.now(SEOUL) + timedelta(days=first_day_ahead)).replace(hour=0, minute=0, second=0, microsecond=0)
    return [((day + timedelta(hours=i)).isoformat(), (day + timedelta(hours=i + 1)).isoformat()) for i in range(count)]
