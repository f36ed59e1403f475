"""Applications, attendance and idempotency keys, in and out of PostgreSQL."""

import hashlib
import json
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from chassis.messaging import outbox_insert_if
from services.programs.adapters.tables import applications, attendance, idempotency_keys, programs
from services.programs.domain.selection import Applicant

UNIQUE_VIOLATION = "23505"


def fingerprint(body) -> str:
    """The same body, whatever the order of its keys, gives the same fingerprint."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def try_key_lock(session, caller_id: str, key: str) -> bool:
    """The key's advisory transaction lock, tried without waiting: a repeat in flight is told to retry."""
    return bool(
        session.execute(
            sa.select(sa.func.pg_try_advisory_xact_lock(sa.func.hashtext(caller_id), sa.func.hashtext(key)))
        ).scalar()
    )


def stored_answer(session, caller_id: str, key: str) -> tuple[str, dict] | None:
    row = session.execute(
        sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.response).where(
            idempotency_keys.c.caller_id == caller_id, idempotency_keys.c.key == key
        )
    ).first()
    return (row.fingerprint, row.response) if row else None


def prune_keys(session, older_than_hours: int = 48) -> int:
    return session.execute(
        idempotency_keys.delete().where(
            idempotency_keys.c.created_at < sa.func.now() - sa.text(f"interval '{int(older_than_hours)} hours'")
        )
    ).rowcount


class Answer(NamedTuple):
    """What an ``Idempotency-Key`` answers from now on."""

    caller_id: str
    key: str
    fingerprint: str
    response: dict


# A new application, the program's counters, the key's answer and the events, in one statement
# (data-modifying CTEs all run); the program's row lock is held meanwhile, so the fewer round
# trips between taking it and the commit, the shorter a rush's queue on it.
_ADDED = (
    applications.insert()
    .values({c.name: sa.bindparam(f"app_{c.name}", type_=c.type) for c in applications.c if c.name != "updated_at"})
    .returning(applications.c.id)
    .cte("added")
)
_COUNTED = (
    programs.update()
    .where(programs.c.id == sa.bindparam("app_program_id"))
    .values(
        {
            **{name: sa.bindparam(name) for name in ("accepted_places", "waitlist_count", "pending_count", "next_seq")},
            "updated_at": sa.func.now(),
        }
    )
    .returning(programs.c.id)
    .cte("counted")
)
_ANSWERED = (
    idempotency_keys.insert()
    .values(
        caller_id=sa.bindparam("caller_id"),
        key=sa.bindparam("key"),
        fingerprint=sa.bindparam("fingerprint"),
        response=sa.bindparam("response", type_=idempotency_keys.c.response.type),
    )
    .returning(idempotency_keys.c.key)
    .cte("answered")
)
_PUBLISHED = outbox_insert_if(sa.exists(_ADDED.select())).cte("published")
_RECORD = sa.select(sa.literal(1)).add_cte(_ADDED, _COUNTED, _ANSWERED, _PUBLISHED)


def record(session, app: dict, counters: dict, answer: Answer, events: list[dict]) -> None:
    """Write a new application with the program's new ``counters``, the key's answer and ``events``."""
    session.execute(
        _RECORD,
        {
            **{f"app_{name}": value for name, value in app.items()},
            **counters,
            **answer._asdict(),
            "events": events,
        },
    )


def get(session, application_id: str) -> dict | None:
    row = session.execute(sa.select(applications).where(applications.c.id == application_id)).mappings().first()
    return dict(row) if row else None


def set_status(session, application_id: str, status: str, now: datetime, **values) -> None:
    session.execute(
        applications.update().where(applications.c.id == application_id).values(status=status, updated_at=now, **values)
    )


def in_status(session, program_id: str, statuses: tuple[str, ...]) -> list[dict]:
    rows = session.execute(
        sa.select(applications)
        .where(applications.c.program_id == program_id, applications.c.status.in_(statuses))
        .order_by(applications.c.seq)
    ).mappings()
    return [dict(r) for r in rows]


def waitlist(session, program_id: str) -> list[Applicant]:
    return [Applicant(str(a["id"]), a["party_size"]) for a in in_status(session, program_id, ("waitlisted",))]


def waitlist_position(session, program_id: str, seq: int) -> int:
    return session.execute(
        sa.select(sa.func.count()).where(
            applications.c.program_id == program_id,
            applications.c.status == "waitlisted",
            applications.c.seq <= seq,
        )
    ).scalar_one()


def counters(session, program_id: str) -> dict:
    """The program's counters, recounted from its applications: accepted places, waiting and pending."""
    row = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(applications.c.party_size).filter(applications.c.status == "accepted"), 0),
            sa.func.count().filter(applications.c.status == "waitlisted"),
            sa.func.count().filter(applications.c.status == "pending"),
        ).where(applications.c.program_id == program_id)
    ).one()
    return {"accepted_places": row[0], "waitlist_count": row[1], "pending_count": row[2]}


def counts_by_status(session, program_ids: list[str]) -> dict[str, dict[str, int]]:
    rows = session.execute(
        sa.select(applications.c.program_id, applications.c.status, sa.func.count())
        .where(applications.c.program_id.in_(program_ids))
        .group_by(applications.c.program_id, applications.c.status)
    ).all()
    counts: dict[str, dict[str, int]] = {str(id_): {} for id_ in program_ids}
    for program_id, status, count in rows:
        counts[str(program_id)][status] = count
    return counts


def attendance_of(session, program_id: str) -> dict[str, list[int]]:
    rows = session.execute(
        sa.select(attendance.c.application_id, attendance.c.n)
        .where(attendance.c.program_id == program_id)
        .order_by(attendance.c.n)
    ).all()
    marked: dict[str, list[int]] = {}
    for r in rows:
        marked.setdefault(str(r.application_id), []).append(r.n)
    return marked


def set_attendance(session, program_id: str, n: int, present: list[str], actor_id: str) -> None:
    session.execute(attendance.delete().where(attendance.c.program_id == program_id, attendance.c.n == n))
    if present:
        session.execute(
            pg_insert(attendance),
            [{"application_id": a, "program_id": program_id, "n": n, "marked_by": actor_id} for a in present],
        )
