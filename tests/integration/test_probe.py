"""``python -m chassis.probe``, the services' health check, run as the orchestrator runs it."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration
UNREACHABLE = "amqp://guest:guest@127.0.0.1:9/community_space"  # nothing listens on the discard port


def probe(amqp_uri: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chassis.probe", *args],
        env={"CS_AMQP_URI": amqp_uri, "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_running_service_is_alive(amqp_uri, start_probe):
    start_probe()
    answer = probe(amqp_uri, "--liveness", "probe")
    assert answer.returncode == 0, answer.stdout
    assert answer.stdout.strip() == "probe: ok"


def test_a_service_that_does_not_answer_while_the_broker_does_is_not_alive(amqp_uri):
    answer = probe(amqp_uri, "--liveness", "nobody")
    assert answer.returncode == 1
    assert answer.stdout.startswith("nobody: ")


def test_an_unreachable_broker_fails_the_health_check_but_not_liveness():
    assert probe(UNREACHABLE, "probe").returncode == 1
    alive = probe(UNREACHABLE, "--liveness", "probe")
    assert alive.returncode == 0
    assert alive.stdout.startswith("probe: broker: ")
