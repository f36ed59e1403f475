"""``python -m bench.latency``: what one call costs, unloaded, beside the floors it is built on.

Issue 16: this machine's speed changes twofold from day to day, so an absolute latency
says little; a call's ratio to the work it cannot avoid, measured in the same run, does.
One client, one call after another (no queueing), a warm-up first, then ``--calls``
timed calls per line:

- floors: a raw AMQP request/reply with kombu (no nameko), a nameko RPC echo of a bare
  service (``bench/echo_service.py``) through the gateway's ``RpcClient``, a PostgreSQL
  insert under a GiST exclusion constraint (what a booking's guarantee costs), a
  ``SELECT 1`` read-only unit of work through the chassis in this process, and the
  gateway's ``/healthz``;
- scenarios: the services' ``health``, ``spaces.get_published`` and
  ``reservations.get_policy`` RPCs, a space's page and a booking create through the gateway.

Targets (issue 16, unloaded p50): ``health`` ≤ 1.3× echo; a create ≤ 2× (echo + insert);
a space's page ≤ 2.5× echo.
"""

import argparse
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg
import sqlalchemy as sa
import urllib3
from kombu import Connection, Consumer, Producer, Queue
from sqlalchemy.engine import make_url

from bench.report import machine_speed, pct, write_section
from bench.reservations import Slots, register_citizens, wait_for_facts
from bench.stack import bench_stack, seed
from chassis.db import ReadOnlyUnitOfWork, make_engine
from chassis.settings import CommonSettings
from gateway.rpc import RpcClient, ServiceTimeout, ServiceUnavailable
from tests.support.processes import BIN, Process, wait_until

SPACES = 200
CITIZENS = 50
WARM_UP = 100
AMQP, ECHO, INSERT, UOW, HEALTHZ = (
    "floor: raw AMQP request/reply (kombu)",
    "floor: nameko RPC echo (bare service, `RpcClient`)",
    "floor: PostgreSQL insert under a GiST exclusion constraint",
    "floor: `SELECT 1` read-only unit of work (chassis, in-process)",
    "floor: `GET /healthz` through the gateway",
)
PAGE, CREATE = "`GET /api/v1/spaces/{id}` through the gateway", "`POST /api/v1/reservations` through the gateway"
HEALTH = [f"`{service}.health` RPC" for service in ("spaces", "reservations", "programs")]
# (what, numerator lines, denominator lines, the most the ratio of their p50s may be)
RATIOS = [
    *((f"{health} ÷ echo", [health], [ECHO], 1.3) for health in HEALTH),
    ("create through the gateway ÷ (echo + insert)", [CREATE], [ECHO, INSERT], 2.0),
    ("space page through the gateway ÷ echo", [PAGE], [ECHO], 2.5),
]


def timed(call, calls: int) -> list[float]:
    """Sorted seconds of ``calls`` calls of ``call(i)``, one after another, after ``WARM_UP`` untimed ones."""
    for i in range(WARM_UP):
        call(i)
    latencies = []
    for i in range(WARM_UP, WARM_UP + calls):
        began = time.perf_counter()
        call(i)
        latencies.append(time.perf_counter() - began)
    return sorted(latencies)


def ratios(p50: dict[str, float]) -> list[tuple[str, float, float, bool]]:
    """Each of ``RATIOS`` as (what, ratio of the p50s, target, met)."""
    answers = []
    for what, over, under, target in RATIOS:
        ratio = sum(p50[line] for line in over) / sum(p50[line] for line in under)
        answers.append((what, ratio, target, ratio <= target))
    return answers


# --- the floors ----------------------------------------------------------------------------------------


