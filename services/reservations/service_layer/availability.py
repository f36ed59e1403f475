"""When spaces are free: one space's open and busy intervals, and which of many are free.

Nothing personal leaves here: busy intervals are merged times, not reservations.
"""

from chassis.errors import Invalid, NotFound
from services.reservations.adapters import facts as facts_repo
from services.reservations.adapters import holds as holds_repo
from services.reservations.domain import schedule
from services.reservations.domain.access import as_uuid
from services.reservations.domain.times import iso, parse_period
from services.reservations.service_layer.facts import load_facts

MAX_DAYS_ONE, MAX_DAYS_MANY, MAX_IDS = 62, 7, 5_000


def availability(uow, space_id, start, end, fetch) -> dict:
    begins, ends = parse_period(start, end, MAX_DAYS_ONE)
    space_id = as_uuid(space_id)
    if space_id is None:
        raise NotFound(f"No space {space_id}.", {"space_id": str(space_id)})
    facts = load_facts(uow, space_id, fetch)
    if not facts.bookable:
        raise NotFound(f"No space {space_id}.", {"space_id": space_id})
    busy = schedule.merge([(s, e) for _, s, e in holds_repo.overlapping(uow.session, space_id, begins, ends)])
    return {
        "space_id": space_id,
        "from": iso(begins),
        "to": iso(ends),
        "open": _shown(schedule.open_intervals(facts, begins, ends)),
        "busy": _shown(schedule.clip(busy, begins, ends)),
    }


def free_spaces(uow, start, end, space_ids=None) -> dict:
    """Of the published spaces known here (or of ``space_ids``), those open and unheld for all of ``[from, to)``.

    ``unavailable`` lists the known ones that are not; ids this service has never
    heard of are in neither list.
    """
    begins, ends = parse_period(start, end, MAX_DAYS_MANY)
    ids = _ids(space_ids)
    candidates = facts_repo.bookable_facts(uow.session, ids)
    held = holds_repo.busy_spaces(uow.session, [f.space_id for f in candidates], begins, ends) if candidates else set()
    free = sorted(
        f.space_id
        for f in candidates
        if f.space_id not in held and schedule.covers(schedule.open_intervals(f, begins, ends), begins, ends)
    )
    unavailable = sorted({f.space_id for f in candidates} - set(free))
    return {"from": iso(begins), "to": iso(ends), "free": free, "unavailable": unavailable}


def _ids(space_ids) -> list[str] | None:
    if space_ids is None:
        return None
    if not isinstance(space_ids, list) or len(space_ids) > MAX_IDS:
        raise Invalid.field("space_ids", f"must be a list of at most {MAX_IDS} space ids")
    ids = [i for i in map(as_uuid, space_ids) if i is not None]
    if len(ids) < len(space_ids):
        raise Invalid.field("space_ids", "must be a list of UUIDs")
    return ids


def _shown(intervals) -> list[dict]:
    return [{"start": iso(s), "end": iso(e)} for s, e in intervals]
