"""Space facts, booking policies and the platform cap in and out of PostgreSQL."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from services.reservations.adapters.tables import booking_policies, platform_limits, space_facts
from services.reservations.domain.policy import DEFAULTS
from services.reservations.domain.schedule import Facts

FACT_FIELDS = ("status", "operators", "capacity", "timezone", "opening_hours", "closures")


def _facts_of(row) -> Facts:
    return Facts(space_id=str(row.space_id), status=row.status, operators=[str(o) for o in row.operators],
                 capacity=row.capacity, timezone=row.timezone, opening_hours=list(row.opening_hours),
                 closures=list(row.closures))


def get_facts(session, space_id: str) -> Facts | None:
    row = session.execute(sa.select(space_facts).where(space_facts.c.space_id == space_id)).first()
    return _facts_of(row) if row else None


def bookable_facts(session, space_ids: list[str] | None) -> list[Facts]:
    query = sa.select(space_facts).where(space_facts.c.status == "published")
    if space_ids is not None:
        query = query.where(space_facts.c.space_id.in_(space_ids))
    return [_facts_of(row) for row in session.execute(query)]


def spaces_run_by(session, operator_id: str) -> list[str]:
    query = sa.select(space_facts.c.space_id).where(space_facts.c.operators.contains([operator_id]))
    return [str(space_id) for space_id in session.scalars(query)]


def store_facts(session, data: dict, fact_time: datetime) -> bool:
    """Upsert the facts unless newer ones are stored (events may arrive out of order). True if stored."""
    values = {"space_id": data["space_id"], **{name: data[name] for name in FACT_FIELDS}, "fact_time": fact_time}
    statement = insert(space_facts).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["space_id"],
        set_={**{name: statement.excluded[name] for name in FACT_FIELDS},
              "fact_time": statement.excluded.fact_time, "updated_at": sa.func.now()},
        where=space_facts.c.fact_time <= statement.excluded.fact_time,
    ).returning(space_facts.c.space_id)
    return session.execute(statement).first() is not None


def get_policy(session, space_id: str) -> dict:
    row = session.execute(sa.select(booking_policies).where(booking_policies.c.space_id == space_id)).mappings().first()
    return {name: row[name] for name in DEFAULTS} if row else dict(DEFAULTS)


def save_policy(session, space_id: str, policy: dict, actor_id: str) -> None:
    values = {"space_id": space_id, **policy, "updated_by": actor_id}
    statement = insert(booking_policies).values(values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["space_id"], set_={**{k: statement.excluded[k] for k in policy},
                                          "updated_by": actor_id, "updated_at": sa.func.now()}))


def platform_limit(session) -> dict:
    row = session.execute(sa.select(platform_limits).where(platform_limits.c.id == 1)).mappings().first()
    if row is None:
        return {"percent": 100, "reason": None, "set_at": None}
    return {"percent": row["capacity_percent"], "reason": row["reason"], "set_at": row["set_at"]}


def save_platform_limit(session, percent: int, reason: str | None, actor_id: str) -> None:
    values = {"id": 1, "capacity_percent": percent, "reason": reason, "set_by": actor_id}
    statement = insert(platform_limits).values(values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["id"], set_={"capacity_percent": percent, "reason": reason, "set_by": actor_id,
                                     "set_at": sa.func.now()}))
