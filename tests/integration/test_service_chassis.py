"""What the chassis gives every service: cooperative database access, typed errors, a bounded stop."""

import os
import signal
import threading
import time
from datetime import datetime
from unittest.mock import ANY

import pytest
from nameko.exceptions import RpcTimeout
from nameko.standalone.rpc import ClusterRpcProxy

from chassis.errors import NotFound
from tests.support.database import sleeping_queries
from tests.support.processes import start_service, wait_until
from tests.support.tcp_proxy import TcpProxy


def test_concurrent_queries_in_one_service_overlap_in_time(probe, amqp_uri):
    """With psycopg's blocking wait, five 0.5 s queries would run one after another."""
    intervals = []

    def call():
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as cluster:
            start, end = cluster.probe.sleep_in_database(0.5)
        intervals.append((datetime.fromisoformat(start), datetime.fromisoformat(end)))

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(intervals) == 5
    latest_start = max(start for start, _ in intervals)
    earliest_end = min(end for _, end in intervals)
    assert latest_start < earliest_end, "the five queries ran one after another, not together"


def test_a_domain_error_crosses_the_rpc_boundary_as_itself(probe, rpc):
    with pytest.raises(NotFound) as raised:
        rpc.probe.missing(7)
    assert raised.value.detail == "No note 7."
    assert raised.value.extra == {"note_id": 7}


def test_a_service_stops_by_its_deadline_while_its_broker_is_gone(amqp_uri, probe_engine):
    """nameko stops its consumers first on SIGTERM, and one that is reconnecting never stops."""
    link = TcpProxy(5672)
    link.up()
    via_link = amqp_uri.replace(":5672/", f":{link.port}/")
    process = start_service(
        "probe",
        "probe_service",
        "tests/support/probe.yaml",
        env={"CS_AMQP_URI": via_link, "CS_STOP_SECONDS": "2"},
        pythonpath="tests/support",
    )
    try:
        link.down()
        time.sleep(1)  # the service has lost its broker and keeps trying to reconnect
        asked = time.monotonic()
        os.killpg(process.popen.pid, signal.SIGTERM)
        process.popen.wait(timeout=15)
        assert time.monotonic() - asked < 6
    finally:
        process.kill(signal.SIGKILL)


def test_a_service_answers_again_once_its_broker_link_is_back(amqp_uri, probe_engine):
    """Its consumer reconnects, and so do the pooled connections its replies go out on."""
    link = TcpProxy(5672)
    link.up()
    via_link = amqp_uri.replace(":5672/", f":{link.port}/")
    process = start_service(
        "probe", "probe_service", "tests/support/probe.yaml", env={"CS_AMQP_URI": via_link}, pythonpath="tests/support"
    )
    try:
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=5) as cluster:
            assert cluster.probe.health()["status"] == "ok"
            link.down()  # resets the service's connections, its reply connection among them
            time.sleep(1)
            link.up()

            def answers() -> bool:
                try:
                    return cluster.probe.health()["status"] == "ok"
                except RpcTimeout:  # still reconnecting; the request expires unanswered
                    return False

            wait_until(answers, process, "the service to answer again")
            assert [cluster.probe.health()["status"] for _ in range(20)] == ["ok"] * 20
    finally:
        link.down()
        process.kill()


def test_a_service_lives_through_a_reply_it_cannot_send(amqp_uri, probe_engine):
    """A worker that finishes while the broker is away cannot reply; nameko would end the service for it."""
    link = TcpProxy(5672)
    link.up()
    via_link = amqp_uri.replace(":5672/", f":{link.port}/")
    process = start_service(
        "probe", "probe_service", "tests/support/probe.yaml", env={"CS_AMQP_URI": via_link}, pythonpath="tests/support"
    )
    earlier_runs = process.log_path.stat().st_size  # the log file is shared by this run's probes

    def reply_failed() -> bool:
        with process.log_path.open("rb") as log:
            log.seek(earlier_runs)
            return b"could not send the reply" in log.read()

    try:
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as cluster:
            in_flight = cluster.probe.sleep_in_database.call_async(2)
            wait_until(lambda: sleeping_queries(probe_engine) == 1, process, "the call to reach the database")
            link.down()  # the worker is still in the database; its reply will find no broker
            wait_until(reply_failed, process, "the reply to fail", timeout=40)
            assert process.popen.poll() is None, "the service ended because a reply could not be sent"
            link.up()
            # The request was never acknowledged, so the broker hands it out again: the caller
            # gets its answer after all (or, past the request's expiry, its own timeout).
            assert in_flight.result() == [ANY, ANY]
            wait_until(lambda: _answers(cluster), process, "the service to answer again")
    finally:
        link.down()
        process.kill()


def _answers(cluster) -> bool:
    try:
        return cluster.probe.health()["status"] == "ok"
    except RpcTimeout:  # still reconnecting; the request expires unanswered
        return False
