"""Space facts: kept from the ``space.*`` events, fetched from the spaces service when missing.

Facts are ordered by the spaces service's clock (an event's time, or the ``updated_at`` of a
fetched answer), so the newest stored wins however they arrive. Facts that say a space is
suspended or closed cancel its published programs (``authoring.cancel_for_space``).
"""

import logging
from datetime import datetime

from chassis.errors import NotFound, Unavailable
from services.programs.adapters import facts as facts_repo
from services.programs.adapters import programs as programs_repo
from services.programs.domain.schedule import SpaceFacts

log = logging.getLogger(__name__)
STOPPING = ("suspended", "closed")


class FactsUnavailable(Exception):
    """The spaces service did not answer in time (or at all)."""


def on_space_event(uow, consumer: str, event: dict) -> tuple[list[str], str]:
    """Record one ``space.*`` event once; the published programs that the space's stored facts now
    rule out, and why.

    The programs are found from the stored facts, not from this event alone, so a redelivery
    after a failed cancellation finds those still to cancel.
    """
    data = event["data"]
    if uow.first_delivery(consumer, event) and facts_repo.store(
        uow.session, data, datetime.fromisoformat(event["time"])
    ):
        programs_repo.set_space(uow.session, facts_repo.get(uow.session, data["space_id"]))
    uow.commit()
    stored = facts_repo.get(uow.session, data["space_id"])
    if stored is None or stored.status not in STOPPING:
        return [], ""
    reason = f"The space was {stored.status}" + (f": {data['status_reason']}" if data.get("status_reason") else ".")
    return programs_repo.at_space(uow.session, stored.space_id, ("published",)), reason


def load(uow, space_id: str, fetch, fresh: bool = False) -> SpaceFacts:
    """The stored facts, or the spaces service's (stored for next time); ``NotFound`` if neither knows it.

    ``fresh`` asks the spaces service even when facts are stored but say the space is not
    published: the ``space.published`` event may still be on its way. Call it before taking
    any lock: storing commits.
    """
    facts = facts_repo.get(uow.session, space_id)
    if facts is not None and (facts.status == "published" or not fresh):
        return facts
    try:
        fetched = fetch(space_id)
    except FactsUnavailable:
        if facts is not None:
            return facts
        raise Unavailable(
            "The spaces service did not answer, so the space's details are not available yet; try again shortly.",
            {"service": "spaces", "space_id": space_id, "retry_after": 5},
        ) from None
    except NotFound:
        raise NotFound(f"No space {space_id}.", {"space_id": space_id}) from None
    if facts_repo.store(uow.session, fetched, datetime.fromisoformat(fetched["updated_at"])):
        programs_repo.set_space(uow.session, facts_repo.get(uow.session, space_id))
    uow.session.commit()
    stored = facts_repo.get(uow.session, space_id)
    if stored is None:
        raise NotFound(f"No space {space_id}.", {"space_id": space_id})
    return stored
