"""`make up` beside another stack, on servers of its own, under supervision.

deploy/local/up.sh starts the platform as `make up` does, but pointed at a RabbitMQ node, a
PostgreSQL cluster and a Redis of this test's own (other ports) and its own CS_STACK_DIR.
It must set up and use those alone, leaving this machine's broker and database untouched
(and the set-up never starts a server at an address it was only told to use); its web client
signs a resident in through its own gateway and keeps the session in its own Redis;
a second `make up` replaces the first one's processes; its supervisor brings back a service
killed with SIGKILL; and `make down` leaves no process of it behind.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import xmlrpc.client
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from supervisor.xmlrpc import SupervisorTransport

from chassis import broker
from chassis.settings import COMPONENTS, common
from tests.support.postgres_cluster import PostgresCluster
from tests.support.processes import ROOT, wait_until
from tests.support.rabbitmq_node import RabbitMQNode
from tests.support.redis_server import RedisServer
from tests.support.tcp_proxy import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.stack, pytest.mark.timeout(300)]
NAME = f"{common().db_prefix}_second"  # the second stack's database prefix and vhost
PROGRAMS = {"spaces", "reservations", "programs", "notifications", "gateway", "web"}
SESSIONS = 2  # the database of the stack's Redis that its web client keeps sessions in


class LocalStack:
    def __init__(self, env: dict, url: str, web_url: str):
        self.env, self.url, self.web_url = env, url, web_url
        self.dir = Path(env["CS_STACK_DIR"])

    def make(self, target: str, check: bool = True) -> None:
        """What `make up` or `make down` runs, with this stack's environment."""
        done = subprocess.run(
            [f"deploy/local/{target}.sh"], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=240
        )
        assert done.returncode == 0 or not check, f"make {target}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    def programs(self) -> dict[str, dict]:
        """Each program's state and process id, from the supervisor's own API."""
        transport = SupervisorTransport(None, None, f"unix://{self.dir}/run/supervisor.sock")
        with xmlrpc.client.ServerProxy("http://localhost", transport=transport) as supervisor:
            return {info["name"]: info for info in supervisor.supervisor.getAllProcessInfo()}

    def pids(self) -> dict[str, int]:
        return {name: info["pid"] for name, info in self.programs().items() if info["pid"]}

    def supervisord(self) -> int:
        return int((self.dir / "run" / "supervisord.pid").read_text())

    def get(self, path: str, **params) -> requests.Response:
        return requests.get(self.url + path, params=params, timeout=10)

    def ready(self) -> bool:
        try:
            return self.get("/readyz").status_code == 200
        except requests.RequestException:
            return False


