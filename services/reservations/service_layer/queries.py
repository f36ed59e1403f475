"""Reading reservations: one, a citizen's own, an operator's inbox, and the iCalendar feed.

Each query takes the caller and filters by them; a reservation that is not theirs
answers as not found.
"""

from datetime import datetime

from chassis.errors import Invalid, NotFound
from services.reservations.adapters import facts as facts_repo
from services.reservations.adapters import holds as holds_repo
from services.reservations.adapters.tables import holds
from services.reservations.domain import ical
from services.reservations.domain.access import actor_of, as_uuid, require_role, runs
from services.reservations.domain.reservation import STATUSES
from services.reservations.domain.times import parse_instant
from services.reservations.service_layer.lifecycle import load, operators_of

MAX_PAGE, MAX_PAGE_SIZE, FEED_LIMIT = 10_000, 100, 500
FILTERS = {"status", "from", "to", "when", "space_id", "page", "page_size"}


def get(uow, actor, reservation_id) -> dict:
    actor = actor_of(actor)
    reservation = load(uow, reservation_id, lock=False)
    if actor.id != reservation.citizen_id and not runs(actor, operators_of(uow, reservation.space_id)):
        raise NotFound(f"No reservation {reservation.id}.", {"reservation_id": reservation.id})
    return reservation.out()


def list_for_citizen(uow, actor, filters, now: datetime) -> dict:
    """The caller's own; ``when`` ``upcoming`` (soonest first) or ``past`` (latest first), else all, latest first."""
    actor = actor_of(actor)
    f = _filters(filters, now)
    where = [holds.c.citizen_id == actor.id, *f["where"]]
    ascending = f["when"] == "upcoming"
    order = [holds.c.starts_at.asc() if ascending else holds.c.starts_at.desc(), holds.c.id]
    items, total = holds_repo.page(uow.session, where, order, f["page"], f["page_size"])
    return {"items": [r.out() for r in items], "total": total, "page": f["page"], "page_size": f["page_size"]}


def inbox(uow, actor, filters, now: datetime) -> dict:
    """Reservations of the spaces the operator runs (every space for an admin), soonest first.

    ``status`` defaults to ``pending``; ``counts`` gives every status under the other filters.
    """
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    filters = {"status": "pending", **(filters or {})}
    f = _filters(filters, now)
    where = [] if actor.is_admin else [holds.c.space_id.in_(facts_repo.spaces_run_by(uow.session, actor.id))]
    if f["space_id"]:
        where.append(holds.c.space_id == f["space_id"])
    items, total = holds_repo.page(
        uow.session, [*where, *f["where"]], [holds.c.starts_at, holds.c.id], f["page"], f["page_size"]
    )
    counts = holds_repo.counts_by_status(uow.session, [*where, *f["where_but_status"]])
    return {
        "items": [r.out() for r in items],
        "total": total,
        "page": f["page"],
        "page_size": f["page_size"],
        "counts": {status: counts.get(status, 0) for status in STATUSES},
    }


def calendar(uow, actor, now: datetime) -> str:
    """RFC 5545 text of the caller's approved reservations (the latest ``FEED_LIMIT``)."""
    actor = actor_of(actor)
    where = [holds.c.citizen_id == actor.id, holds.c.status == "approved"]
    items, _ = holds_repo.page(uow.session, where, [holds.c.starts_at.desc()], 1, FEED_LIMIT)
    events = [
        {
            "uid": f"{r.id}@community-space",
            "start": r.start,
            "end": r.end,
            "summary": "Community Space reservation",
            "description": r.purpose,
        }
        for r in reversed(items)
    ]
    return ical.calendar(events, now)


def _filters(filters, now: datetime) -> dict:
    filters = filters or {}
    if not isinstance(filters, dict) or set(filters) - FILTERS:
        raise Invalid.field("filters", f"may hold only {', '.join(sorted(FILTERS))}")
    page, page_size = filters.get("page", 1), filters.get("page_size", 20)
    for name, value, high in (("page", page, MAX_PAGE), ("page_size", page_size, MAX_PAGE_SIZE)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            raise Invalid.field(name, f"must be an integer from 1 to {high}")
    where = []
    if filters.get("from") is not None:
        where.append(holds.c.ends_at > parse_instant(filters["from"], "from"))
    if filters.get("to") is not None:
        where.append(holds.c.starts_at < parse_instant(filters["to"], "to"))
    when = filters.get("when")
    if when not in (None, "upcoming", "past"):
        raise Invalid.field("when", "must be upcoming or past")
    if when:
        where.append(holds.c.ends_at > now if when == "upcoming" else holds.c.ends_at <= now)
    status = filters.get("status")
    if status is not None and status not in STATUSES:
        raise Invalid.field("status", f"must be one of {', '.join(STATUSES)}")
    space_id = filters.get("space_id")
    if space_id is not None and as_uuid(space_id) is None:
        raise Invalid.field("space_id", "must be a UUID")
    by_status = [holds.c.status == status] if status else []
    return {
        "where": [*where, *by_status],
        "where_but_status": where,
        "when": when,
        "page": page,
        "page_size": page_size,
        "space_id": as_uuid(space_id) if space_id else None,
    }