def amqp_floor(amqp_uri: str, calls: int) -> list[float]:
    """A responder thread echoes each message of an exclusive queue to its ``reply_to``;
    the requester publishes and waits for the answer: the broker's round trip, with kombu alone."""
    requests, ready, done = f"bench-latency-{uuid.uuid4().hex}", threading.Event(), threading.Event()
    classic = {"x-queue-type": "classic"}

    def respond() -> None:
        with Connection(amqp_uri) as conn:
            producer = Producer(conn.channel(), serializer="json")

            def reply(body, message):
                props = message.properties
                producer.publish(body, routing_key=props["reply_to"], correlation_id=props["correlation_id"])

            queue = Queue(requests, durable=False, exclusive=True, auto_delete=True, queue_arguments=classic)
            with Consumer(conn.channel(), queues=[queue], callbacks=[reply], no_ack=True, accept=["json"]):
                ready.set()
                while not done.is_set():
                    try:
                        conn.drain_events(timeout=0.2)
                    except TimeoutError:
                        pass

    responder = threading.Thread(target=respond, daemon=True)
    responder.start()
    ready.wait(10)
    replies, answers = f"{requests}-replies", []
    with Connection(amqp_uri) as conn:
        queue = Queue(replies, durable=False, exclusive=True, auto_delete=True, queue_arguments=classic)
        consumer = Consumer(conn.channel(), [queue], callbacks=[lambda body, _: answers.append(body)], no_ack=True)
        producer = Producer(conn.channel(), serializer="json")
        with consumer:

            def call(i: int) -> None:
                producer.publish({"n": i}, routing_key=requests, reply_to=replies, correlation_id=str(i))
                while not answers:
                    conn.drain_events(timeout=5)
                assert answers.pop() == {"n": i}

            try:
                return timed(call, calls)
            finally:
                done.set()
                responder.join()


@contextmanager
def echo_service(env: dict, rpc: RpcClient):
    """``bench/echo_service.py`` run as every service is run, until it answers."""
    argv = [str(BIN / "nameko"), "run", "--config", "bench/echo_service.yaml", "bench.echo_service"]
    process = Process("echo", argv, env)

    def answers() -> bool:
        try:
            return rpc.call("echo", "echo", "ready", timeout=1) == "ready"
        except (ServiceUnavailable, ServiceTimeout):
            return False

    try:
        wait_until(answers, process, "echo to answer")
        yield
    finally:
        process.kill()


def insert_floor(database_url: str, calls: int) -> list[float]:
    """One autocommitted insert per call into a scratch table guarded as reservations are, none overlapping."""
    libpq_url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        conn.execute(
            "CREATE TABLE bench_latency_slots (room int, during tstzrange,"
            " EXCLUDE USING gist (room WITH =, during WITH &&))"
        )
        try:

            def call(i: int) -> None:
                begins = start + timedelta(minutes=30 * i)
                conn.execute(
                    "INSERT INTO bench_latency_slots VALUES (%s, tstzrange(%s, %s))",
                    (i % 10, begins, begins + timedelta(minutes=30)),
                )

            return timed(call, calls)
        finally:
            conn.execute("DROP TABLE bench_latency_slots")


def unit_of_work_floor(database_url: str, calls: int) -> list[float]:
    """The ``SELECT 1`` of every ``health`` RPC, in a read-only unit of work as a service opens one."""
    engine = make_engine(database_url)
    sessions = engine.execution_options(isolation_level="AUTOCOMMIT").connect

    def call(_: int) -> None:
        with ReadOnlyUnitOfWork(sessions, "bench") as uow:
            uow.session.execute(sa.text("SELECT 1"))

    try:
        return timed(call, calls)
    finally:
        engine.dispose()


# --- the run -------------------------------------------------------------------------------------------


