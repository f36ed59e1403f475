"""``python -m bench.reservations``: creating reservations through the gateway, and a rush on one slot.

1. Creates on distinct slots at a steady offered rate (open loop), then a ramp to
   find the highest rate sustained. Target (issue 4): 250/s with p99 under 150 ms.
2. A rush: 500 clients released together on one slot. Target: exactly one winner,
   no 5xx, p99 under 2 s.

Every request is a real one: a signed-in citizen, an Idempotency-Key of its own,
a seeded space that is open then (Wednesdays 14:00–17:30 in Seoul suit every
opening-hours pattern of the demo data), half-hour slots that no two requests share.
"""

import argparse
import asyncio
import json
import time
import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import urllib3

from bench.cpu import cpu_seconds, per_request_ms
from bench.loadgen import Run, exchange, find_highest_sustained, http_request, open_connections, open_loop
from bench.report import machine_speed, write_section
from bench.stack import bench_stack, seed
from chassis.settings import CommonSettings

SPACES = 2000
CITIZENS = 200
SEOUL = timezone(timedelta(hours=9))
SLOTS_PER_DAY = 7  # 14:00–17:30
STEADY_TARGET_P99 = 0.150
RUSH_CLIENTS = 500


def wednesdays(count: int) -> list[datetime]:
    day = datetime.now(SEOUL).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
    day += timedelta(days=(2 - day.weekday()) % 7)
    return [day + timedelta(weeks=n) for n in range(count)]


class Slots:
    """Request i gets its own (space, Wednesday, half hour) and a citizen. Round k over the
    spaces gives space s to citizen s + k: consecutive requests come from different
    citizens, and a citizen books one space again only after as many rounds as there are
    citizens (the quota allows three there), so every request is a create."""

    def __init__(self, space_ids: list[str], tokens: list[str]):
        self.space_ids, self.tokens, self.days = space_ids, tokens, wednesdays(8)

    def body(self, i: int) -> tuple[dict, str]:
        space = self.space_ids[i % len(self.space_ids)]
        rest = i // len(self.space_ids)
        slot, day = rest % SLOTS_PER_DAY, self.days[(rest // SLOTS_PER_DAY) % len(self.days)]
        start = day + timedelta(hours=14, minutes=30 * slot)
        body = {
            "space_id": space,
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=30)).isoformat(),
            "party_size": 2,
            "purpose": "Study group",
        }
        return body, self.tokens[(i % len(self.space_ids) + rest) % len(self.tokens)]


def post(url: str, body: dict, token: str) -> bytes:
    return http_request(
        url,
        "POST",
        "/api/v1/reservations",
        {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
        },
        json.dumps(body).encode(),
    )


def register_citizens(url: str, count: int) -> list[str]:
    with urllib3.PoolManager() as http:
        tokens = []
        for n in range(count):
            answer = http.request(
                "POST",
                f"{url}/api/v1/auth/register",
                body=json.dumps(
                    {
                        "email": f"bench-{n}-{uuid.uuid4().hex[:6]}@example.com",
                        "password": "bench password 1",
                        "name": f"Bench {n}",
                    }
                ).encode(),
                headers={"Content-Type": "application/json"},
            )
            tokens.append(json.loads(answer.data)["access_token"])
        return tokens


def wait_for_facts(env: dict, count: int) -> None:
    """The reservations service learns the seeded spaces from their events; wait until it has all."""
    engine = sa.create_engine(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("reservations"))
    try:
        with engine.connect() as conn:
            while conn.scalar(sa.text("SELECT count(*) FROM space_facts")) < count:
                conn.rollback()
                time.sleep(1)
    finally:
        engine.dispose()


def rush(url: str, space_id: str, tokens: list[str]) -> Run:
    """``RUSH_CLIENTS`` connections, each open (one ``/healthz`` answered) and its request
    written out in advance, then every request sent at once on one slot; each latency runs
    from that moment to its answer.

    One asyncio loop drives every connection: 500 client threads would take a second of
    the two cores the platform under test runs on.
    """
    day = wednesdays(1)[0] + timedelta(hours=17)
    body = {
        "space_id": space_id,
        "start": day.isoformat(),
        "end": (day + timedelta(minutes=30)).isoformat(),
        "party_size": 2,
    }
    requests = [post(url, body, tokens[n % len(tokens)]) for n in range(RUSH_CLIENTS)]
    return asyncio.run(_rush(url, requests))


