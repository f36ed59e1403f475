"""The space facts the programs service keeps, in and out of ``space_facts``."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from services.programs.adapters.tables import space_facts
from services.programs.domain.schedule import SpaceFacts

FIELDS = ("status", "operators", "name_ko", "name_en", "district", "types", "timezone", "opening_hours", "closures")


def store(session, data: dict, fact_time: datetime) -> bool:
    """Upsert the facts unless newer ones are stored (events may arrive out of order). True if stored."""
    values = {
        "space_id": data["space_id"],
        **{name: data.get(name, "") if name.startswith("name_") else data[name] for name in FIELDS},
        "fact_time": fact_time,
    }
    proposed = insert(space_facts).values(values)
    statement = proposed.on_conflict_do_update(
        index_elements=["space_id"],
        set_={**{name: proposed.excluded[name] for name in FIELDS}, "fact_time": proposed.excluded.fact_time},
        where=space_facts.c.fact_time <= proposed.excluded.fact_time,
    ).returning(space_facts.c.space_id)
    return session.execute(statement).first() is not None


def get(session, space_id: str) -> SpaceFacts | None:
    row = session.execute(sa.select(space_facts).where(space_facts.c.space_id == space_id)).mappings().first()
    if row is None:
        return None
    return SpaceFacts(space_id=str(row["space_id"]), **{name: row[name] for name in FIELDS})
