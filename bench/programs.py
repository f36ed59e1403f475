"""``python -m bench.programs``: an application rush, and program search, through the gateway.

1. A rush: 500 signed-in citizens, each on a connection of its own, apply at once
   (``POST /api/v1/programs/{id}/applications`` with an Idempotency-Key) to a published
   first-come program of capacity 20. Target: exactly 20 accepted, 480 wait-listed at
   positions 1..480, no 5xx, p99 under 1 s.
2. Search (``GET /api/v1/programs``) at a steady 200 a second (open loop) over 5,000
   published programs, with a mix of text, district, category, open, places-left,
   from/to and paging filters. Target: p99 under 25 ms.

The programs are made as an operator makes them: ``create`` then ``publish`` over the
programs service's RPC, the actor being the space's operator. Each publish blocks the
sessions' times in the reservations service, so ``program_catalogue.plan_programs`` gives every program
of a space a weekly hour of its own (see its docstring). The floors measured in the same
run (``/healthz`` through the gateway, a ``health`` RPC, the machine's speed) are there
because this machine's speed changes twofold from day to day: compare ratios.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import sqlalchemy as sa
import urllib3

from bench.cpu import cpu_seconds, per_request_ms
from bench.loadgen import Run, answer, find_highest_sustained, http_request, open_connections, open_loop
from bench.program_catalogue import SEOUL, WEEKS, Plan, first_monday, plan_programs, program_data, search_mix
from bench.report import machine_speed, pct, write_section
from bench.reservations import register_citizens
from bench.stack import bench_stack, seed
from chassis.errors import Unavailable
from chassis.settings import CommonSettings
from gateway.rpc import RpcClient

SPACES = 600  # seeded; those with a closure are left out, which leaves about 540
PROGRAMS = 5000
APPLICANTS = 500
RUSH_CAPACITY = 20
RATE, DURATION = 200.0, 20.0
RAMP = [25, 50, 75, 100, 150, 200]  # searches a second, for the highest sustained
RUSH_TARGET_P99, SEARCH_TARGET_P99 = 1.0, 0.025
# --- set-up ------------------------------------------------------------------------------------------


def wait_for_facts(env: dict, services: tuple[str, ...], count: int) -> None:
    """Each service learns the seeded spaces from their events; wait until each has all of them."""
    for service in services:
        engine = sa.create_engine(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url(service))
        try:
            with engine.connect() as conn:
                while conn.scalar(sa.text("SELECT count(*) FROM space_facts")) < count:
                    conn.rollback()
                    time.sleep(1)
        finally:
            engine.dispose()


def open_spaces(env: dict) -> list[tuple[str, str]]:
    """(space id, its first operator) of the seeded spaces without closures, in id order."""
    engine = sa.create_engine(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("spaces"))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT s.id, s.operators[1] FROM spaces s WHERE NOT EXISTS "
                    "(SELECT 1 FROM closures c WHERE c.space_id = s.id) ORDER BY s.id"
                )
            )
            return [(str(space_id), str(operator)) for space_id, operator in rows]
    finally:
        engine.dispose()


def create_programs(rpc: RpcClient, spaces: list[tuple[str, str]], plans: list[Plan], workers: int = 8) -> list[str]:
    """Create and publish each planned program as its space's operator, ``workers`` at a time."""
    now = datetime.now(SEOUL)

    def one(n: int) -> str:
        plan = plans[n]
        space_id, operator = spaces[plan.space]
        actor = {"id": operator, "role": "operator"}
        program = rpc.call("programs", "create", actor, program_data(plan, space_id, now, 10 + n % 31, n))
        try:
            rpc.call("programs", "publish", actor, program["id"])
        except Unavailable:  # the reservations service was slow to answer: the step finishes by itself
            pass
        return program["id"]

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(len(plans))))


# --- the rush ----------------------------------------------------------------------------------------


def application(url: str, program_id: str, token: str) -> bytes:
    return http_request(
        url,
        "POST",
        f"/api/v1/programs/{program_id}/applications",
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
        b"{}",
    )


async def rush(url: str, requests: list[bytes]) -> tuple[Run, list[dict], int]:
    """Open one connection per applicant (one ``/healthz`` answered on each), then send every
    application at once. A 409 with Retry-After (the program's row stayed locked) is sent
    again with the same key after that wait, as a client would; the latency runs to the
    final answer. Answers (the run, the bodies of the 201s, how many were sent again)."""
    run, bodies, retries = Run(len(requests), 0), [], 0
    connections = await open_connections(url, len(requests))
    began = time.perf_counter()

    async def client(reader, writer, request: bytes):
        nonlocal retries
        try:
            status, headers, body = await answer(reader, writer, request)
            while status == 409 and "retry-after" in headers:
                retries += 1
                await asyncio.sleep(float(headers["retry-after"]))
                status, headers, body = await answer(reader, writer, request)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            run.errors += 1
        else:
            run.count(time.perf_counter() - began, status)
            if status == 201:
                bodies.append(json.loads(body))
        finally:
            writer.close()

    await asyncio.gather(
        *(client(reader, writer, r) for (reader, writer), r in zip(connections, requests, strict=True))
    )
    run.elapsed = time.perf_counter() - began
    return run, bodies, retries


