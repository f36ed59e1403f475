"""``python -m gateway.serve``: the gateway served by granian, a WSGI server written in Rust.

granian reads and writes HTTP outside the GIL and hands each request to a pool of
Python threads; gunicorn did that work in Python, at 1.35 ms of CPU per request
before Flask saw it, against 0.6 ms here (`docs/benchmarks.md`).

Threads, not processes: each request mostly waits on RPC or PostgreSQL. (granian warns
at start that 16 threads are many for the cores it sees; they are meant for waiting.)
One worker by default keeps Prometheus counters in one process; scale out with more
containers (and ``CS_RATE_LIMIT_STORAGE=redis://...`` so they share rate limits).

Settings: ``CS_GATEWAY_BIND`` (host:port), ``CS_GATEWAY_WORKERS`` (processes),
``CS_GATEWAY_THREADS`` (threads each), ``CS_GATEWAY_ACCESS_LOG`` (``false``: none).
"""

import os

from granian import Granian
from granian.constants import HTTPModes, Interfaces

STOP_SECONDS = 20  # requests in flight get this long to finish after SIGTERM


def server() -> Granian:
    environ = os.environ
    host, _, port = environ.get("CS_GATEWAY_BIND", "127.0.0.1:8000").rpartition(":")
    return Granian(
        "gateway.wsgi:app",
        interface=Interfaces.WSGI,
        address=host,
        port=int(port),
        workers=int(environ.get("CS_GATEWAY_WORKERS", "1")),
        blocking_threads=int(environ.get("CS_GATEWAY_THREADS", "16")),
        http=HTTPModes.http1,
        websockets=False,
        log_access=environ.get("CS_GATEWAY_ACCESS_LOG", "true").lower() not in ("false", "0", "no", ""),
        workers_kill_timeout=STOP_SECONDS,
    )


if __name__ == "__main__":
    server().serve()
