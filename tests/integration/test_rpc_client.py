"""The gateway's RPC client against a real broker that fails on purpose."""

import signal
import time
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import ANY

import pytest
import sqlalchemy as sa

from chassis.errors import NotFound
from gateway.rpc import LISTENERS_SECONDS, Call, RpcClient, ServiceTimeout, ServiceUnavailable
from tests.support.database import sleeping_queries
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


def test_calls_made_together_wait_for_the_slowest_not_for_the_sum(probe, client):
    started = time.monotonic()
    outcomes = client.gather(
        Call("probe", "sleep_in_database", (1,)),
        Call("probe", "sleep_in_database", (1,)),
        Call("probe", "missing", (1,)),
        Call("probe", "sleep_in_database", (5,), timeout=0.5),
        Call("nosuchservice", "health"),
    )
    took = time.monotonic() - started

    assert outcomes[:2] == [[ANY, ANY], [ANY, ANY]]
    assert isinstance(outcomes[2], NotFound)  # each call keeps its own error
    assert isinstance(outcomes[3], ServiceTimeout)  # and its own timeout
    assert isinstance(outcomes[4], ServiceUnavailable)
    assert took < 1.9, "the two one-second calls ran one after the other"
    assert client.call("probe", "health")["status"] == "ok"


def test_a_slow_service_is_a_timeout_and_the_client_still_works_after(probe, client):
    started = time.monotonic()
    with pytest.raises(ServiceTimeout):
        client.call("probe", "sleep_in_database", 5, timeout=0.5)
    assert time.monotonic() - started < 3
    assert client.call("probe", "health")["status"] == "ok"


def test_a_request_nobody_took_in_time_never_takes_effect(start_probe, probe_engine, rpc, client):
    busy = start_probe(relay=False)
    sleepers = [rpc.probe.sleep_in_database.call_async(2.5) for _ in range(10)]  # every worker it has
    wait_until(lambda: sleeping_queries(probe_engine) == 10, busy, "every worker to be busy")
    with pytest.raises(ServiceTimeout):  # taken in by the queue, where it waits behind the sleepers
        client.call("probe", "record", "too late", timeout=1)
    for sleeper in sleepers:
        sleeper.result()

    assert client.call("probe", "record", "in time")["note_id"]
    with probe_engine.connect() as conn:
        texts = conn.scalars(sa.text("SELECT text FROM notes WHERE text IN ('too late', 'in time')")).all()
    assert texts == ["in time"]


def test_a_service_that_is_down_is_unavailable_at_once_and_back_when_it_returns(start_probe, client):
    """Nobody consumes its queue: the client need not wait for its timeout (3 s here) to say so."""
    start_probe().kill(signal.SIGKILL)
    time.sleep(LISTENERS_SECONDS)  # the broker's count of consumers may be that old
    for _ in range(5):
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable):
            client.call("probe", "health")
        assert time.monotonic() - started < 1

    start_probe()
    assert client.call("probe", "health")["status"] == "ok"


def test_a_call_waiting_on_a_service_that_dies_is_unavailable_before_its_timeout(start_probe, probe_engine, client):
    probe = start_probe()
    answer = ThreadPoolExecutor(1).submit(client.call, "probe", "sleep_in_database", 20, timeout=15)
    wait_until(lambda: sleeping_queries(probe_engine) == 1, probe, "the call to reach the database")
    died = time.monotonic()
    probe.kill(signal.SIGKILL)

    with pytest.raises(ServiceUnavailable):
        answer.result(timeout=15)
    assert time.monotonic() - died < 5


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
