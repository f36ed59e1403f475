"""Blocks: the programs service takes a space's times for a program's sessions, all or none.

A program holds at most one active block per space. Blocking it again with other
intervals moves the block: in one transaction its old rows are released (``cancelled``,
with the reason naming the new block) and the new ones inserted, so the constraint
sees only the new times against everything else; if anything else is in the way the
transaction rolls back and the old block still holds. A retry of the same block or
move (same space, program and intervals) answers the block already made, so the
programs service may retry after a timeout.
"""

import uuid
from collections import defaultdict
from itertools import pairwise

from chassis.errors import Conflict, Invalid, NotFound
from services.reservations.adapters import blocks as blocks_repo
from services.reservations.adapters import holds as holds_repo
from services.reservations.domain.access import actor_of, as_uuid, require_manager, require_uuid
from services.reservations.domain.reservation import clean_reason
from services.reservations.domain.times import iso, parse_instant
from services.reservations.service_layer.facts import load_facts

MAX_INTERVALS, MAX_DAYS = 200, 7


def block(uow, actor, space_id, intervals, program_ref, fetch) -> dict:
    """Block the program's times, moving its active block here if it holds other times."""
    actor = actor_of(actor)
    facts = load_facts(uow, require_uuid(space_id, "space_id"), fetch)
    require_manager(actor, facts.space_id, facts.operators)
    wanted = _clean_intervals(intervals)
    if not isinstance(program_ref, str) or not 1 <= len(program_ref) <= 200:
        raise Invalid.field("program_ref", "must be text of 1 to 200 characters")
    session, space = uow.session, facts.space_id
    blocks_repo.lock_program(session, space, program_ref)
    held = _intervals_by_block(blocks_repo.active_blocks_of(session, space, program_ref))
    for held_id, times in held.items():
        if times == wanted:  # a retry: the block (or move) is already made
            replaced = blocks_repo.released_with(session, space, program_ref, _moved_to(held_id))
            return {**_out(held_id, space, program_ref, wanted), "replaced": replaced}
    block_id = str(uuid.uuid4())
    for old_id in held:  # released first, so the old rows are not in the new ones' way
        blocks_repo.release(session, old_id, actor.id, _moved_to(block_id))
    _insert_or_refuse(session, block_id, space, program_ref, wanted, actor.id)
    uow.commit()
    return {**_out(block_id, space, program_ref, wanted), "replaced": next(iter(held), None)}


def _insert_or_refuse(session, block_id, space_id, program_ref, wanted, actor_id) -> None:
    """Insert the block's rows, or raise ``Conflict`` naming the holds in the way (the caller rolls back)."""
    conflicts = _in_the_way(session, space_id, wanted)
    if not conflicts:
        try:
            blocks_repo.add_block(session, block_id, space_id, program_ref, wanted, actor_id)
        except holds_repo.SlotTaken:
            conflicts = _in_the_way(session, space_id, wanted)
    if conflicts:
        shown = [
            {"kind": kind, "start": iso(s), "end": iso(e)} for kind, s, e in sorted(set(conflicts), key=lambda c: c[1])
        ]
        raise Conflict(f"{len(shown)} holds are in the way.", {"conflicts": shown})


def _in_the_way(session, space_id, wanted) -> list:
    return [c for start, end in wanted for c in holds_repo.overlapping(session, space_id, start, end)]


def _intervals_by_block(rows) -> dict:
    """``{block_id: [(start, end), …]}`` in the order of each block's first start."""
    found: dict = defaultdict(list)
    for row in rows:
        found[str(row.block_id)].append((row.starts_at, row.ends_at))
    return dict(found)


def _moved_to(block_id: str) -> str:
    return f"moved to block {block_id}"


def unblock(uow, actor, block_id, reason=None) -> dict:
    """Release a block's times; releasing one already released answers the same."""
    actor = actor_of(actor)
    known_id = as_uuid(block_id)
    rows = blocks_repo.get_block(uow.session, known_id, lock=True) if known_id else []
    if not rows:
        raise NotFound(f"No block {block_id}.", {"block_id": str(block_id)})
    space_id = str(rows[0].space_id)
    facts = load_facts(uow, space_id, _unknown)
    try:
        require_manager(actor, space_id, facts.operators)
    except NotFound:
        raise NotFound(f"No block {block_id}.", {"block_id": str(block_id)}) from None
    blocks_repo.release(uow.session, rows[0].block_id, actor.id, clean_reason(reason, required=False))
    uow.commit()
    return {
        **_out(str(rows[0].block_id), space_id, rows[0].program_ref, [(r.starts_at, r.ends_at) for r in rows]),
        "status": "released",
    }


def _unknown(space_id):
    raise NotFound(f"No space {space_id}.", {"space_id": space_id})


def _clean_intervals(intervals) -> list:
    if not isinstance(intervals, list) or not 1 <= len(intervals) <= MAX_INTERVALS:
        raise Invalid.field("intervals", f"must be a list of 1 to {MAX_INTERVALS} {{start, end}}")
    cleaned = []
    for i, item in enumerate(intervals):
        if not isinstance(item, dict) or set(item) != {"start", "end"}:
            raise Invalid.field(f"intervals[{i}]", "must be {start, end}")
        start, end = (
            parse_instant(item["start"], f"intervals[{i}].start"),
            parse_instant(item["end"], f"intervals[{i}].end"),
        )
        if not start < end or (end - start).days >= MAX_DAYS:
            raise Invalid.field(f"intervals[{i}].end", f"must be after start, within {MAX_DAYS} days")
        cleaned.append((start, end))
    cleaned.sort()
    if any(a[1] > b[0] for a, b in pairwise(cleaned)):
        raise Invalid.field("intervals", "must not overlap each other")
    return cleaned


def _out(block_id, space_id, program_ref, intervals) -> dict:
    return {
        "id": str(block_id),
        "space_id": space_id,
        "program_ref": program_ref,
        "status": "active",
        "intervals": [{"start": iso(s), "end": iso(e)} for s, e in intervals],
    }