async def _rush(url: str, requests: list[bytes]) -> Run:
    run = Run(len(requests), 0)
    connections = await open_connections(url, len(requests))
    began = time.perf_counter()

    async def client(reader, writer, request: bytes):
        try:
            status, _ = await exchange(reader, writer, request)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            run.errors += 1
        else:
            run.count(time.perf_counter() - began, status)
        finally:
            writer.close()

    await asyncio.gather(
        *(client(reader, writer, request) for (reader, writer), request in zip(connections, requests, strict=True))
    )
    run.elapsed = time.perf_counter() - began
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=250)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()

    # Fast password hashing and a loose sign-in limit: only the set-up registers citizens.
    setup_env = {"CS_ARGON2_PROFILE": "fast", "CS_RATE_LIMIT_AUTH": "100000/minute"}
    with bench_stack("reservations", services=("spaces", "reservations"), extra_env=setup_env) as (url, env):
        seed(env, SPACES)
        wait_for_facts(env, SPACES)
        engine = sa.create_engine(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("spaces"))
        with engine.connect() as conn:
            space_ids = [str(i) for i in conn.scalars(sa.text("SELECT id FROM spaces ORDER BY id"))]
        engine.dispose()
        rush_space, space_ids = space_ids[0], space_ids[1:]  # no create takes the rush's slot first
        slots = Slots(space_ids, register_citizens(url, CITIZENS))
        next_slot = iter(range(10**9))

        def create(_):
            return post(url, *slots.body(next(next_slot)))

        # Warm up as a running platform is: pools grown, statements prepared on each connection.
        open_loop(url, create, args.rate / 2, 10)
        speed = machine_speed(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("reservations"))
        before = cpu_seconds()
        steady = open_loop(url, create, args.rate, args.duration)
        cost = per_request_ms(before, cpu_seconds(), len(steady.latencies))
        ramp = find_highest_sustained(
            url, create, [50, 100, 150, 200, 250, 300, 400], args.duration / 2, p99_limit=STEADY_TARGET_P99
        )
        crowd = rush(url, rush_space, slots.tokens)

    highest = max((r.offered_rate for r in ramp if r.sustained(STEADY_TARGET_P99)), default=0)
    statuses = ", ".join(f"{n}× {status}" for status, n in sorted(steady.statuses.items()))
    rush_statuses = ", ".join(f"{n}× {status}" for status, n in sorted(crowd.statuses.items()))
    costs = " · ".join(f"{kind} {ms:.2f}" for kind, ms in sorted(cost.items(), key=lambda kv: -kv[1]))
    body = "\n".join(
        [
            f"Creates (`POST /api/v1/reservations`) on distinct slots of {SPACES - 1:,} seeded spaces by {CITIZENS}",
            f'citizens, open loop for {args.duration:.0f} s after 10 s at half the rate; "highest sustained" is the',
            "highest offered rate (in steps) answered in full without a 5xx and with p99 under 150 ms.",
            f"Then a rush of {RUSH_CLIENTS} clients released together on one slot of the space the creates left alone.",
            "Command: `python -m bench.reservations`.",
            "",
            "| run | offered | achieved | p50 | p99 | target | answers | highest sustained |",
            "|---|---|---|---|---|---|---|---|",
            f"| distinct slots | {args.rate:.0f}/s | {steady.achieved_rate:.0f}/s "
            f"| {steady.percentile(50) * 1000:.1f} ms | {steady.percentile(99) * 1000:.1f} ms "
            f"| 250/s, p99 < 150 ms | {statuses} | {highest:.0f}/s |",
            f"| rush on one slot | {RUSH_CLIENTS} at once | - | {crowd.percentile(50) * 1000:.0f} ms "
            f"| {crowd.percentile(99) * 1000:.0f} ms | one winner, no 5xx, p99 < 2 s | {rush_statuses}"
            f"{f', {crowd.errors} failed' if crowd.errors else ''} | - |",
            "",
            f"CPU milliseconds per create during the steady run: {costs}.",
        ]
    )
    print(body)
    write_section("reservations", body, [speed])


if __name__ == "__main__":
    main()
