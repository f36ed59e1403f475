"""The two locks of a booking, always taken in this order: the idempotency key, then the citizen.

The key's lock is an advisory transaction lock tried without waiting: a repeat
that arrives while the first request still runs is told to retry (``Conflict``
with ``retry_after``) instead of queueing behind it. The citizen's lock is a row
lock on ``citizens`` with a bounded ``lock_timeout``, so counting their active
reservations and adding one are one step for concurrent requests.

Whatever is read under a lock is read by a later statement than the one that took
it: in READ COMMITTED a statement sees the data committed when it started, which may
be before the lock's previous holder committed.
"""
import hashlib
import json

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from services.reservations.adapters.holds import IN_THE_WAY
from services.reservations.adapters.tables import holds, idempotency_keys

LOCK_TIMEOUT = "2s"
LOCK_NOT_AVAILABLE = "55P03"

# The key's try-lock, bound by ``caller_id`` and ``key``; the statement that reads a request's terms takes it.
KEY_LOCK = sa.func.pg_try_advisory_xact_lock(sa.func.hashtext(sa.bindparam("caller_id", type_=sa.Text)),
                                             sa.func.hashtext(sa.bindparam("key", type_=sa.Text)))
# Built once, as they run on every booking request: building a statement costs much of what running it does.
# the key's stored answer (a row of kind 'answer'), if any, and the holds in the way, in one round trip
_FIRST_LOOK = sa.union_all(
    sa.select(sa.literal("answer").label("kind"), idempotency_keys.c.fingerprint, idempotency_keys.c.response,
              sa.null().label("starts_at"), sa.null().label("ends_at")).where(
        idempotency_keys.c.caller_id == sa.bindparam("caller_id"), idempotency_keys.c.key == sa.bindparam("key")),
    sa.select(holds.c.kind, sa.null(), sa.null(), holds.c.starts_at, holds.c.ends_at).where(*IN_THE_WAY),
).order_by(sa.text("starts_at"))
_LOCK_CITIZEN = sa.text(
    "INSERT INTO citizens (citizen_id) "
    "SELECT CAST(:citizen_id AS uuid) FROM set_config('lock_timeout', :timeout, true) "
    "ON CONFLICT (citizen_id) DO UPDATE SET citizen_id = EXCLUDED.citizen_id WHERE false")


def fingerprint(body) -> str:
    """The same body, whatever the order of its keys, gives the same fingerprint."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


class FirstLook(NamedTuple):
    stored: tuple | None  # (fingerprint, response) of the key's first answer
    taken: list[tuple[str, datetime, datetime]]  # (kind, start, end) of the holds in the way


def first_look(session, caller_id: str, key: str, space_id: str, start: datetime, end: datetime) -> FirstLook:
    """The key's stored answer, if any, and the holds that take any of ``[start, end)``."""
    rows = session.execute(_FIRST_LOOK, {"caller_id": caller_id, "key": key, "space_id": space_id,
                                         "start": start, "end": end}).all()
    stored = next(((r.fingerprint, r.response) for r in rows if r.kind == "answer"), None)
    return FirstLook(stored, [(r.kind, r.starts_at, r.ends_at) for r in rows if r.kind != "answer"])


def prune_keys(session, older_than_hours: int = 48) -> int:
    return session.execute(idempotency_keys.delete().where(
        idempotency_keys.c.created_at < sa.func.now() - sa.text(f"interval '{int(older_than_hours)} hours'"))).rowcount


def lock_citizen(session, citizen_id: str) -> None:
    """Lock the citizen's row, making it if it is new, in one statement that first bounds the wait.

    ``ON CONFLICT DO UPDATE`` locks an existing row as ``FOR UPDATE`` does (its ``SET``
    names the key), even though ``WHERE false`` updates nothing, so no row version is
    written. The row to insert comes from ``set_config(..., true)``, so the transaction's
    ``lock_timeout`` is set before this statement can wait, and bounds every later wait
    of the transaction too, as ``SET LOCAL`` would.
    """
    session.execute(_LOCK_CITIZEN, {"citizen_id": citizen_id, "timeout": LOCK_TIMEOUT})
