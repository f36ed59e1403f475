"""Bulk import of spaces that are already published elsewhere (seed data, a city's registry).

Each call takes up to ``MAX_ITEMS`` items; an ``external_ref`` seen before is skipped, so
a rerun of an interrupted import is safe. Every imported space still announces itself
with ``space.published`` through the outbox, in the same transaction.
"""

import uuid

from chassis.errors import Invalid
from services.spaces.adapters.repository import SpaceRepository, as_uuid
from services.spaces.domain.access import actor_of, require_role
from services.spaces.domain.errors import Problems
from services.spaces.domain.space import Space, now
from services.spaces.domain.validation import clean_space
from services.spaces.service_layer.common import announce

MAX_ITEMS = 1_000


def import_published(uow, actor, items) -> dict:
    actor = actor_of(actor)
    require_role(actor, "admin")
    batch = _clean_items(items)
    imported = SpaceRepository(uow.session).import_many(batch)
    for space in imported:
        announce(uow, "space.published", space)
    uow.commit()
    return {"imported": len(imported), "skipped": len(batch) - len(imported)}


def _clean_items(items) -> list[tuple[Space, str]]:
    problems = Problems()
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        problems.add("spaces", f"must be a list of at most {MAX_ITEMS} spaces")
        problems.raise_if_any()
    batch, stamp = [], now()
    for i, item in enumerate(items):
        field = f"spaces[{i}]"
        if not isinstance(item, dict):
            problems.add(field, "must be an object")
            continue
        data = dict(item)
        ref, operators = data.pop("external_ref", None), data.pop("operators", None)
        if not isinstance(ref, str) or not 1 <= len(ref) <= 200:
            problems.add(f"{field}.external_ref", "must be text of 1 to 200 characters")
        given = operators if isinstance(operators, list) else []
        ids = [i for i in map(as_uuid, given) if i is not None]
        if not ids or len(ids) < len(given):
            problems.add(f"{field}.operators", "must be a non-empty list of user UUIDs")
        try:
            details = clean_space(data, prefix=f"{field}.")
        except Invalid as error:  # keep every item's problems, answer them together
            problems.items.extend(error.extra.get("errors", []))
            continue
        closures = details.pop("closures")
        batch.append(
            (
                Space(
                    id=str(uuid.uuid4()),
                    status="published",
                    operators=ids,
                    details=details,
                    closures=closures,
                    created_at=stamp,
                    updated_at=stamp,
                    published_at=stamp,
                ),
                ref,
            )
        )
    problems.raise_if_any()
    return batch
