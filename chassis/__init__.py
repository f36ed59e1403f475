"""What every Community Space service and the gateway share.

Importing this package makes psycopg cooperative under eventlet: psycopg reads
``PSYCOPG_WAIT_FUNC`` when it is first imported, and its default wait function
blocks the whole eventlet hub (five concurrent 0.3 s queries took 1.5 s).

It also marks ``librabbitmq`` (a C client we do not use) as absent: outside eventlet,
kombu tries to import it for every ``Connection`` it makes, and nameko makes one per
message it publishes, so each RPC from the gateway paid for a failed import that
searches ``sys.path`` (about a twentieth of the gateway's CPU per booking).
"""
import os
import sys

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
sys.modules.setdefault("librabbitmq", None)
