"""Applications: apply, withdraw, the operator's decisions, promotion from the waiting list.

Every change of a program's places holds the program's row lock (``programs_repo.get(...,
lock=True)``), taken after the idempotency key's lock, so counting the places and taking
one are one step however many citizens apply at once; the ``programs_capacity_holds``
check in the database refuses anything that would still pass capacity. The key's answer
and the events are written in the same transaction as the application.
"""

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError, OperationalError

from chassis.errors import Conflict, Invalid, NotFound
from chassis.times import iso
from services.programs.adapters import applications as applications_repo
from services.programs.adapters import programs as programs_repo
from services.programs.domain import selection
from services.programs.domain.access import actor_of, as_uuid
from services.programs.domain.schedule import SpaceFacts
from services.programs.service_layer import common, views

MAX_KEY, MAX_NOTE = 200, 500
EVENT_OF = {"accepted": "application.accepted", "waitlisted": "application.waitlisted"}


def apply(uow, actor, program_id, data, idempotency_key, now: datetime) -> dict:
    actor = actor_of(actor)
    key = _clean_key(idempotency_key)
    body = _clean_body(data)
    known = as_uuid(program_id)
    if known is None:
        raise NotFound(f"No program {program_id}.", {"program_id": str(program_id)})
    try:
        return _apply(uow, actor, known, data, body, key, now)
    except OperationalError as error:  # the program's row stayed locked past the lock timeout
        if getattr(error.orig, "sqlstate", None) == programs_repo.LOCK_NOT_AVAILABLE:
            raise Conflict("Many people are applying right now; retry shortly.", {"retry_after": 1}) from None
        raise
    except IntegrityError as error:  # the citizen already has an application (the unique index says so)
        if getattr(error.orig, "sqlstate", None) == applications_repo.UNIQUE_VIOLATION:
            raise Conflict("You already have an application to this program.", {"program_id": known}) from None
        raise


def _apply(uow, actor, program_id: str, data, body: dict, key: str, now: datetime) -> dict:
    session = uow.session
    if not applications_repo.try_key_lock(session, actor.id, key):
        raise Conflict("A request with this Idempotency-Key is still being processed.", {"retry_after": 1})
    body_print = applications_repo.fingerprint({"program_id": program_id, **(data or {})})
    stored = applications_repo.stored_answer(session, actor.id, key)
    if stored is not None:
        if stored[0] != body_print:
            raise Invalid(
                "This Idempotency-Key was used with another request body.",
                {"errors": [{"field": "Idempotency-Key", "message": "was used with another request body"}]},
            )
        return stored[1]
    program = programs_repo.lock_for_applying(session, program_id)  # held from here to the commit
    if program is None or program["status"] == "draft":
        raise NotFound(f"No program {program_id}.", {"program_id": program_id})
    _check_open(program, body["party_size"], now)
    status = selection.on_arrival(
        program["selection"],
        program["capacity"],
        program["accepted_places"],
        program["waitlist_count"],
        body["party_size"],
    )
    seq = program["next_seq"] + 1
    app = {
        "id": str(uuid.uuid4()),
        "program_id": program_id,
        "citizen_id": actor.id,
        "party_size": body["party_size"],
        "note": body["note"],
        "status": status,
        "status_reason": None,
        "seq": seq,
        "created_at": now,
        "decided_at": now if status != "pending" else None,
        "decided_by": None,
    }
    counters = _counters_after(program, status, body["party_size"])
    program = {**program, **counters}
    position = counters["waitlist_count"] if status == "waitlisted" else None
    answer = views.application(app, program, position)
    subject, data = f"applications/{app['id']}", _event_data(app, program, program["operators"], position)
    events = [uow.event("application.submitted", subject, data)]
    if status in EVENT_OF:
        events.append(uow.event(EVENT_OF[status], subject, data))
    applications_repo.record(
        session, app, {**counters, "next_seq": seq}, applications_repo.Answer(actor.id, key, body_print, answer), events
    )
    uow.commit()
    return answer


