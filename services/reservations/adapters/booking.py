"""A booking's writes, in one statement: the citizen's count, the reservation, the key's answer, its events.

Run after the citizen's lock (taken by ``locks.first_look``), so the count is of what the citizen
held when the lock was granted: a statement's snapshot is taken when it starts. Each part
goes in only if the one before did: the reservation only under the quota and if no hold
takes its time (``ON CONFLICT DO NOTHING`` without a target covers the exclusion
constraint), the answer to the Idempotency-Key and the events to the outbox only with the
reservation. Four round trips of a booking were one each before.

``ON CONFLICT DO NOTHING`` waits for an overlapping insert still in flight, then inserts
or not. Unlike two plain inserts, which can each wait on the other's row (40P01),
PostgreSQL lets one of two such inserts back out first, so they do not deadlock, and an
overlap leaves the transaction usable for a friendly answer without a savepoint.
"""

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from chassis.messaging import outbox_insert_if
from services.reservations.adapters.tables import holds, idempotency_keys
from services.reservations.domain.reservation import HOLDING, Reservation

RESERVATION_COLUMNS = (
    "id",
    "kind",
    "space_id",
    "starts_at",
    "ends_at",
    "status",
    "citizen_id",
    "party_size",
    "purpose",
    "created_at",
    "updated_at",
    "decided_at",
    "decided_by",
    "expires_at",
)
ANSWER_COLUMNS = ("caller_id", "key", "fingerprint", "response")


def _values(table: sa.Table, names: tuple[str, ...]) -> list:
    return [sa.bindparam(name, type_=table.c[name].type) for name in names]


_ACTIVE = (
    sa.select(sa.func.count().label("n"))
    .where(
        holds.c.kind == "reservation",
        holds.c.citizen_id == sa.bindparam("citizen_id"),
        holds.c.space_id == sa.bindparam("space_id"),
        holds.c.status.in_(HOLDING),
        holds.c.ends_at > sa.bindparam("now"),
    )
    .cte("active")
)
_ADDED = (
    insert(holds)
    .from_select(
        RESERVATION_COLUMNS,
        sa.select(*_values(holds, RESERVATION_COLUMNS)).where(_ACTIVE.c.n < sa.bindparam("quota")),
    )
    .on_conflict_do_nothing()
    .returning(holds.c.id)
    .cte("added")
)
_ANSWERED = (
    idempotency_keys.insert()
    .from_select(ANSWER_COLUMNS, sa.select(*_values(idempotency_keys, ANSWER_COLUMNS)).select_from(_ADDED))
    .cte("answered")
)
_WENT_IN = sa.exists(sa.select(_ADDED.c.id))
_PUBLISHED = outbox_insert_if(_WENT_IN).cte("published")
_BOOK = sa.select(_ACTIVE.c.n.label("active"), _WENT_IN.label("added")).add_cte(_ANSWERED, _PUBLISHED)


class Answer(NamedTuple):
    """What a repeat of the request is answered: ``response``, if its body has ``fingerprint``."""

    caller_id: str
    key: str
    fingerprint: str
    response: dict


class Booked(NamedTuple):
    active: int  # the citizen's reservations here that held a slot not yet ended, before this one
    added: bool  # False: the quota was reached, or a hold takes some of the time


def book(session, r: Reservation, quota: int, answer: Answer, events: list[dict], now) -> Booked:
    """Add ``r`` if the citizen holds fewer than ``quota`` here and its time is free; store
    ``answer`` and write ``events`` (from ``UnitOfWork.event``) with it."""
    row = session.execute(
        _BOOK,
        {
            "id": r.id,
            "kind": "reservation",
            "space_id": r.space_id,
            "starts_at": r.start,
            "ends_at": r.end,
            "status": r.status,
            "citizen_id": r.citizen_id,
            "party_size": r.party_size,
            "purpose": r.purpose,
            "created_at": r.created_at,
            "updated_at": r.created_at,
            "decided_at": r.decided_at,
            "decided_by": r.decided_by,
            "expires_at": r.expires_at,
            "quota": quota,
            "now": now,
            "events": events,
            **answer._asdict(),
        },
    ).one()
    return Booked(row.active, row.added)
