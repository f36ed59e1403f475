"""``python -m web.serve``: the web client served by granian, as the gateway is.

Settings: ``CS_WEB_BIND`` (host:port, default 127.0.0.1:8080), ``CS_WEB_WORKERS``,
``CS_WEB_THREADS`` (each mostly waits on the gateway), ``CS_WEB_ACCESS_LOG``.
"""

import os

from granian import Granian
from granian.constants import HTTPModes, Interfaces

STOP_SECONDS = 20


def server() -> Granian:
    environ = os.environ
    host, _, port = environ.get("CS_WEB_BIND", "127.0.0.1:8080").rpartition(":")
    return Granian(
        "web.wsgi:app",
        interface=Interfaces.WSGI,
        address=host,
        port=int(port),
        workers=int(environ.get("CS_WEB_WORKERS", "1")),
        blocking_threads=int(environ.get("CS_WEB_THREADS", "16")),
        http=HTTPModes.http1,
        websockets=False,
        log_access=environ.get("CS_WEB_ACCESS_LOG", "true").lower() not in ("false", "0", "no", ""),
        workers_kill_timeout=STOP_SECONDS,
    )


if __name__ == "__main__":
    server().serve()
