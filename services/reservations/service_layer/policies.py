"""Booking policies (set by a space's operators) and the platform-wide capacity cap (set by an admin)."""

from chassis.errors import Invalid, NotFound
from services.reservations.adapters import facts as facts_repo
from services.reservations.domain.access import actor_of, require_manager, require_role, require_uuid
from services.reservations.domain.policy import clean_platform_percent, clean_policy, effective_capacity
from services.reservations.domain.times import iso
from services.reservations.service_layer.facts import load_facts


def get_policy(db, space_id, fetch, actor=None) -> dict:
    """The policy and the capacity it leaves; public, but with an actor only its managers may read it.

    One statement in autocommit (a space's page asks for it every time); the facts of a space
    this service has not heard of yet are fetched and stored first, in a unit of their own.
    """
    space_id = require_uuid(space_id, "space_id")
    with db(read_only=True) as uow:
        found = facts_repo.terms(uow.session, space_id)
    if found is None:
        with db() as uow:
            load_facts(uow, space_id, fetch)
        with db(read_only=True) as uow:
            found = facts_repo.terms(uow.session, space_id)
        if found is None:  # stored, then gone again
            raise _not_found(space_id)
    facts, policy, platform = found
    if actor is not None:
        require_manager(actor_of(actor), facts.space_id, facts.operators)
    return _shown(facts, policy, platform)


def set_policy(uow, actor, space_id, policy, fetch) -> dict:
    actor = actor_of(actor)
    facts = load_facts(uow, require_uuid(space_id, "space_id"), fetch)
    require_manager(actor, facts.space_id, facts.operators)
    facts_repo.save_policy(uow.session, facts.space_id, clean_policy(policy), actor.id)
    found = facts_repo.terms(uow.session, facts.space_id)  # the policy as saved, with the platform cap
    if found is None:
        raise _not_found(facts.space_id)
    uow.commit()
    return _shown(*found)


def platform_capacity(uow) -> dict:
    limit = facts_repo.platform_limit(uow.session)
    return {**limit, "set_at": iso(limit["set_at"])}


def set_platform_capacity(uow, actor, percent, reason=None) -> dict:
    """A cap on every space on top of its own percentage; ``100`` lifts it."""
    actor = actor_of(actor)
    require_role(actor, "admin")
    percent = clean_platform_percent(percent)
    if reason is not None and (not isinstance(reason, str) or len(reason) > 1000):
        raise Invalid.field("reason", "must be at most 1000 characters")
    facts_repo.save_platform_limit(uow.session, percent, reason, actor.id)
    uow.commit()
    return platform_capacity(uow)


def _shown(facts, policy: dict, platform: int) -> dict:
    return {
        "space_id": facts.space_id,
        **policy,
        "capacity": facts.capacity,
        "platform_capacity_percent": platform,
        "effective_capacity": effective_capacity(facts.capacity, policy, platform),
    }


def _not_found(space_id: str) -> NotFound:
    return NotFound(f"No space {space_id}.", {"space_id": space_id})
