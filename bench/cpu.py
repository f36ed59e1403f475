"""CPU time of the platform's processes, read from /proc, to say where a request's cost goes."""

import os

KINDS = {"postgres": "PostgreSQL", "beam.smp": "RabbitMQ", "redis-server": "Redis", "gateway.serve": "gateway"}


def kind_of(cmdline: str) -> str | None:
    if "nameko" in cmdline and "services." in cmdline:
        return cmdline.split("services.", 1)[1].split(".", 1)[0] + " service"
    return next((kind for marker, kind in KINDS.items() if marker in cmdline), None)


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by each kind of process on this machine, and by this process."""
    totals: dict[str, float] = {"load generator": sum(os.times()[:2])}
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if (kind := kind_of(cmdline)) is not None:
            # its own time and that of its children that exited (PostgreSQL's backends, say)
            totals[kind] = totals.get(kind, 0.0) + sum(map(int, fields[11:15])) / ticks
    return totals


def per_request_ms(before: dict, after: dict, requests: int) -> dict[str, float]:
    return {
        kind: (after[kind] - before.get(kind, 0.0)) * 1000 / requests
        for kind in after
        if requests and after[kind] > before.get(kind, 0.0)
    }
