"""Programs and their sessions, in and out of PostgreSQL.

A program is read as a plain dict (its row) with its ``sessions`` as ``[(n, start, end)]``.
``get(..., lock=True)`` takes the program's row lock: every change of a program, and every
application to it, holds it, so counting its places and taking one are one step.
``LOCK_PROGRAMS`` exists for the control test that shows the race without it.
"""

from datetime import datetime

import sqlalchemy as sa

from services.programs.adapters.tables import program_sessions, programs, space_facts
from services.programs.domain.schedule import SpaceFacts

LOCK_PROGRAMS = True  # only the control test of the rush turns it off
LOCK_TIMEOUT = "5s"  # a rush of applicants queues on one program's row; each holds it a few milliseconds
LOCK_NOT_AVAILABLE = "55P03"

Session = tuple[int, datetime, datetime]


def insert(session, values: dict, sessions: list[tuple[datetime, datetime]]) -> None:
    session.execute(programs.insert().values(**values, **_session_bounds(sessions)))
    _insert_sessions(session, values["id"], sessions)


def get(session, program_id: str, lock: bool = False, skip_locked: bool = False) -> dict | None:
    query = sa.select(programs).where(programs.c.id == program_id)
    if lock and LOCK_PROGRAMS:
        session.execute(sa.text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        query = query.with_for_update(skip_locked=skip_locked)
    row = session.execute(query).mappings().first()
    if row is None:
        return None
    return {**row, "sessions": sessions_of(session, program_id)}


_LOCK_FOR_APPLYING = (
    sa.select(programs, space_facts.c.operators)
    .join(space_facts, space_facts.c.space_id == programs.c.space_id)
    .where(
        programs.c.id == sa.bindparam("program_id"),
        # bounds the wait for the row lock below; evaluated before it is taken
        sa.func.set_config("lock_timeout", LOCK_TIMEOUT, True).is_not(None),
    )
)


def lock_for_applying(session, program_id: str) -> dict | None:
    """The program (without its sessions) and its space's operators, its row locked, in one round trip."""
    query = _LOCK_FOR_APPLYING.with_for_update(of=programs) if LOCK_PROGRAMS else _LOCK_FOR_APPLYING
    row = session.execute(query, {"program_id": program_id}).mappings().first()
    return dict(row) if row else None


def sessions_of(session, program_id: str) -> list[Session]:
    rows = session.execute(
        sa.select(program_sessions.c.n, program_sessions.c.starts_at, program_sessions.c.ends_at)
        .where(program_sessions.c.program_id == program_id)
        .order_by(program_sessions.c.n)
    ).all()
    return [(r.n, r.starts_at, r.ends_at) for r in rows]


def sessions_of_many(session, program_ids: list[str]) -> dict[str, list[Session]]:
    rows = session.execute(
        sa.select(program_sessions).where(program_sessions.c.program_id.in_(program_ids)).order_by(program_sessions.c.n)
    ).all()
    found: dict[str, list[Session]] = {str(id_): [] for id_ in program_ids}
    for r in rows:
        found[str(r.program_id)].append((r.n, r.starts_at, r.ends_at))
    return found


def update(session, program_id: str, values: dict) -> None:
    session.execute(programs.update().where(programs.c.id == program_id).values(**values, updated_at=sa.func.now()))


def replace_sessions(session, program_id: str, sessions: list[tuple[datetime, datetime]]) -> None:
    session.execute(program_sessions.delete().where(program_sessions.c.program_id == program_id))
    _insert_sessions(session, program_id, sessions)
    update(session, program_id, _session_bounds(sessions))


def _insert_sessions(session, program_id: str, sessions: list[tuple[datetime, datetime]]) -> None:
    session.execute(
        program_sessions.insert(),
        [{"program_id": program_id, "n": n, "starts_at": s, "ends_at": e} for n, (s, e) in enumerate(sessions, 1)],
    )


def _session_bounds(sessions: list[tuple[datetime, datetime]]) -> dict:
    return {
        "first_session_start": sessions[0][0],
        "last_session_end": max(end for _, end in sessions),
        "next_session_start": sessions[0][0],
    }


def set_space(session, facts: SpaceFacts | None) -> None:
    """Keep what the space's programs hold of it (district, types, names) as its facts now say."""
    if facts is None:
        return
    session.execute(
        programs.update()
        .where(programs.c.space_id == facts.space_id)
        .values(
            district=facts.district,
            space_types=list(facts.types),
            space_name_ko=facts.name_ko,
            space_name_en=facts.name_en,
        )
    )


def at_space(session, space_id: str, statuses: tuple[str, ...]) -> list[str]:
    rows = session.execute(
        sa.select(programs.c.id).where(programs.c.space_id == space_id, programs.c.status.in_(statuses))
    ).all()
    return [str(r.id) for r in rows]


def with_steps_older_than(session, moment: datetime, limit: int = 50) -> list[str]:
    rows = session.execute(
        sa.select(programs.c.id).where(programs.c.step.is_not(None), programs.c.step_at < moment).limit(limit)
    ).all()
    return [str(r.id) for r in rows]


def lotteries_due(session, now: datetime, limit: int = 20) -> list[str]:
    rows = session.execute(
        sa.select(programs.c.id)
        .where(
            programs.c.status == "published",
            programs.c.selection == "lottery",
            programs.c.lottery.is_(None),
            programs.c.application_closes <= now,
        )
        .limit(limit)
    ).all()
    return [str(r.id) for r in rows]


def ended(session, now: datetime, limit: int = 100) -> list[str]:
    rows = session.execute(
        sa.select(programs.c.id)
        .where(programs.c.status == "published", programs.c.last_session_end <= now, programs.c.step.is_(None))
        .limit(limit)
    ).all()
    return [str(r.id) for r in rows]


def advance_next_sessions(session, now: datetime) -> int:
    """Move each published program's ``next_session_start`` past the sessions that have begun."""
    upcoming = (
        sa.select(sa.func.min(program_sessions.c.starts_at))
        .where(program_sessions.c.program_id == programs.c.id, program_sessions.c.starts_at > now)
        .scalar_subquery()
    )
    return session.execute(
        programs.update()
        .where(programs.c.status == "published", programs.c.next_session_start <= now)
        .values(next_session_start=upcoming)
    ).rowcount