def withdraw(uow, actor, application_id, now: datetime) -> dict:
    actor = actor_of(actor)
    app, program = _locked(uow, application_id)
    if str(app["citizen_id"]) != actor.id:
        raise NotFound(f"No application {application_id}.", {"application_id": str(application_id)})
    if app["status"] not in selection.ACTIVE:
        raise Conflict(f"The application is {app['status']}.", {"status": app["status"]})
    if program["status"] != "published":
        raise Conflict(f"The program is {program['status']}.", {"status": program["status"]})
    return _decide(uow, app, program, "withdrawn", None, actor.id, now, "application.withdrawn")


def accept(uow, actor, application_id, now: datetime) -> dict:
    actor = actor_of(actor)
    app, program = _locked(uow, application_id)
    common.managed_facts(uow, actor, program, application_id, what="application")
    _require_review(program, app)
    if program["accepted_places"] + app["party_size"] > program["capacity"]:
        left = program["capacity"] - program["accepted_places"]
        raise Conflict(f"Only {left} places are left; this application needs {app['party_size']}.", {"left": left})
    return _decide(uow, app, program, "accepted", None, actor.id, now, "application.accepted")


def reject(uow, actor, application_id, reason, now: datetime) -> dict:
    actor = actor_of(actor)
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 1000:
        raise Invalid.field("reason", "is required: 1 to 1000 characters")
    app, program = _locked(uow, application_id)
    common.managed_facts(uow, actor, program, application_id, what="application")
    _require_review(program, app)
    return _decide(uow, app, program, "rejected", reason.strip(), actor.id, now, "application.rejected")


def promote(uow, program: dict, facts: SpaceFacts, now: datetime) -> list[str]:
    """Give free places to the head of the waiting list, in order, while their parties fit."""
    if program["status"] != "published":
        return []
    promoted = selection.promotions(
        program["capacity"], program["accepted_places"], applications_repo.waitlist(uow.session, program["id"])
    )
    for app_id in promoted:
        app = applications_repo.get(uow.session, app_id)
        if app is None:
            continue
        applications_repo.set_status(uow.session, app_id, "accepted", now, decided_at=now)
        program = {**program, **_counters_after(program, "accepted", app["party_size"], was="waitlisted")}
        _publish(uow, "application.promoted", {**app, "status": "accepted", "decided_at": now}, program, facts)
    if promoted:
        programs_repo.update(uow.session, program["id"], _counter_values(program))
    return promoted


def set_attendance(uow, actor, program_id, n, present) -> dict:
    actor = actor_of(actor)
    program = common.load_program(uow, program_id, lock=True)
    known = str(program["id"])
    common.managed_facts(uow, actor, program, program_id)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(program["sessions"]):
        raise NotFound(f"No session {n} in this program.", {"session": n})
    if not isinstance(present, list) or len(present) > 10_000:
        raise Invalid.field("present", "must be a list of application ids")
    accepted = {str(a["id"]) for a in applications_repo.in_status(uow.session, known, ("accepted",))}
    cleaned = []
    for i, value in enumerate(present):
        app_id = as_uuid(value)
        if app_id is None or app_id not in accepted:
            raise Invalid.field(f"present[{i}]", "must be an accepted application of this program")
        cleaned.append(app_id)
    applications_repo.set_attendance(uow.session, known, n, sorted(set(cleaned)), actor.id)
    uow.commit()
    return {"program_id": known, "session": n, "present": sorted(set(cleaned))}


# --- helpers ---------------------------------------------------------------------------------------


