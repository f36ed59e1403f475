"""The locks of a booking, always taken in this order: the idempotency key and the space's
facts row (in one statement), then the citizen.

The key's lock is an advisory transaction lock tried without waiting: a repeat
that arrives while the first request still runs is told to retry (``Conflict``
with ``retry_after``) instead of queueing behind it. The facts row is locked
``FOR SHARE``, so a change of the space's facts waits for the bookings that read
them (``facts.py`` says why and what it costs). The citizen's lock is a row
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
from sqlalchemy.dialects.postgresql import insert

from services.reservations.adapters.holds import IN_THE_WAY
from services.reservations.adapters.tables import citizens, holds, idempotency_keys

LOCK_TIMEOUT = "2s"
LOCK_NOT_AVAILABLE = "55P03"

# The key's try-lock, bound by ``caller_id`` and ``key``; the statement that reads a request's terms takes it.
KEY_LOCK = sa.func.pg_try_advisory_xact_lock(
    sa.func.hashtext(sa.bindparam("caller_id", type_=sa.Text)), sa.func.hashtext(sa.bindparam("key", type_=sa.Text))
)
# Built once, as it runs on every booking request: building a statement costs much of what running it does.
# The first look: the key's stored answer (a row of kind 'answer'), if any, and the holds in the
# way; and, if asked (``lock``) and it finds neither, the citizen's lock (see ``first_look``).
_ANSWER = (
    sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.response)
    .where(idempotency_keys.c.caller_id == sa.bindparam("caller_id"), idempotency_keys.c.key == sa.bindparam("key"))
    .cte("answer")
)
_TAKEN = sa.select(holds.c.kind, holds.c.starts_at, holds.c.ends_at).where(*IN_THE_WAY).cte("taken")
_LOCK_IF_FREE = insert(citizens).from_select(
    ["citizen_id"],
    sa.select(sa.bindparam("caller_id", type_=citizens.c.citizen_id.type)).where(
        sa.bindparam("lock", type_=sa.Boolean),
        ~sa.exists(_ANSWER.select()),
        ~sa.exists(_TAKEN.select()),
        sa.func.set_config("lock_timeout", sa.bindparam("timeout"), True).is_not(None),
    ),
)
_LOCKED = _LOCK_IF_FREE.on_conflict_do_update(
    index_elements=[citizens.c.citizen_id], set_={"citizen_id": _LOCK_IF_FREE.excluded.citizen_id}, where=sa.false()
).cte("locked")
_FIRST_LOOK = (
    sa.union_all(
        sa.select(
            sa.literal("answer").label("kind"),
            _ANSWER.c.fingerprint,
            _ANSWER.c.response,
            sa.null().label("starts_at"),
            sa.null().label("ends_at"),
        ),
        sa.select(_TAKEN.c.kind, sa.null(), sa.null(), _TAKEN.c.starts_at, _TAKEN.c.ends_at),
    )
    .order_by(sa.text("starts_at"))
    .add_cte(_LOCKED)
)


def fingerprint(body) -> str:
    """The same body, whatever the order of its keys, gives the same fingerprint."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


class FirstLook(NamedTuple):
    stored: tuple | None  # (fingerprint, response) of the key's first answer
    taken: list[tuple[str, datetime, datetime]]  # (kind, start, end) of the holds in the way


def first_look(
    session, caller_id: str, key: str, space_id: str, start: datetime, end: datetime, lock_citizen: bool
) -> FirstLook:
    """The key's stored answer, if any, and the holds that take any of ``[start, end)``; and, if
    ``lock_citizen`` and there are neither, the caller's lock, in the same round trip. A slot
    already taken is thus refused without waiting for that lock.

    The lock is the caller's row in ``citizens``, made if it is new: ``ON CONFLICT DO UPDATE``
    locks an existing row as ``FOR UPDATE`` does (its ``SET`` names the key), even though
    ``WHERE false`` updates nothing, so no row version is written. The row's condition runs
    ``set_config('lock_timeout', ..., true)``, so the wait is bounded before it can begin, and
    so is every later wait of the transaction, as ``SET LOCAL`` would.
    """
    rows = session.execute(
        _FIRST_LOOK,
        {
            "caller_id": caller_id,
            "key": key,
            "space_id": space_id,
            "start": start,
            "end": end,
            "lock": lock_citizen,
            "timeout": LOCK_TIMEOUT,
        },
    ).all()
    stored = next(((r.fingerprint, r.response) for r in rows if r.kind == "answer"), None)
    return FirstLook(stored, [(r.kind, r.starts_at, r.ends_at) for r in rows if r.kind != "answer"])


def prune_keys(session, older_than_hours: int = 48) -> int:
    return session.execute(
        idempotency_keys.delete().where(
            idempotency_keys.c.created_at < sa.func.now() - sa.text(f"interval '{int(older_than_hours)} hours'")
        )
    ).rowcount
