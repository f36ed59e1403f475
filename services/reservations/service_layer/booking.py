"""Requesting a reservation: the heart of the service.

Steps, in the order the locks must be taken: the idempotency key (a repeat answers
as the first request did) and the space's facts row, shared (a suspension, closure or
other change of the facts waits for the bookings that read them, and its cascade then
finds them: ``adapters/facts.py``), the rules that need only the facts, the citizen's row
(the quota), then the insert, where the exclusion constraint has the last word (one
statement counts, inserts, stores the key's answer and writes the events:
``adapters/booking.py``). The first look under the key's lock reads, in one statement,
the key's stored answer and what holds the slot, and takes the citizen's lock only if it
finds neither and no rule is broken: a slot already taken is refused without that lock,
so a crowd racing for one slot costs little once it is gone. An insert the constraint
refuses looks up what is in the way again, for a friendly answer. The key's answer and
the events are stored in the same transaction as the reservation, so either all exist
or none does.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError

from chassis.errors import Conflict, DomainError, Invalid, NotFound
from services.reservations.adapters import booking as booking_repo
from services.reservations.adapters import facts as facts_repo
from services.reservations.adapters import holds as holds_repo
from services.reservations.adapters import locks
from services.reservations.domain import rules
from services.reservations.domain.access import actor_of
from services.reservations.domain.reservation import Reservation
from services.reservations.domain.times import iso
from services.reservations.service_layer.facts import UNPUBLISHED, load_facts, recheck_unpublished, require_bookable

MAX_KEY = 200


def request(uow, actor, data, idempotency_key, now: datetime, fetch, pending_ttl_minutes: int) -> dict:
    actor = actor_of(actor)
    key = _clean_key(idempotency_key)
    body = rules.clean_request(data)
    try:
        terms = _lock_key(uow, actor.id, key, body.space_id, fetch)
        answer = _replay_or_book(uow, actor, key, data, body, terms, now, pending_ttl_minutes)
    except OperationalError as error:  # a lock wait timed out: the citizen's, or the space's facts being changed
        if getattr(error.orig, "sqlstate", None) == locks.LOCK_NOT_AVAILABLE:
            raise Conflict(
                "Another request of yours or for this space is being processed; retry shortly.", {"retry_after": 1}
            ) from None
        raise
    return answer


def _lock_key(uow, caller_id: str, key: str, space_id: str, fetch) -> facts_repo.BookingTerms:
    """Take the key's lock in the statement that reads the space's facts, policy and the platform cap.

    A space never heard of is fetched and stored first, and one known only as unpublished
    is checked with the spaces service: storing commits, which would release the lock, so
    the lock is taken by reading the terms again afterwards. The recheck ends the transaction
    before it fetches: the terms' statement holds the facts row ``FOR SHARE``, which storing
    must wait for when another request holds it too, and that request may be storing as well.
    """
    terms = facts_repo.booking_terms(uow.session, space_id, caller_id, key)
    if terms is None:
        load_facts(uow, space_id, fetch)
        terms = facts_repo.booking_terms(uow.session, space_id, caller_id, key)
    elif terms.facts.status in UNPUBLISHED:
        uow.session.rollback()
        recheck_unpublished(uow, space_id, fetch)
        terms = facts_repo.booking_terms(uow.session, space_id, caller_id, key)
    if terms is None:  # the facts stored above are gone again
        raise NotFound(f"No space {space_id}.", {"space_id": space_id})
    if not terms.locked:
        raise Conflict("A request with this Idempotency-Key is still being processed.", {"retry_after": 1})
    return terms


def _replay_or_book(uow, actor, key, data, body, terms, now, pending_ttl_minutes) -> dict:
    session = uow.session
    body_print = locks.fingerprint(data)
    broken = _rule_broken(terms, body, now)  # raised only if the key has no answer to replay
    look = locks.first_look(session, actor.id, key, body.space_id, body.start, body.end, lock_citizen=not broken)
    if look.stored is not None:
        fingerprint, response = look.stored
        if fingerprint != body_print:
            raise Invalid(
                "This Idempotency-Key was used with another request body.",
                {"errors": [{"field": "Idempotency-Key", "message": "was used with another request body"}]},
            )
        return response
    if broken:
        raise broken
    _refuse_if_taken(look.taken)  # past here, the first look holds the citizen's lock
    reservation = _new_reservation(actor, body, terms.policy, now, pending_ttl_minutes)
    answer = reservation.out()
    booked = booking_repo.book(
        session,
        reservation,
        terms.policy["active_quota"],
        booking_repo.Answer(actor.id, key, body_print, answer),
        _events(uow, reservation),
        now,
    )
    rules.check_quota(booked.active, terms.policy)
    if not booked.added:  # a hold got in the way since the first look: refuse as that look would have
        _refuse_if_taken(holds_repo.overlapping(session, reservation.space_id, reservation.start, reservation.end))
        raise slot_taken([("reservation", reservation.start, reservation.end)])
    uow.commit()
    return answer


def _events(uow, reservation: Reservation) -> list[dict]:
    """``reservation.requested``, and ``.approved`` too when the space approves by itself."""
    subject = f"reservations/{reservation.id}"
    events = [uow.event("reservation.requested", subject, reservation.event_data("citizen"))]
    if reservation.status == "approved":
        events.append(uow.event("reservation.approved", subject, reservation.event_data("system")))
    return events


def _rule_broken(terms, body, now: datetime) -> Exception | None:
    """The first rule the request breaks, given only the space's facts; ``None`` if it keeps them all."""
    try:
        require_bookable(terms.facts)
        rules.check_request(terms.facts, terms.policy, terms.platform_percent, body, now)
    except DomainError as error:
        return error
    return None


def _new_reservation(actor, body, policy, now, pending_ttl_minutes) -> Reservation:
    automatic = policy["approval"] == "automatic"
    return Reservation(
        id=str(uuid.uuid4()),
        space_id=body.space_id,
        citizen_id=actor.id,
        start=body.start,
        end=body.end,
        party_size=body.party_size,
        purpose=body.purpose,
        status="approved" if automatic else "pending",
        created_at=now,
        decided_at=now if automatic else None,
        expires_at=None if automatic else min(body.start, now + timedelta(minutes=pending_ttl_minutes)),
    )


def _refuse_if_taken(taken: list[tuple[str, datetime, datetime]]) -> None:
    """Either is a ``Conflict`` (409); a program's block says so (``rule: "program_block"``), being no booking."""
    rules.check_block_free([(s, e) for kind, s, e in taken if kind == "block"])
    if taken:
        raise slot_taken(taken)


def slot_taken(taken) -> Conflict:
    shown = [{"start": iso(s), "end": iso(e)} for _, s, e in taken]
    first = shown[0]
    return Conflict(f"The slot is taken from {first['start']} to {first['end']}.", {"conflicts": shown})


def _clean_key(key) -> str:
    if not isinstance(key, str) or not 1 <= len(key.strip()) <= MAX_KEY:
        raise Invalid.field("Idempotency-Key", f"is required: 1 to {MAX_KEY} characters")
    return key.strip()
