"""Booking policies (set by a space's operators) and the platform-wide capacity cap (set by an admin)."""

from chassis.errors import Invalid
from services.reservations.adapters import facts as facts_repo
from services.reservations.domain.access import actor_of, require_manager, require_role, require_uuid
from services.reservations.domain.policy import clean_platform_percent, clean_policy, effective_capacity
from services.reservations.domain.times import iso
from services.reservations.service_layer.facts import load_facts


def get_policy(uow, space_id, fetch, actor=None) -> dict:
    """The policy and the capacity it leaves; public, but with an actor only its managers may read it."""
    facts = _facts(uow, space_id, fetch)
    if actor is not None:
        require_manager(actor_of(actor), facts.space_id, facts.operators)
    return _shown(uow, facts)


def set_policy(uow, actor, space_id, policy, fetch) -> dict:
    actor = actor_of(actor)
    facts = _facts(uow, space_id, fetch)
    require_manager(actor, facts.space_id, facts.operators)
    facts_repo.save_policy(uow.session, facts.space_id, clean_policy(policy), actor.id)
    shown = _shown(uow, facts)
    uow.commit()
    return shown


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


def _facts(uow, space_id, fetch):
    return load_facts(uow, require_uuid(space_id, "space_id"), fetch)


def _shown(uow, facts) -> dict:
    policy = facts_repo.get_policy(uow.session, facts.space_id)
    platform = facts_repo.platform_limit(uow.session)["percent"]
    return {
        "space_id": facts.space_id,
        **policy,
        "capacity": facts.capacity,
        "platform_capacity_percent": platform,
        "effective_capacity": effective_capacity(facts.capacity, policy, platform),
    }
