"""The two locks of a booking, always taken in this order: the idempotency key, then the citizen.

The key's lock is an advisory transaction lock tried without waiting: a repeat
that arrives while the first request still runs is told to retry (``Conflict``
with ``retry_after``) instead of queueing behind it. The citizen's lock is a row
lock on ``citizens`` with a bounded ``lock_timeout``, so counting their active
reservations and adding one are one step for concurrent requests.
"""
import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from services.reservations.adapters.tables import citizens, idempotency_keys

LOCK_TIMEOUT = "2s"
LOCK_NOT_AVAILABLE = "55P03"


def fingerprint(body) -> str:
    """The same body, whatever the order of its keys, gives the same fingerprint."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def try_lock_key(session, caller_id: str, key: str) -> bool:
    return session.scalar(sa.text("SELECT pg_try_advisory_xact_lock(hashtext(:caller), hashtext(:key))"),
                          {"caller": caller_id, "key": key})


def stored_answer(session, caller_id: str, key: str):
    return session.execute(sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.response).where(
        idempotency_keys.c.caller_id == caller_id, idempotency_keys.c.key == key)).first()


def store_answer(session, caller_id: str, key: str, body_fingerprint: str, response: dict) -> None:
    session.execute(idempotency_keys.insert().values(
        caller_id=caller_id, key=key, fingerprint=body_fingerprint, response=response))


def prune_keys(session, older_than_hours: int = 48) -> int:
    return session.execute(idempotency_keys.delete().where(
        idempotency_keys.c.created_at < sa.func.now() - sa.text(f"interval '{int(older_than_hours)} hours'"))).rowcount


def lock_citizen(session, citizen_id: str) -> None:
    session.execute(sa.text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    session.execute(insert(citizens).values(citizen_id=citizen_id).on_conflict_do_nothing())
    session.execute(sa.select(citizens.c.citizen_id).where(citizens.c.citizen_id == citizen_id).with_for_update())
