"""docs/benchmarks.md: one section per benchmark, replaced in place on each run."""
import os
import platform
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
    """How fast this machine is just now, in two figures: ten million additions in Python,
    and a ``SELECT 1`` round trip to PostgreSQL (system calls and loopback; best of three
    runs each).

    Both change from hour to hour with the host's other tenants, and the second more: on
    2026-11-30 a round trip took 95 µs and every process's CPU per request was twice the
    day before's, while the additions were as fast. Figures from two runs compare only
    next to these.
    """
    loop = rtt = float("inf")
    libpq_url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        for _ in range(3):
            began, total = time.perf_counter(), 0
            for i in range(10_000_000):
                total += i
            loop = min(loop, time.perf_counter() - began)
            began = time.perf_counter()
            for _ in range(1000):
                conn.execute("SELECT 1").fetchone()
            rtt = min(rtt, (time.perf_counter() - began) / 1000)
    return f"10⁷ additions in Python {loop:.2f} s, a PostgreSQL round trip {rtt * 1e6:.0f} µs"


def write_section(name: str, body: str, speeds: list[str]) -> None:
    """Replace section ``name``; ``speeds`` are ``machine_speed()`` measured just before each run."""
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
               f"{' and '.join(speeds)}")
    block = f"<!-- bench:{name} -->\n## {name.capitalize()}\n\n_{date.today()}, {machine}._\n\n{body}\n<!-- /bench:{name} -->"
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    REPORT.write_text(text)