def check_rush(run: Run, bodies: list[dict]) -> list[str]:
    """What the rush got wrong, if anything: the exact outcome is asserted, not hoped for."""
    accepted = [b for b in bodies if b["status"] == "accepted"]
    positions = sorted(b["waitlist_position"] for b in bodies if b["status"] == "waitlisted")
    wrong = []
    if len(accepted) != RUSH_CAPACITY:
        wrong.append(f"{len(accepted)} accepted, not {RUSH_CAPACITY}")
    if positions != list(range(1, APPLICANTS - RUSH_CAPACITY + 1)):
        wrong.append(f"wait-list positions are not 1..{APPLICANTS - RUSH_CAPACITY}: {len(positions)} waitlisted")
    if run.server_errors:
        wrong.append(f"{run.server_errors} 5xx or failed connections")
    return wrong


# --- floors and search -------------------------------------------------------------------------------


def rpc_floor(rpc: RpcClient, calls: int = 300) -> list[float]:
    """Latencies of the programs service's ``health``: one RPC round trip and nothing else."""
    latencies = []
    for _ in range(calls):
        began = time.perf_counter()
        rpc.call("programs", "health")
        latencies.append(time.perf_counter() - began)
    return sorted(latencies)


def by_kind(url: str, mix: list[tuple[str, str]], each: int = 40) -> dict[str, list[float]]:
    """Each kind of search timed alone, one at a time, as the programs service answers it: which
    of them makes the slow 1%. A page size of its own keeps most out of the gateway's cache;
    answers from the cache are left out."""
    seen: dict[str, list[float]] = {}
    with urllib3.PoolManager() as http:
        for n, (kind, query) in enumerate(mix):
            if len(seen.setdefault(kind, [])) >= each:
                continue
            began = time.perf_counter()
            answer = http.request("GET", f"{url}/api/v1/programs?{query}&page_size={10 + n % 40}")
            if answer.headers.get("x-cache") != "hit":
                seen[kind].append(time.perf_counter() - began)
    return {kind: sorted(latencies) for kind, latencies in seen.items() if latencies}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# --- the run -----------------------------------------------------------------------------------------


def build(url: str, env: dict, rpc: RpcClient) -> tuple[str, int, float]:
    """Seed the spaces, then the rush's program and the 5,000 others; answers (the rush's program
    id, how many spaces hold the 5,000, seconds they took)."""
    seed(env, SPACES)
    wait_for_facts(env, ("reservations", "programs"), SPACES)
    taken = programs_db(env, "SELECT DISTINCT space_id::text FROM programs")  # the seed's demo programs
    spaces = [space for space in open_spaces(env) if space[0] not in taken]
    rush_space, spaces = spaces[0], spaces[1:]  # no other program holds the rush's space
    actor = {"id": rush_space[1], "role": "operator"}
    plan = Plan(0, 3, 14, first_monday(date.today()), 1, True, 0)
    data = program_data(plan, rush_space[0], datetime.now(SEOUL), RUSH_CAPACITY, 0)
    rush_id = rpc.call("programs", "publish", actor, rpc.call("programs", "create", actor, data)["id"])["id"]
    began = time.perf_counter()
    create_programs(rpc, spaces, plan_programs(len(spaces), PROGRAMS, date.today()))
    unfinished = "SELECT id::text FROM programs WHERE step IS NOT NULL OR status = 'draft'"
    while programs_db(env, unfinished):  # publishes whose reservations call timed out finish by the timer
        time.sleep(2)
    took = time.perf_counter() - began
    programs_db(env, "VACUUM ANALYZE")  # statistics, as a database that has been running has
    return rush_id, len(spaces), took