def _decide(uow, app, program, status, reason, actor_id, now, event_type) -> dict:
    was = app["status"]
    applications_repo.set_status(
        uow.session, app["id"], status, now, status_reason=reason, decided_at=now, decided_by=actor_id
    )
    counters = _counters_after(program, status, app["party_size"], was=was)
    programs_repo.update(uow.session, program["id"], counters)
    program = {**program, **counters}
    app = {**app, "status": status, "status_reason": reason, "decided_at": now}
    facts = common.stored_facts(uow, program)
    _publish(uow, event_type, app, program, facts)
    if was == "accepted" and program["selection"] != "review":
        promote(uow, program, facts, now)
    uow.commit()
    return views.application(app, program, None)


def _counters_after(program: dict, status: str, party_size: int, was: str | None = None) -> dict:
    """The program's counters once an application of ``party_size`` goes from ``was`` to ``status``."""
    counts = {
        "accepted_places": program["accepted_places"],
        "waitlist_count": program["waitlist_count"],
        "pending_count": program["pending_count"],
    }
    weight = {"accepted": ("accepted_places", party_size), "waitlisted": ("waitlist_count", 1)}
    weight["pending"] = ("pending_count", 1)
    if was in weight:
        name, amount = weight[was]
        counts[name] -= amount
    if status in weight:
        name, amount = weight[status]
        counts[name] += amount
    return counts


def _counter_values(program: dict) -> dict:
    return {name: program[name] for name in ("accepted_places", "waitlist_count", "pending_count")}


def _locked(uow, application_id) -> tuple[dict, dict]:
    """The application and its program, the program's row locked first, the application read after it."""
    known = as_uuid(application_id) or ""
    found = applications_repo.get(uow.session, known) if known else None
    if found is None:
        raise NotFound(f"No application {application_id}.", {"application_id": str(application_id)})
    program = programs_repo.get(uow.session, str(found["program_id"]), lock=True)
    app = applications_repo.get(uow.session, known)
    if program is None or app is None:
        raise NotFound(f"No application {application_id}.", {"application_id": str(application_id)})
    return app, program


def _require_review(program: dict, app: dict) -> None:
    if program["selection"] != "review":
        raise Conflict(
            f"This program selects by {program['selection']}; only review programs are decided by hand.",
            {"selection": program["selection"]},
        )
    if app["status"] != "pending":
        raise Conflict(f"The application is {app['status']}.", {"status": app["status"]})
    if program["status"] != "published":
        raise Conflict(f"The program is {program['status']}.", {"status": program["status"]})


def _check_open(program: dict, party_size: int, now: datetime) -> None:
    if program["status"] != "published":
        raise Conflict(f"The program is {program['status']}.", {"status": program["status"]})
    if not views.open_now(program, now):
        opens, closes = iso(program["application_opens"]), iso(program["application_closes"])
        raise Conflict(
            f"Applications are open from {opens} to {closes}.",
            {"application_opens": opens, "application_closes": closes},
        )
    allowed = 1 + program["companions"]
    if party_size > allowed:
        raise Invalid.field("party_size", f"must be at most {allowed} (you and up to {program['companions']} others)")


def _publish(uow, event_type, app, program, facts, position=None) -> None:
    uow.publish(event_type, f"applications/{app['id']}", _event_data(app, program, facts.operators, position))


def _event_data(app, program, operators, position=None) -> dict:
    return views.application_event(app, program, operators, position)


def _clean_key(key) -> str:
    if not isinstance(key, str) or not 1 <= len(key.strip()) <= MAX_KEY:
        raise Invalid.field("Idempotency-Key", f"is required: 1 to {MAX_KEY} characters")
    return key.strip()


def _clean_body(data) -> dict:
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise Invalid.field("body", "must be an object")
    unknown = sorted(set(data) - {"party_size", "note"})
    if unknown:
        raise Invalid.field(unknown[0], "is not a field of an application")
    party_size = data.get("party_size", 1)
    if isinstance(party_size, bool) or not isinstance(party_size, int) or not 1 <= party_size <= 11:
        raise Invalid.field("party_size", "must be a whole number from 1 to 11")
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise Invalid.field("note", f"must be text of at most {MAX_NOTE} characters")
    return {"party_size": party_size, "note": note.strip() if note else None}
