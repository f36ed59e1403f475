"""Space facts: kept from the ``space.*`` events, fetched from the spaces service when missing.

Booking reads only the local copy, so it keeps working while the spaces service is
down; a space never heard of is fetched once (with a timeout of our own) and stored.
Stored facts that say a space is not published yet are checked with the spaces
service before a booking is refused for it. Facts that say a space is suspended or
closed cancel its pending and future approved reservations with a reason, in the same
transaction that stores them; facts with closures cancel those inside a closure (the
space shut for a holiday or works).

Facts are ordered by the spaces service's clock: an event's time, or the ``updated_at``
of a fetched answer (set when the space changed, before its event was made), so the
newest stored wins however they arrive. ``refresh`` is an event that cannot be late: the
gateway calls it after suspending, reinstating or closing a space and before it answers,
so the change holds here once the admin sees it; the event, when it comes, is older or
the same and changes nothing. Storing takes the facts row that bookings hold ``FOR SHARE``
(``adapters/facts.py``), so the cascade, a later statement, finds every booking that was
made on the old facts.
"""

import logging
from datetime import datetime

from chassis.errors import Conflict, NotFound, Unavailable
from services.reservations.adapters import facts as facts_repo
from services.reservations.adapters import holds as holds_repo
from services.reservations.domain.access import actor_of, as_uuid, require_manager, require_role
from services.reservations.domain.reservation import EVENTS
from services.reservations.domain.schedule import Facts, closure_intervals
from services.reservations.domain.times import now as clock

log = logging.getLogger(__name__)
STOPPING = ("suspended", "closed")
UNPUBLISHED = ("draft", "submitted")


class FactsUnavailable(Exception):
    """The spaces service did not answer in time (or at all)."""


def on_space_event(uow, consumer: str, event: dict, now: datetime | None = None) -> None:
    """Record one ``space.*`` event once; a redelivery changes nothing."""
    if not uow.first_delivery(consumer, event):
        uow.commit()
        return
    apply_facts(uow, event["data"], datetime.fromisoformat(event["time"]), now or clock())
    uow.commit()


def refresh(uow, actor, space_id, fetch, now: datetime) -> dict:
    """The spaces service's facts of a space, stored and acted on now as their event will be.

    For the space's operators and administrators. Safe to repeat. ``Unavailable`` if the
    spaces service does not answer: nothing changed here, and the event is still to come.
    """
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    if as_uuid(space_id) is None:
        raise NotFound(f"No space {space_id}.", {"space_id": str(space_id)})
    fetched = _fetch(space_id, fetch)
    require_manager(actor, space_id, fetched["operators"])
    cancelled = apply_facts(uow, fetched, fact_time_of(fetched), now)
    uow.commit()
    return {"space_id": fetched["space_id"], "status": fetched["status"], "cancelled": cancelled}


def apply_facts(uow, data: dict, fact_time: datetime, now: datetime) -> int:
    """Store the facts unless newer ones are stored, and cancel what they rule out; the number cancelled."""
    if not facts_repo.store_facts(uow.session, data, fact_time):
        return 0
    if data["status"] in STOPPING:
        reason = f"The space was {data['status']}" + (
            f": {data['status_reason']}" if data.get("status_reason") else "."
        )
        return cancel_for_space(uow, data["space_id"], reason, now)
    if data.get("closures"):
        return cancel_inside_closures(uow, _stored_facts(uow, data["space_id"]), now)
    return 0


def fact_time_of(fetched: dict) -> datetime:
    """When the spaces service last changed the space, on its clock, as its events are timed."""
    return datetime.fromisoformat(fetched["updated_at"])


def cancel_for_space(uow, space_id: str, reason: str, now: datetime) -> int:
    return _cancel(uow, holds_repo.lock_to_cancel_for_space(uow.session, space_id, now), lambda _: reason, now)


def cancel_inside_closures(uow, facts: Facts, now: datetime) -> int:
    """Cancel what the space's closures now cover, each with the closure's dates and reason."""
    closures = [(interval, closure) for interval, closure in closure_intervals(facts) if interval[1] > now]
    if not closures:
        return 0

    def reason(reservation) -> str:
        closure = next(c for (start, end), c in closures if start < reservation.end and end > reservation.start)
        because = f": {closure['reason']}" if closure.get("reason") else "."
        return f"The space is closed from {closure['starts_at']} to {closure['ends_at']}{because}"

    within = [interval for interval, _ in closures]
    return _cancel(uow, holds_repo.lock_to_cancel_for_space(uow.session, facts.space_id, now, within), reason, now)


def _cancel(uow, reservations, reason_of, now: datetime) -> int:
    for reservation in reservations:
        reservation.apply("cancel", now, reason=reason_of(reservation))
        holds_repo.save_status(uow.session, reservation)
        uow.publish(EVENTS["cancelled"], f"reservations/{reservation.id}", reservation.event_data("system"))
    return len(reservations)


def load_facts(uow, space_id: str, fetch) -> Facts:
    """The stored facts, or the spaces service's (stored for next time); ``NotFound`` if neither knows it.

    Call it before taking any lock: a backfill commits on its own.

    ``fetch(space_id)`` answers the facts dict, raises ``NotFound``, or raises
    ``FactsUnavailable``, which becomes ``Unavailable`` (a 503 the caller may retry).
    """
    facts = facts_repo.get_facts(uow.session, space_id)
    if facts is not None:
        return facts
    _store_fetched(uow, _fetch(space_id, fetch))
    return _stored_facts(uow, space_id)


def _stored_facts(uow, space_id: str) -> Facts:
    """The facts just stored for ``space_id``; ``NotFound`` if they are not there after all."""
    facts = facts_repo.get_facts(uow.session, space_id)
    if facts is None:
        raise NotFound(f"No space {space_id}.", {"space_id": space_id})
    return facts


def _fetch(space_id: str, fetch) -> dict:
    try:
        return fetch(space_id)
    except FactsUnavailable:
        log.warning("space %s: the spaces service did not answer for its facts", space_id)
        raise Unavailable(
            "The spaces service did not answer, so the space's details are not available yet; try again shortly.",
            {"service": "spaces", "space_id": space_id, "retry_after": 5},
        ) from None


def recheck_unpublished(uow, space_id: str, fetch) -> None:
    """Stored facts that say the space is not published yet, checked with the spaces service.

    They may be a step behind: a booking right after the space was published can arrive
    before the ``space.published`` event does. The spaces service's answer is stored like
    a backfill's; if it does not answer, the stored facts stand.
    """
    try:
        fetched = fetch(space_id)
    except (FactsUnavailable, NotFound):
        return
    _store_fetched(uow, fetched)


def _store_fetched(uow, fetched: dict) -> None:
    facts_repo.store_facts(uow.session, fetched, fact_time_of(fetched))
    uow.session.commit()  # keep what was fetched even if the request that needed it is refused


def require_bookable(facts: Facts) -> None:
    if facts.status in UNPUBLISHED:
        raise NotFound(f"No space {facts.space_id}.", {"space_id": facts.space_id})
    if not facts.bookable:
        raise Conflict(
            f"The space is {facts.status} and takes no bookings.", {"space_id": facts.space_id, "status": facts.status}
        )