def alive_in_groups(groups: set[int]) -> list[str]:
    """Processes, zombies aside, whose process group is one of ``groups``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited meanwhile
            continue
        if fields[0] != "Z" and int(fields[2]) in groups:
            found.append(stat.parent.name)
    return found


@pytest.fixture(scope="module")
def servers():
    with RabbitMQNode() as node, PostgresCluster() as postgres, RedisServer() as redis_server:
        yield node, postgres, redis_server


@pytest.fixture(scope="module")
def second_stack(servers, tmp_path_factory):
    node, postgres, redis_server = servers
    port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "VENV": os.path.relpath(sys.prefix, ROOT),
        "CS_STACK_DIR": str(tmp_path_factory.mktemp("stack")),
        "CS_GATEWAY_BIND": f"127.0.0.1:{port}",
        "CS_PG_URL": postgres.url,
        "CS_DB_PREFIX": NAME,
        "CS_AMQP_URI": node.amqp_uri(NAME),
        "CS_RABBITMQ_MANAGEMENT_URL": node.management_url,
        "CS_RATE_LIMIT_STORAGE": redis_server.url(0),
        "CS_SEARCH_CACHE_URL": redis_server.url(1),
        "CS_WEB_BIND": f"127.0.0.1:{web_port}",
        "CS_WEB_SESSION_URL": redis_server.url(SESSIONS),
    }
    env.pop("CS_WEB_GATEWAY_URL", None)  # `make up` points its web client at its own gateway
    stack = LocalStack(env, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{web_port}")
    try:
        stack.make("up")
        yield stack
    finally:
        stack.make("down", check=False)


def databases(pg_url: str) -> set[str]:
    engine = sa.create_engine(f"{pg_url}/postgres")
    try:
        with engine.connect() as conn:
            names = conn.scalars(
                sa.text("SELECT datname FROM pg_database WHERE datname LIKE :name"), {"name": NAME + "%"}
            )
            return set(names)
    finally:
        engine.dispose()


def vhost(management_url: str, name: str) -> requests.Response:
    return requests.get(f"{management_url}/api/vhosts/{name}", auth=("guest", "guest"), timeout=10)


def test_a_second_stack_serves_from_its_own_broker_database_and_redis_alone(second_stack, servers):
    node, postgres, redis_server = servers
    assert second_stack.get("/readyz").json()["status"] == "ready"
    found = second_stack.get("/api/v1/spaces", page_size=5)
    assert found.status_code == 200, found.text
    assert found.json()["total"] == 600  # the demo data `make up` seeds

    assert vhost(node.management_url, NAME).json()["default_queue_type"] == "quorum"
    assert databases(postgres.url) == {f"{NAME}_{component}" for component in COMPONENTS}
    assert redis_server.client(1).dbsize() > 0  # the search cache
    this_machines_broker, _ = broker.management_api(common().amqp_uri)
    assert vhost(this_machines_broker.removesuffix("/api"), NAME).status_code == 404
    assert databases(common().pg_url) == set()


def test_its_web_client_signs_a_demo_citizen_in_through_its_own_gateway(second_stack, servers):
    _, _, redis_server = servers
    assert redis_server.client(SESSIONS).dbsize() == 0
    browser = requests.Session()
    form = browser.get(f"{second_stack.web_url}/login", timeout=10)
    assert form.status_code == 200
    [token] = re.findall(r'name="csrf_token" value="([^"]+)"', form.text)
    # A demo citizen that `make up` seeded into this stack's gateway database alone.
    signed_in = browser.post(
        f"{second_stack.web_url}/login",
        data={"csrf_token": token, "email": "citizen1@demo.community-space.kr", "password": "demo-citizen-1"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    me = requests.post(
        f"{second_stack.url}/api/v1/auth/login",
        json={"email": "citizen1@demo.community-space.kr", "password": "demo-citizen-1"},
        timeout=10,
    ).json()
    name = requests.get(
        f"{second_stack.url}/api/v1/me", headers={"Authorization": f"Bearer {me['access_token']}"}, timeout=10
    ).json()["name"]
    assert name in browser.get(f"{second_stack.web_url}/", timeout=10).text
    assert redis_server.client(SESSIONS).dbsize() >= 1  # the session, in the stack's own Redis


def test_a_second_make_up_replaces_every_process_of_the_first(second_stack):
    before, supervisord = second_stack.pids(), second_stack.supervisord()
    assert set(before) == PROGRAMS

    second_stack.make("up")

    after = second_stack.pids()
    assert set(after) == PROGRAMS and not set(after.values()) & set(before.values())
    assert alive_in_groups({supervisord, *before.values()}) == []
    assert second_stack.ready()


def test_the_supervisor_restarts_a_killed_service_and_make_down_stops_everything(second_stack):
    killed = second_stack.pids()["reservations"]
    os.kill(killed, signal.SIGKILL)

    def restarted() -> bool:
        reservations = second_stack.programs()["reservations"]
        return reservations["statename"] == "RUNNING" and reservations["pid"] != killed

    wait_until(restarted, what="the supervisor to start reservations again", timeout=60)
    wait_until(second_stack.ready, what="/readyz with reservations answering again", timeout=60)

    groups = {second_stack.supervisord(), *second_stack.pids().values()}
    second_stack.make("down")
    assert alive_in_groups(groups) == []


@pytest.mark.parametrize(
    "variable, url",
    [
        ("CS_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:{port}"),
        ("CS_AMQP_URI", "amqp://guest:guest@127.0.0.1:{port}/community_space"),
        ("CS_SEARCH_CACHE_URL", "redis://127.0.0.1:{port}/0"),
    ],
)
def test_the_set_up_checks_a_configured_server_and_starts_none_there(variable, url):
    port = free_port()
    done = subprocess.run(
        ["deploy/local/ensure-infra.sh"],
        cwd=ROOT,
        env={**os.environ, variable: url.format(port=port)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"does not answer at 127.0.0.1:{port} ({variable}" in done.stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
