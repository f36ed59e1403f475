"""Spaces in and out of PostgreSQL: a space is one ``spaces`` row, its opening
intervals (minutes of the day) and its closures."""

import uuid
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import Range, aggregate_order_by, insert

from services.spaces.adapters.tables import closures, opening_intervals, spaces
from services.spaces.domain.schedule import clock_of, minute_of, weekly_minutes
from services.spaces.domain.space import Space
from services.spaces.domain.validation import CLEANERS

DETAIL_COLUMNS = [name for name in CLEANERS if name not in ("opening_hours", "closures")]
ROW_COLUMNS = [
    spaces.c[name]
    for name in (
        "id",
        "status",
        "status_reason",
        "operators",
        *DETAIL_COLUMNS,
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
    )
]


# One space with its schedule in one round trip: its opening intervals as [weekday, opens, closes]
# and its closures as [id, starts_at, ends_at, reason], each aggregated by a subquery.
_HOURS = (
    sa.select(
        sa.func.json_agg(
            aggregate_order_by(
                sa.func.json_build_array(
                    opening_intervals.c.weekday, opening_intervals.c.opens_minute, opening_intervals.c.closes_minute
                ),
                opening_intervals.c.weekday,
                opening_intervals.c.opens_minute,
            )
        )
    )
    .where(opening_intervals.c.space_id == spaces.c.id)
    .scalar_subquery()
    .label("hours")
)
_CLOSED = (
    sa.select(
        sa.func.json_agg(
            aggregate_order_by(
                sa.func.json_build_array(closures.c.id, closures.c.starts_at, closures.c.ends_at, closures.c.reason),
                closures.c.starts_at,
                closures.c.id,
            )
        )
    )
    .where(closures.c.space_id == spaces.c.id)
    .scalar_subquery()
    .label("closed")
)


def as_uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


class SpaceRepository:
    def __init__(self, session):
        self.session = session

    def get(self, space_id, lock: bool = False) -> Space | None:
        space_id = as_uuid(space_id)
        if space_id is None:
            return None
        query = sa.select(*ROW_COLUMNS, _HOURS, _CLOSED).where(spaces.c.id == space_id)
        row = self.session.execute(query.with_for_update(of=spaces) if lock else query).mappings().first()
        if row is None:
            return None
        hours = [_opening(*interval) for interval in row["hours"] or []]
        closed = [
            {
                "id": id_,
                "starts_at": datetime.fromisoformat(starts),
                "ends_at": datetime.fromisoformat(ends),
                "reason": why,
            }
            for id_, starts, ends, why in row["closed"] or []
        ]
        return _space_of(row, hours, closed)

    def page(self, where, order_by, page: int, page_size: int) -> tuple[list[Space], int]:
        """One page of spaces and the count of all that match, in one round trip."""
        query = (
            sa.select(*ROW_COLUMNS, sa.func.count().over().label("total"))
            .where(*where)
            .order_by(*order_by)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
        rows = self.session.execute(query).mappings().all()
        total = rows[0]["total"] if rows else self._count(where)
        return self._spaces_of(rows), total

    def add(self, space: Space, external_ref: str | None = None) -> None:
        self.session.execute(spaces.insert().values({**_row_of(space), "external_ref": external_ref}))
        self._write_schedule(space)

    def save(self, space: Space) -> None:
        self.session.execute(spaces.update().where(spaces.c.id == space.id).values(_row_of(space)))
        self.session.execute(opening_intervals.delete().where(opening_intervals.c.space_id == space.id))
        self.session.execute(closures.delete().where(closures.c.space_id == space.id))
        self._write_schedule(space)

    def import_many(self, items: list[tuple[Space, str]]) -> list[Space]:
        """Insert the spaces whose ``external_ref`` is new; answer those inserted."""
        if not items:
            return []
        rows = [{**_row_of(space), "external_ref": ref} for space, ref in items]
        statement = insert(spaces).on_conflict_do_nothing(index_elements=["external_ref"]).returning(spaces.c.id)
        inserted = {row.id for row in self.session.execute(statement, rows)} if rows else set()
        fresh = [space for space, _ in items if space.id in inserted]
        self._write_schedules(fresh)
        return fresh

    def _write_schedule(self, space: Space) -> None:
        self._write_schedules([space])

    def _write_schedules(self, batch: list[Space]) -> None:
        intervals = [
            {
                "space_id": s.id,
                "weekday": iv["weekday"],
                "opens_minute": minute_of(iv["opens"]),
                "closes_minute": minute_of(iv["closes"]),
            }
            for s in batch
            for iv in s.details["opening_hours"]
        ]
        closed = [{**c, "space_id": s.id} for s in batch for c in s.closures]
        if intervals:
            self.session.execute(opening_intervals.insert(), intervals)
        if closed:
            self.session.execute(closures.insert(), closed)

    def _count(self, where) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(spaces).where(*where))

    def _spaces_of(self, rows) -> list[Space]:
        ids = [row["id"] for row in rows]
        hours, closed = defaultdict(list), defaultdict(list)
        for iv in self.session.execute(
            sa.select(opening_intervals)
            .where(opening_intervals.c.space_id.in_(ids))
            .order_by(opening_intervals.c.weekday, opening_intervals.c.opens_minute)
        ):
            hours[iv.space_id].append(_opening(iv.weekday, iv.opens_minute, iv.closes_minute))
        for c in self.session.execute(
            sa.select(closures).where(closures.c.space_id.in_(ids)).order_by(closures.c.starts_at)
        ).mappings():
            closed[c["space_id"]].append({k: c[k] for k in ("id", "starts_at", "ends_at", "reason")})
        return [_space_of(row, hours[row["id"]], closed[row["id"]]) for row in rows]


def _opening(weekday: int, opens_minute: int, closes_minute: int) -> dict:
    return {"weekday": weekday, "opens": clock_of(opens_minute), "closes": clock_of(closes_minute)}


def _row_of(space: Space) -> dict:
    return {
        "id": space.id,
        "status": space.status,
        "status_reason": space.status_reason,
        "operators": list(space.operators),
        **{name: space.details[name] for name in DETAIL_COLUMNS},
        "created_at": space.created_at,
        "updated_at": space.updated_at,
        "submitted_at": space.submitted_at,
        "published_at": space.published_at,
        "weekly_hours": [Range(low, high, bounds="[)") for low, high in weekly_minutes(space.details["opening_hours"])],
    }


def _space_of(row, hours: list[dict], closed: list[dict]) -> Space:
    details = {name: row[name] for name in DETAIL_COLUMNS}
    details["opening_hours"] = hours
    return Space(
        id=row["id"],
        status=row["status"],
        operators=list(row["operators"]),
        details=details,
        closures=closed,
        status_reason=row["status_reason"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        submitted_at=row["submitted_at"],
        published_at=row["published_at"],
    )
