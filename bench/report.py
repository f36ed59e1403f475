"""docs/benchmarks.md: one section per benchmark, replaced in place on each run."""
import os
import platform
import re
from datetime import date
from pathlib import Path

REPORT = Path("docs/benchmarks.md")
HEADER = """# Benchmarks

Figures from `make bench` on the machine named under each section. Speed targets live
here, never in tests. Re-run to refresh a section; the others are kept.
"""


def write_section(name: str, body: str) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    block = f"<!-- bench:{name} -->\n## {name.capitalize()}\n\n_{date.today()}, {machine}._\n\n{body}\n<!-- /bench:{name} -->"
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    REPORT.write_text(text)
