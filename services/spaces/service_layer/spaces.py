"""What operators do with their spaces: register, update, submit, close, closures."""

import uuid

from chassis.errors import NotFound
from services.spaces.adapters.repository import SpaceRepository, as_uuid
from services.spaces.domain.access import actor_of, require_manager, require_operator_of, require_role
from services.spaces.domain.errors import Problems
from services.spaces.domain.schedule import clean_closure, closure_out
from services.spaces.domain.space import Space, now
from services.spaces.domain.validation import clean_space
from services.spaces.service_layer.common import announce, load


def register(uow, actor, data) -> dict:
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    details = clean_space(data)
    closures = details.pop("closures")
    created = now()
    space = Space(
        id=str(uuid.uuid4()),
        status="draft",
        operators=[actor.id],
        details=details,
        closures=closures,
        created_at=created,
        updated_at=created,
    )
    SpaceRepository(uow.session).add(space)
    announce(uow, "space.registered", space)
    uow.commit()
    return space.full()


def update(uow, actor, space_id, changes) -> dict:
    actor = actor_of(actor)
    space = load(uow, space_id)
    require_manager(actor, space)
    space.require_open_for_changes()
    cleaned = clean_space(changes, partial=True)
    if "closures" in cleaned:
        space.closures = cleaned.pop("closures")
    space.details.update(cleaned)
    space.updated_at = now()
    SpaceRepository(uow.session).save(space)
    if space.is_public:
        announce(uow, "space.updated", space)
    uow.commit()
    return space.full()


def submit(uow, actor, space_id) -> dict:
    actor = actor_of(actor)
    space = load(uow, space_id)
    require_operator_of(actor, space)
    space.apply("submit")
    SpaceRepository(uow.session).save(space)
    announce(uow, "space.submitted", space)
    uow.commit()
    return space.full()


def close(uow, actor, space_id, reason) -> dict:
    actor = actor_of(actor)
    space = load(uow, space_id)
    require_manager(actor, space)
    space.apply("close", reason)
    SpaceRepository(uow.session).save(space)
    announce(uow, "space.closed", space)
    uow.commit()
    return space.full()


def add_closure(uow, actor, space_id, closure) -> dict:
    actor = actor_of(actor)
    space = load(uow, space_id)
    require_manager(actor, space)
    space.require_open_for_changes()
    problems = Problems()
    cleaned = clean_closure(closure, problems)
    if cleaned is None:
        raise problems.invalid()
    cleaned["id"] = str(uuid.uuid4())
    space.closures = sorted([*space.closures, cleaned], key=lambda c: c["starts_at"])
    _save_closures(uow, space)
    return closure_out(cleaned)


def remove_closure(uow, actor, space_id, closure_id) -> None:
    actor = actor_of(actor)
    space = load(uow, space_id)
    require_manager(actor, space)
    space.require_open_for_changes()
    kept = [c for c in space.closures if str(c["id"]) != as_uuid(closure_id)]
    if len(kept) == len(space.closures):
        raise NotFound(f"No closure {closure_id} on space {space.id}.", {"closure_id": str(closure_id)})
    space.closures = kept
    _save_closures(uow, space)


def _save_closures(uow, space: Space) -> None:
    space.updated_at = now()
    SpaceRepository(uow.session).save(space)
    if space.is_public:
        announce(uow, "space.updated", space)
    uow.commit()
