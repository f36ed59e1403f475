"""Reservations and blocks, both rows of ``holds``, in and out of PostgreSQL.

Inserting a hold is where the exclusion constraint answers: a reservation's insert
(``adapters/booking.py``) reports that nothing went in, a block's raises ``SlotTaken``
with the SQLSTATE 23P01; the use case turns either into a ``Conflict``.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from services.reservations.adapters.tables import holds
from services.reservations.domain.reservation import HOLDING, Reservation

EXCLUSION_VIOLATION = "23P01"
DEADLOCK = "40P01"

# Built once, as they run on every booking request: building a statement costs much of what running it does.
IN_THE_WAY = (
    holds.c.space_id == sa.bindparam("space_id"),
    holds.c.status.in_(HOLDING),
    holds.c.starts_at < sa.bindparam("end"),
    holds.c.ends_at > sa.bindparam("start"),
)
_OVERLAPPING = (
    sa.select(holds.c.kind, holds.c.starts_at, holds.c.ends_at).where(*IN_THE_WAY).order_by(holds.c.starts_at)
)


class SlotTaken(Exception):
    """The exclusion constraint refused an overlap."""


def _reservation_of(row) -> Reservation:
    return Reservation(
        id=str(row.id),
        space_id=str(row.space_id),
        citizen_id=str(row.citizen_id),
        start=row.starts_at,
        end=row.ends_at,
        party_size=row.party_size,
        purpose=row.purpose or "",
        status=row.status,
        status_reason=row.status_reason,
        created_at=row.created_at,
        decided_at=row.decided_at,
        decided_by=str(row.decided_by) if row.decided_by else None,
        expires_at=row.expires_at,
    )


def _insert(session, rows: list[dict], tries: int = 3) -> None:
    """Insert in a savepoint, so a refused overlap leaves the transaction usable for a friendly answer.

    Two overlapping inserts in flight can each find the other's row and wait on it;
    PostgreSQL breaks that deadlock (40P01) by failing one. Its row is gone with the
    savepoint, so inserting again simply waits for the other and gets the real answer.
    """
    for attempt in range(tries):
        try:
            with session.begin_nested():
                session.execute(holds.insert(), rows)
            return
        except IntegrityError as error:
            if getattr(error.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
                raise SlotTaken(str(error.orig)) from None
            raise
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != DEADLOCK or attempt == tries - 1:
                raise


def get_reservation(session, reservation_id: str, lock: bool = False) -> Reservation | None:
    query = sa.select(holds).where(holds.c.id == reservation_id, holds.c.kind == "reservation")
    row = session.execute(query.with_for_update() if lock else query).first()
    return _reservation_of(row) if row else None


def save_status(session, r: Reservation) -> None:
    session.execute(
        holds.update()
        .where(holds.c.id == r.id)
        .values(
            status=r.status,
            status_reason=r.status_reason,
            decided_at=r.decided_at,
            decided_by=r.decided_by,
            updated_at=sa.func.now(),
        )
    )


def overlapping(session, space_id: str, start: datetime, end: datetime) -> list[tuple[str, datetime, datetime]]:
    """``(kind, start, end)`` of the holds that take any of ``[start, end)``."""
    return [tuple(row) for row in session.execute(_OVERLAPPING, {"space_id": space_id, "start": start, "end": end})]


def busy_spaces(session, space_ids: list[str], start: datetime, end: datetime) -> set[str]:
    query = (
        sa.select(holds.c.space_id)
        .distinct()
        .where(
            holds.c.space_id.in_(space_ids),
            holds.c.status.in_(HOLDING),
            holds.c.starts_at < end,
            holds.c.ends_at > start,
        )
    )
    return {str(space_id) for space_id in session.scalars(query)}


def page(session, where: list, order_by: list, page_no: int, page_size: int) -> tuple[list[Reservation], int]:
    query = (
        sa.select(holds, sa.func.count().over().label("total"))
        .where(holds.c.kind == "reservation", *where)
        .order_by(*order_by)
        .limit(page_size)
        .offset((page_no - 1) * page_size)
    )
    rows = session.execute(query).all()
    if rows:
        return [_reservation_of(row) for row in rows], rows[0].total
    total = session.scalar(sa.select(sa.func.count()).select_from(holds).where(holds.c.kind == "reservation", *where))
    return [], total


def counts_by_status(session, where: list) -> dict:
    query = (
        sa.select(holds.c.status, sa.func.count()).where(holds.c.kind == "reservation", *where).group_by(holds.c.status)
    )
    return {status: count for status, count in session.execute(query)}


def lock_due_pending(session, now: datetime, limit: int) -> list[Reservation]:
    """Undecided requests past their time, locked; rows another replica holds are skipped."""
    query = (
        sa.select(holds)
        .where(holds.c.status == "pending", holds.c.expires_at <= now)
        .order_by(holds.c.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [_reservation_of(row) for row in session.execute(query)]


def lock_to_cancel_for_space(
    session, space_id: str, now: datetime, within: list[tuple[datetime, datetime]] | None = None
) -> list[Reservation]:
    """A space's pending reservations, and its approved ones that have not started;
    with ``within``, only those that overlap one of those periods. Pending ones past
    their time are left to the expiry timer (only it may move them now)."""
    still_pending = sa.and_(holds.c.status == "pending", sa.or_(holds.c.expires_at.is_(None), holds.c.expires_at > now))
    where = [
        holds.c.kind == "reservation",
        holds.c.space_id == space_id,
        sa.or_(still_pending, sa.and_(holds.c.status == "approved", holds.c.starts_at > now)),
    ]
    if within is not None:
        where.append(
            sa.or_(sa.false(), *(sa.and_(holds.c.starts_at < end, holds.c.ends_at > start) for start, end in within))
        )
    query = sa.select(holds).where(*where).order_by(holds.c.starts_at).with_for_update()
    return [_reservation_of(row) for row in session.execute(query)]
