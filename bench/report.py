"""docs/benchmarks.md: one section per benchmark, replaced in place on each run."""

import os
import platform
import random
import re
import time
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

REPORT = Path("docs/benchmarks.md")
HEADER = """# Benchmarks

Figures from `make bench` on the machine named under each section. Speed targets live
here, never in tests. Re-run to refresh a section; the others are kept.
"""


def machine_speed(database_url: str) -> str:
    """How fast this machine is just now, in three figures, best of three runs each:
    ten million additions in Python (the processor alone), a lookup in a dictionary of
    two million entries at random keys (mostly memory latency), and a ``SELECT 1`` round
    trip to PostgreSQL (system calls and loopback).

    They change from hour to hour with the host's other tenants, and not together: on
    2026-11-30 the additions were as fast as ever while a random lookup took 0.7–1.9 µs,
    a round trip 84–109 µs, and every process used twice the CPU per request of the day
    before. Figures from two runs compare only next to these.
    """
    loop = lookup = rtt = float("inf")
    table = {n: n for n in range(2_000_000)}
    keys = [random.randrange(len(table)) for _ in range(1_000_000)]
    libpq_url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        for _ in range(3):
            began, total = time.perf_counter(), 0
            for i in range(10_000_000):
                total += i
            loop = min(loop, time.perf_counter() - began)
            began = time.perf_counter()
            for key in keys:
                total += table[key]
            lookup = min(lookup, (time.perf_counter() - began) / len(keys))
            began = time.perf_counter()
            for _ in range(1000):
                conn.execute("SELECT 1").fetchone()
            rtt = min(rtt, (time.perf_counter() - began) / 1000)
    return (
        f"10⁷ additions in Python {loop:.2f} s, a random dictionary lookup {lookup * 1e9:.0f} ns, "
        f"a PostgreSQL round trip {rtt * 1e6:.0f} µs"
    )


def pct(latencies: list[float], p: float) -> float:
    """The ``p``-th percentile of latencies already sorted (the nearest rank)."""
    return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]


def write_section(name: str, body: str, speeds: list[str]) -> None:
    """Replace section ``name``; ``speeds`` are ``machine_speed()`` measured just before each run."""
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {' and '.join(speeds)}"
    )
    heading = f"## {name.capitalize()}\n\n_{date.today()}, {machine}._"
    block = f"<!-- bench:{name} -->\n{heading}\n\n{body}\n<!-- /bench:{name} -->"
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    REPORT.write_text(text)
