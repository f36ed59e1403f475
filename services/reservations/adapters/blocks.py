"""Blocks: the times programs take, as ``holds`` rows of kind ``block`` sharing a ``block_id``."""

import uuid
from datetime import datetime

import sqlalchemy as sa

from services.reservations.adapters.holds import _insert
from services.reservations.adapters.tables import holds

# One bigint key per (space, program): the two-int keys of idempotency locks are another key space.
_PROGRAM_LOCK = sa.select(
    sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(sa.bindparam("name", type_=sa.Text), 0))
)


def add_block(
    session, block_id: str, space_id: str, program_ref: str, intervals: list[tuple[datetime, datetime]], actor_id: str
) -> None:
    _insert(
        session,
        [
            {
                "id": str(uuid.uuid4()),
                "kind": "block",
                "space_id": space_id,
                "starts_at": start,
                "ends_at": end,
                "status": "approved",
                "block_id": block_id,
                "program_ref": program_ref,
                "decided_by": actor_id,
            }
            for start, end in intervals
        ],
    )


def lock_program(session, space_id: str, program_ref: str) -> None:
    """Until the transaction ends, the only call blocking or moving this program's times here.

    Two moves of one program at once would each release the old block (the second
    finds nothing left to release) and each insert a new one; one at a time, the
    second reads what the first made.
    """
    session.execute(_PROGRAM_LOCK, {"name": f"block:{space_id}:{program_ref}"})


def get_block(session, block_id: str, lock: bool = False) -> list:
    query = sa.select(holds).where(holds.c.kind == "block", holds.c.block_id == block_id).order_by(holds.c.starts_at)
    return session.execute(query.with_for_update() if lock else query).all()


def active_blocks_of(session, space_id: str, program_ref: str) -> list:
    return session.execute(
        sa.select(holds)
        .where(
            holds.c.kind == "block",
            holds.c.space_id == space_id,
            holds.c.program_ref == program_ref,
            holds.c.status == "approved",
        )
        .order_by(holds.c.starts_at)
    ).all()


def released_with(session, space_id: str, program_ref: str, reason: str) -> str | None:
    """The id of this program's block released with ``reason`` (a move names the block it made)."""
    found = session.scalar(
        sa.select(holds.c.block_id)
        .where(
            holds.c.kind == "block",
            holds.c.space_id == space_id,
            holds.c.program_ref == program_ref,
            holds.c.status == "cancelled",
            holds.c.status_reason == reason,
        )
        .limit(1)
    )
    return str(found) if found else None


def release(session, block_id: str, actor_id: str, reason: str | None) -> None:
    session.execute(
        holds.update()
        .where(holds.c.block_id == block_id, holds.c.status == "approved")
        .values(
            status="cancelled",
            status_reason=reason,
            decided_by=actor_id,
            decided_at=sa.func.now(),
            updated_at=sa.func.now(),
        )
    )
