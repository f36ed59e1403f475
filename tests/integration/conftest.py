import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy

from chassis import messaging, migrations
from chassis.settings import common
from tests.support import probe_service
from tests.support.processes import start_service


@pytest.fixture(scope="session")
def probe_engine(database_url):
    url = common().database_url("probe")
    migrations.ensure_database(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        messaging.create_tables(conn)
        probe_service.metadata.create_all(conn)
    yield engine
    engine.dispose()


@pytest.fixture
def start_probe(amqp_uri, probe_engine):
    """``start_probe(relay=True, env={})``: the probe service in a process of its own."""
    started = []

    def start(relay: bool = True, env: dict | None = None):
        process = start_service(
            "probe",
            "probe_service",
            "tests/support/probe.yaml",
            env={"CS_AMQP_URI": amqp_uri, "CS_OUTBOX_RELAY": str(relay).lower(), **(env or {})},
            pythonpath="tests/support",
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()  # gracefully: a request a test left in flight is answered, not handed to the next probe


@pytest.fixture
def probe(start_probe):
    return start_probe()


@pytest.fixture
def rpc(amqp_uri):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as cluster:
        yield cluster
