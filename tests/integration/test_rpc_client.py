"""The gateway's RPC client against a real broker that fails on purpose."""

import time

import pytest
import sqlalchemy as sa

from chassis.errors import NotFound
from gateway.rpc import RpcClient, ServiceTimeout, ServiceUnavailable
from tests.support.processes import wait_until
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def broker_link(amqp_uri):
    proxy = TcpProxy(5672)
    proxy.up()
    yield proxy
    proxy.down()


@pytest.fixture
def client(broker_link, amqp_uri):
    via_proxy = amqp_uri.replace(":5672/", f":{broker_link.port}/")
    client = RpcClient(via_proxy, timeout=3)
    yield client
    client.close()


def test_calls_answer_and_raise_domain_errors(probe, client):
    assert client.call("probe", "health") == {"service": "probe", "status": "ok"}
    with pytest.raises(NotFound):
        client.call("probe", "missing", 1)


def test_a_slow_service_is_a_timeout_and_the_client_still_works_after(probe, client):
    started = time.monotonic()
    with pytest.raises(ServiceTimeout):
        client.call("probe", "sleep_in_database", 5, timeout=0.5)
    assert time.monotonic() - started < 3
    assert client.call("probe", "health")["status"] == "ok"


def test_a_request_nobody_took_in_time_never_takes_effect(start_probe, probe_engine, client):
    stopped = start_probe(relay=False)
    stopped.kill()  # its queue stays, so the request is taken in and waits there
    with pytest.raises(ServiceTimeout):
        client.call("probe", "record", "too late", timeout=1)
    time.sleep(1.5)  # past the request's expiration

    start_probe(relay=False)
    assert client.call("probe", "record", "in time")["note_id"]
    with probe_engine.connect() as conn:
        texts = conn.scalars(sa.text("SELECT text FROM notes WHERE text IN ('too late', 'in time')")).all()
    assert texts == ["in time"]


def test_a_service_that_never_started_is_unavailable(amqp_uri, client):
    with pytest.raises(ServiceUnavailable):
        client.call("nosuchservice", "health")


def test_a_broker_outage_fails_fast_and_the_client_recovers_without_restart(probe, client, broker_link):
    assert client.call("probe", "health")["status"] == "ok"
    broker_link.down()

    started = time.monotonic()
    for _ in range(3):
        with pytest.raises(ServiceUnavailable):
            client.call("probe", "health")
    assert not client.broker_ok(timeout=1)
    assert time.monotonic() - started < 5

    broker_link.up()

    def answers() -> bool:
        try:
            return client.call("probe", "health")["status"] == "ok"
        except ServiceUnavailable:
            return False

    wait_until(answers, what="the client to reconnect", timeout=15)
    assert client.broker_ok(timeout=1)
