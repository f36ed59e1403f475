"""``python -m bench.search``: search latency through the gateway at 2,000 and 100,000 spaces.

For each size it starts a platform of its own, seeds it, offers a mix of
searches at a steady 200 a second (open loop) and reports p50 and p99, then
steps the offered rate up to find the highest it sustains. Targets (issue 3):
p99 under 25 ms at 2,000 spaces and under 60 ms at 100,000, at 200 searches/s.
"""

import argparse
import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from bench.cpu import cpu_seconds, per_request_ms
from bench.loadgen import find_highest_sustained, http_request, open_loop
from bench.report import machine_speed, write_section
from bench.stack import bench_stack, seed
from chassis.settings import CommonSettings

CATALOGUE = Path("services/spaces/catalogue")
DISTRICTS = json.loads((CATALOGUE / "districts.json").read_text())
TYPES = [t["code"] for t in json.loads((CATALOGUE / "space_types.json").read_text())]
AMENITIES = [a["code"] for a in json.loads((CATALOGUE / "amenities.json").read_text())]
WORDS = ["도서", "작은도서관", "공유", "부엌", "마을", "카페", "library", "kitchen", "Cafe", "room", "망원", "Seong"]
TARGETS = {2000: 0.025, 100000: 0.060}
COST_KINDS = ["gateway", "spaces service", "PostgreSQL", "RabbitMQ", "Redis", "load generator"]


def search_mix(seed: int = 7, count: int = 20000) -> list[str]:
    """A deterministic mix of the searches residents make, as query strings.

    Popular searches repeat (a district and a type, a word, the first pages); others
    hardly ever do (an hour of the week, two amenities). Each run of a measurement
    goes on through the mix where the previous one stopped, so no run replays
    searches the one before it has just put in the cache.
    """
    rng = random.Random(seed)
    mix = []
    for _ in range(count):
        district = rng.choice(DISTRICTS)
        kind = rng.random()
        if kind < 0.30:
            params = {"district": [district["code"]], "type": [rng.choice(TYPES)]}
        elif kind < 0.45:
            params = {"q": rng.choice(WORDS)}
        elif kind < 0.60:
            center = district["center"]
            params = {
                "lat": center["lat"],
                "lng": center["lng"],
                "radius_m": rng.choice([1000, 2000, 5000]),
                "sort": "distance",
            }
        elif kind < 0.70:
            at = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(7 * 24 * 60))
            params = {"open_at": at.isoformat(), "district": [district["code"]]}
        elif kind < 0.80:
            params = {"amenity": rng.sample(AMENITIES, 2), "min_capacity": rng.choice([10, 20, 40])}
        elif kind < 0.90:
            params = {"sort": "name", "page": rng.randint(1, 5)}
        else:
            params = {"type": [rng.choice(TYPES)], "sort": "capacity", "page": 2}
        mix.append(urlencode(params, doseq=True))
    return mix


def measure(size: int, rate: float, duration: float, steps: list[float]) -> dict:
    mix = search_mix()
    with bench_stack(f"search_{size}") as (url, env):
        seed(env, size)

        position = itertools.count()
        hits = []  # one entry per answer from the gateway's search cache

        def search(_):
            return http_request(url, "GET", f"/api/v1/spaces?{mix[next(position) % len(mix)]}")

        def seen(status, headers):
            if headers.get("x-cache") == "hit":
                hits.append(1)

        open_loop(url, search, rate / 2, 10)  # warm pools, plans and the cache, as a running platform's are
        speed = machine_speed(CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("spaces"))
        before, hits_before = cpu_seconds(), len(hits)
        steady = open_loop(url, search, rate, duration, seen=seen)
        cost = per_request_ms(before, cpu_seconds(), len(steady.latencies))
        hit_ratio = (len(hits) - hits_before) / max(1, len(steady.latencies))
        limit = TARGETS.get(size, 0.1) * 4
        ramp = find_highest_sustained(url, search, steps, duration / 2, p99_limit=limit)
    sustained = [run.offered_rate for run in ramp if run.sustained(limit)]
    return {
        "size": size,
        "steady": steady,
        "highest": max(sustained, default=0),
        "limit": limit,
        "cost": cost,
        "hit_ratio": hit_ratio,
        "speed": speed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 100000])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()

    rows, costs, speeds = [], [], []
    for size in args.sizes:
        result = measure(size, args.rate, args.duration, steps=[50, 100, 150, 200, 300, 400])
        steady = result["steady"]
        target = TARGETS.get(size)
        rows.append(
            f"| {size:,} | {args.rate:.0f}/s | {steady.achieved_rate:.0f}/s | {steady.percentile(50) * 1000:.1f} ms "
            f"| {steady.percentile(99) * 1000:.1f} ms | {f'{target * 1000:.0f} ms' if target else '-'} "
            f"| {steady.server_errors} | {result['hit_ratio']:.0%} | {result['highest']:.0f}/s |"
        )
        costs.append(
            f"| {size:,} | "
            + " | ".join(f"{result['cost'].get(k, 0):.2f}" for k in COST_KINDS)
            + f" | {sum(result['cost'].values()):.2f} |"
        )
        speeds.append(f"{size:,} spaces: {result['speed']}")
        print(rows[-1], costs[-1], sep="\n", flush=True)
    write_section(
        "search",
        "\n".join(
            [
                "Search (`GET /api/v1/spaces`, a mix of district, type, text, distance, open-at, amenity and paging",
                f"queries) through the gateway, open loop at a steady offered rate for {args.duration:.0f} s.",
                '"Highest sustained" is the highest offered rate (in steps) answered in full, without a 5xx,',
                "with p99 under four times the target. Command: `make bench` (or `python -m bench.search`).",
                '"From the cache" is the share of the steady run\'s searches that the gateway answered from',
                "its shared search cache (Redis, `CS_SEARCH_CACHE_URL`); the others went to the spaces service.",
                "The mix goes on where the previous run stopped, so a run does not replay the searches the",
                "one before it cached.",
                "",
                "| spaces | offered | achieved | p50 | p99 | p99 target | 5xx | from the cache | highest sustained |",
                "|---|---|---|---|---|---|---|---|---|",
                *rows,
                "",
                "CPU milliseconds per search during the steady run, by process (2 cores in all; the load",
                "generator shares them):",
                "",
                "| spaces | " + " | ".join(COST_KINDS) + " | total |",
                "|---" * (len(COST_KINDS) + 2) + "|",
                *costs,
            ]
        ),
        speeds,
    )


if __name__ == "__main__":
    main()
