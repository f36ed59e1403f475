"""Deciding, cancelling and expiring reservations; each change is an event through the outbox."""

from datetime import datetime

from chassis.errors import NotFound
from services.reservations.adapters import facts as facts_repo
from services.reservations.adapters import holds as holds_repo
from services.reservations.adapters import locks
from services.reservations.domain.access import actor_of, as_uuid, require_manager, require_role, runs
from services.reservations.domain.reservation import EVENTS, Reservation, clean_reason

EXPIRY_BATCH = 100


def load(uow, reservation_id, lock: bool = True) -> Reservation:
    reservation_id = as_uuid(reservation_id)
    found = reservation_id and holds_repo.get_reservation(uow.session, reservation_id, lock=lock)
    if not found:
        raise NotFound(f"No reservation {reservation_id}.", {"reservation_id": str(reservation_id)})
    return found


def operators_of(uow, space_id: str) -> list[str]:
    facts = facts_repo.get_facts(uow.session, space_id)
    return facts.operators if facts else []


def _announce(uow, reservation: Reservation, by: str) -> None:
    uow.publish(EVENTS[reservation.status], f"reservations/{reservation.id}", reservation.event_data(by))


def decide(uow, action: str, actor, reservation_id, now: datetime, reason=None) -> dict:
    """``approve`` or ``reject`` (with a reason), by the space's operators or an administrator."""
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    reservation = load(uow, reservation_id)
    require_manager_of_reservation(actor, reservation, operators_of(uow, reservation.space_id))
    reason = clean_reason(reason) if action == "reject" else None
    reservation.apply(action, now, by=actor.id, reason=reason)
    holds_repo.save_status(uow.session, reservation)
    _announce(uow, reservation, actor.role)
    uow.commit()
    return reservation.out()


def require_manager_of_reservation(actor, reservation: Reservation, operators) -> None:
    try:
        require_manager(actor, reservation.space_id, operators)
    except NotFound:
        raise NotFound(f"No reservation {reservation.id}.", {"reservation_id": reservation.id}) from None


def cancel(uow, actor, reservation_id, now: datetime, reason=None) -> dict:
    """By the citizen who made it, before the deadline; or by the space's operators or an admin, with a reason."""
    actor = actor_of(actor)
    reservation = load(uow, reservation_id)
    operators = operators_of(uow, reservation.space_id)
    if actor.id == reservation.citizen_id:
        policy = facts_repo.get_policy(uow.session, reservation.space_id)
        if reservation.status == "approved":
            reservation.require_cancellable_by_citizen(policy["cancel_deadline_minutes"], now)
        reason, by = clean_reason(reason, required=False), "citizen"
    elif runs(actor, operators):
        reason, by = clean_reason(reason), actor.role
    else:
        raise NotFound(f"No reservation {reservation.id}.", {"reservation_id": reservation.id})
    reservation.apply("cancel", now, by=actor.id, reason=reason)
    holds_repo.save_status(uow.session, reservation)
    _announce(uow, reservation, by)
    uow.commit()
    return reservation.out()


def expire_due(uow, now: datetime) -> int:
    """Expire one batch of undecided requests past their time; safe in every replica (``SKIP LOCKED``)."""
    due = holds_repo.lock_due_pending(uow.session, now, EXPIRY_BATCH)
    for reservation in due:
        reservation.apply("expire", now, reason="Nobody decided the request in time.")
        holds_repo.save_status(uow.session, reservation)
        _announce(uow, reservation, "system")
    uow.commit()
    return len(due)


def prune_keys(uow) -> int:
    pruned = locks.prune_keys(uow.session)
    uow.commit()
    return pruned