def programs_db(env: dict, statement: str) -> set[str]:
    """Run ``statement`` on the programs service's database; the first column of its rows."""
    engine = sa.create_engine(
        CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("programs"), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql(statement)
            return {row[0] for row in result} if result.returns_rows else set()
    finally:
        engine.dispose()


def measure(args) -> dict:
    # Fast password hashing and a loose sign-in limit: only the set-up registers citizens.
    setup_env = {"CS_ARGON2_PROFILE": "fast", "CS_RATE_LIMIT_AUTH": "100000/minute"}
    services = ("spaces", "reservations", "programs")
    with bench_stack("programs", services=services, extra_env=setup_env) as (url, env):
        rpc = RpcClient(CommonSettings().amqp_uri, timeout=60)
        try:
            rush_id, spaces, build_seconds = build(url, env, rpc)
            print(f"{PROGRAMS:,} programs created and published in {build_seconds:.0f} s", flush=True)
            requests = [application(url, rush_id, token) for token in register_citizens(url, APPLICANTS)]
            result: dict = {"build_seconds": build_seconds, "spaces": spaces}
            published = programs_db(env, "SELECT count(*)::text FROM programs WHERE status = 'published'")
            result["published"] = int(published.pop())
            result["speed"] = machine_speed(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("programs"))
            before = cpu_seconds()
            result["healthz"] = open_loop(url, lambda _: http_request(url, "GET", "/healthz"), args.rate, 10)
            result["healthz_cost"] = per_request_ms(before, cpu_seconds(), len(result["healthz"].latencies))
            before = cpu_seconds()
            result["rpc"] = rpc_floor(rpc)
            result["rpc_cost"] = per_request_ms(before, cpu_seconds(), len(result["rpc"]))
            before, result["rush_load"] = cpu_seconds(), os.getloadavg()[0]
            result["rush"], result["bodies"], result["retries"] = asyncio.run(rush(url, requests))
            result["rush_cost"] = per_request_ms(before, cpu_seconds(), APPLICANTS)
            result["program"] = rpc.call("programs", "get", rush_id)
            mix = search_mix(date.today())
            position = iter(range(10**9))

            def search(_):
                return http_request(url, "GET", f"/api/v1/programs?{mix[next(position) % len(mix)][1]}")

            open_loop(url, search, args.rate / 2, 10)  # warm pools and plans, as a running platform's are
            before, result["search_load"], hits = cpu_seconds(), os.getloadavg()[0], []
            result["search"] = open_loop(
                url, search, args.rate, args.duration, seen=lambda _, headers: hits.append(headers.get("x-cache"))
            )
            result["hit_ratio"] = hits.count("hit") / max(1, len(hits))
            result["search_cost"] = per_request_ms(before, cpu_seconds(), len(result["search"].latencies))
            ramp = find_highest_sustained(url, search, RAMP, args.duration / 2, p99_limit=4 * SEARCH_TARGET_P99)
            result["highest"] = max(
                (run.offered_rate for run in ramp if run.sustained(4 * SEARCH_TARGET_P99)), default=0
            )
            result["kinds"] = by_kind(url, mix[next(position) % len(mix) :] + mix)
        finally:
            rpc.close()
    return result


def costs(cost: dict) -> str:
    return " · ".join(f"{kind} {value:.2f}" for kind, value in sorted(cost.items(), key=lambda kv: -kv[1]))


def statuses(run: Run) -> str:
    failed = f", {run.errors} failed" if run.errors else ""
    return ", ".join(f"{n}× {status}" for status, n in sorted(run.statuses.items())) + failed


def rush_floor(r: dict) -> list[str]:
    """What the floors alone cost the rush: each application is at least an HTTP answer of the
    gateway and one RPC, and the machine has so many cores to spend their CPU on."""
    healthz, rpc = sum(r["healthz_cost"].values()), sum(r["rpc_cost"].values())
    cores = os.cpu_count() or 1
    seconds = APPLICANTS * (healthz + rpc) / 1000 / cores
    return [
        f"The floors' own CPU over every process: {healthz:.2f} ms for a `/healthz` answer, {rpc:.2f} ms for a",
        f"`health` RPC. {APPLICANTS} applications at once, each at least one of both, take {APPLICANTS} ×",
        f"{healthz + rpc:.2f} ms on {cores} cores: {seconds:.2f} s before any work of an application's own, "
        f"{seconds / RUSH_TARGET_P99:.0%} of the rush's target.",
    ]


def report(r: dict, wrong: list[str], duration: float, rate: float) -> str:
    crowd, search, floor, rpc = r["rush"], r["search"], r["healthz"], r["rpc"]
    accepted = sum(b["status"] == "accepted" for b in r["bodies"])
    waitlisted = sum(b["status"] == "waitlisted" for b in r["bodies"])
    alone = statistics.median([t for v in r["kinds"].values() for t in v])
    kinds = [
        f"| {kind} | {len(v)} | {ms(statistics.median(v))} | {ms(v[-1])} |" for kind, v in sorted(r["kinds"].items())
    ]
    return "\n".join(
        [
            f"{PROGRAMS:,} published programs (1–4 weekly sessions over {WEEKS} weeks, Tuesday to Friday afternoons)",
            f"at the {r['spaces']} seeded spaces without closures, each made with `create` then `publish` over RPC",
            f"as the space's operator, 8 at a time: {r['build_seconds']:.0f} s. {r['published']:,} are published",
            "in all, with the rush's and the seed's demo programs. Command: `python -m bench.programs`.",
            "",
            f"1. **Rush:** {APPLICANTS} signed-in citizens, one connection each, apply at once to a published",
            f"   first-come program of capacity {RUSH_CAPACITY} (a 409 with Retry-After is sent again with its key;",
            f"   {r['retries']} were). Outcome: {accepted} accepted, {waitlisted} wait-listed"
            f"{' at positions 1..' + str(waitlisted) if not wrong else ''}; the program then counted "
            f"{r['program']['accepted_count']} places accepted and {r['program']['waitlist_count']} waiting."
            f" {'**Wrong: ' + '; '.join(wrong) + '.**' if wrong else 'As it must be.'}",
            f"2. **Search:** `GET /api/v1/programs`, open loop at {rate:.0f}/s for {duration:.0f} s after 10 s at",
            "   half the rate; a mix of a Korean part of a word in `q`, district (with a category or not),",
            "   category, `open=true`, `places_left=true`, a week of `from`/`to`, and plain pages 1–10.",
            "",
            "| run | offered | achieved | p50 | p95 | p99 | target | answers |",
            "|---|---|---|---|---|---|---|---|",
            f"| rush of {APPLICANTS} applications | {APPLICANTS} at once | - | {ms(crowd.percentile(50))} "
            f"| {ms(crowd.percentile(95))} | {ms(crowd.percentile(99))} "
            f"| {RUSH_CAPACITY} accepted, 480 waiting, no 5xx, p99 < 1 s | {statuses(crowd)} |",
            f"| search over {PROGRAMS:,} programs | {rate:.0f}/s | {search.achieved_rate:.0f}/s "
            f"| {ms(search.percentile(50))} | {ms(search.percentile(95))} | {ms(search.percentile(99))} "
            f"| p99 < 25 ms | {statuses(search)}; {r['hit_ratio']:.0%} from the gateway's cache |",
            f"| search, highest sustained | {r['highest']:.0f}/s | - | - | - | - | p99 < 100 ms, no 5xx | - |",
            f"| floor: `GET /healthz` | {rate:.0f}/s | {floor.achieved_rate:.0f}/s | {ms(floor.percentile(50))} "
            f"| {ms(floor.percentile(95))} | {ms(floor.percentile(99))} | - | {statuses(floor)} |",
            f"| floor: `programs.health` RPC, one at a time | - | - | {ms(pct(rpc, 50))} | {ms(pct(rpc, 95))} "
            f"| {ms(pct(rpc, 99))} | - | {len(rpc)} answered |",
            "",
            "Ratios to the floors of the same run (these compare across machines and days): a search alone",
            f"(the median of the table below) took {alone / floor.percentile(50):.1f}× a `/healthz` answer "
            f"and {alone / pct(rpc, 50):.1f}× a `health` RPC;",
            f"the rush took {crowd.elapsed * 1000 / APPLICANTS:.1f} ms per application to answer all {APPLICANTS}, "
            f"{crowd.elapsed / APPLICANTS / pct(rpc, 50):.1f}× a `health` RPC round trip.",
            "",
            *rush_floor(r),
            "",
            "CPU milliseconds per application during the rush: " + costs(r["rush_cost"]) + ".",
            "CPU milliseconds per search during the steady run: " + costs(r["search_cost"]) + ".",
            "These count every process of each kind on the machine, other people's test runs too: the",
            f"one-minute load average was {r['rush_load']:.1f} as the rush began and {r['search_load']:.1f} as the",
            "steady search run began (2 cores).",
            "",
            '"Highest sustained": the highest of ' + ", ".join(map(str, RAMP)) + " searches a second, offered for",
            f"{duration / 2:.0f} s each in turn, answered in full without a 5xx and with p99 under four times the",
            "target. Each kind of search alone, one at a time after the ramp (sequential, so no queueing), as the",
            "programs service answers it (a page size of its own keeps it out of the cache; hits are left out):",
            "",
            "| kind | searches | median | slowest |",
            "|---|---|---|---|",
            *kinds,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=RATE)
    parser.add_argument("--duration", type=float, default=DURATION)
    args = parser.parse_args()
    result = measure(args)
    wrong = check_rush(result["rush"], result["bodies"])
    body = report(result, wrong, args.duration, args.rate)
    print(body)
    write_section("programs", body, [result["speed"]])
    assert not wrong, f"the rush went wrong: {'; '.join(wrong)}"
    waiting = APPLICANTS - RUSH_CAPACITY
    print(f"rush: exactly {RUSH_CAPACITY} accepted, {waiting} wait-listed at positions 1..{waiting}, no 5xx")


if __name__ == "__main__":
    main()