def measure(calls: int) -> dict:
    # Fast password hashing and a loose sign-in limit: only the set-up registers citizens.
    setup_env = {"CS_ARGON2_PROFILE": "fast", "CS_RATE_LIMIT_AUTH": "100000/minute"}
    services = ("spaces", "reservations", "programs")
    with bench_stack("latency", services=services, extra_env=setup_env) as (url, env):
        seed(env, SPACES)
        wait_for_facts(env, SPACES)
        settings = CommonSettings()
        engine = sa.create_engine(settings.database_url("spaces"))
        with engine.connect() as conn:
            published = [str(i) for i in conn.scalars(sa.text("SELECT id FROM spaces WHERE status = 'published'"))]
        engine.dispose()
        slots = Slots(published, register_citizens(url, CITIZENS))
        reservations_db = settings.database_url("reservations")
        r: dict = {"speed": machine_speed(reservations_db), "published": len(published), "lines": {}}
        lines, statuses = r["lines"], {PAGE: Counter[int](), CREATE: Counter[int]()}
        rpc = RpcClient(settings.amqp_uri, timeout=10)
        try:
            with echo_service(env, rpc), urllib3.PoolManager(maxsize=1) as http:

                def page(i: int) -> None:
                    answer = http.request("GET", f"{url}/api/v1/spaces/{published[i % len(published)]}")
                    statuses[PAGE][answer.status] += 1

                def create(i: int) -> None:
                    body, token = slots.body(i)
                    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
                    answer = http.request("POST", f"{url}/api/v1/reservations", json=body, headers=headers)
                    statuses[CREATE][answer.status] += 1

                lines[AMQP] = amqp_floor(settings.amqp_uri, calls)
                lines[ECHO] = timed(lambda i: rpc.call("echo", "echo", i), calls)
                lines[INSERT] = insert_floor(reservations_db, calls)
                lines[UOW] = unit_of_work_floor(reservations_db, calls)
                lines[HEALTHZ] = timed(lambda _: http.request("GET", f"{url}/healthz"), calls)
                for service, line in zip(services, HEALTH, strict=True):
                    lines[line] = timed(lambda _, s=service: rpc.call(s, "health"), calls)
                for service, method in (("spaces", "get_published"), ("reservations", "get_policy")):
                    lines[f"`{service}.{method}` RPC"] = timed(
                        lambda i, s=service, m=method: rpc.call(s, m, published[i % len(published)]), calls
                    )
                lines[PAGE] = timed(page, calls)
                lines[CREATE] = timed(create, calls)
        finally:
            rpc.close()
        r["statuses"] = statuses
    return r


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"  # the floors are fractions of a millisecond


def answers(counted: Counter) -> str:
    return ", ".join(f"{n}× {status}" for status, n in sorted(counted.items()))


def report(r: dict, calls: int) -> str:
    lines, statuses = r["lines"], r["statuses"]
    p50 = {line: pct(latencies, 50) for line, latencies in lines.items()}
    return "\n".join(
        [
            f"Each line alone, one client, one call after another (no load): {WARM_UP} calls to warm up, then",
            f"{calls} timed. Three services (spaces, reservations, programs) with {SPACES} seeded spaces, of which",
            f"the {r['published']} published are the pages read and booked; every create is a signed-in citizen's on",
            "a slot of its own. The floors are measured in the same run, so the ratios compare across machines",
            "and days where the figures do not. Command: `python -m bench.latency`.",
            "",
            "| call | p50 | p90 | p99 |",
            "|---|---|---|---|",
            *(f"| {line} | {ms(pct(v, 50))} | {ms(pct(v, 90))} | {ms(pct(v, 99))} |" for line, v in lines.items()),
            "",
            f"Answers: space pages {answers(statuses[PAGE])}; creates {answers(statuses[CREATE])}"
            f" (warm-up included; all must be 200 and 201).",
            "",
            "| ratio of p50s (issue 16) | measured | target | |",
            "|---|---|---|---|",
            *(
                f"| {what} | {ratio:.2f} | ≤ {target} | {'met' if met else 'missed'} |"
                for what, ratio, target, met in ratios(p50)
            ),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500, help="timed calls per line")
    args = parser.parse_args()
    result = measure(args.calls)
    body = report(result, args.calls)
    print(body)
    write_section("latency", body, [result["speed"]])
    for line, wanted in ((PAGE, 200), (CREATE, 201)):
        other = {status: n for status, n in result["statuses"][line].items() if status != wanted}
        assert not other, f"{line}: answers other than {wanted}: {other}"


if __name__ == "__main__":
    main()
