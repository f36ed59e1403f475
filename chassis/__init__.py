"""What every Community Space service and the gateway share.

Importing this package in a process eventlet has patched (a nameko service: ``nameko
run`` patches before it imports the service) makes psycopg cooperative: psycopg reads
``PSYCOPG_WAIT_FUNC`` when it is first imported, and its default wait function blocks
the whole eventlet hub (five concurrent 0.3 s queries took 1.5 s). Elsewhere (the
gateway's threads, the command-line tools) psycopg keeps its default, which waits in C.

It also marks ``librabbitmq`` (a C client we do not use) as absent: outside eventlet,
kombu tries to import it for every ``Connection`` it makes, and nameko makes one per
message it publishes, so each RPC from the gateway paid for a failed import that
searches ``sys.path`` (about a twentieth of the gateway's CPU per booking).
"""

import os
import sys


def _eventlet_patched() -> bool:
    patcher = sys.modules.get("eventlet.patcher")
    return patcher is not None and patcher.is_monkey_patched("select")


if _eventlet_patched():
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

# None in sys.modules marks a module absent (the import system's documented switch); typeshed allows modules only.
sys.modules.setdefault("librabbitmq", None)  # type: ignore[arg-type]
