"""What every Community Space service and the gateway share.

Importing this package makes psycopg cooperative under eventlet: psycopg reads
``PSYCOPG_WAIT_FUNC`` when it is first imported, and its default wait function
blocks the whole eventlet hub (five concurrent 0.3 s queries took 1.5 s).
"""
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
