"""Operators' use cases: create, change, publish and cancel a program.

Publishing, moving the sessions of a published program and releasing a cancelled one's
time each go through a step with the reservations service (``steps.py``); the outcomes
that the second transaction records are ``OUTCOMES`` here.
"""

import logging
import uuid
from datetime import datetime

from chassis.errors import Conflict, Invalid, NotFound
from chassis.times import parse_instant
from services.programs.adapters import applications as applications_repo
from services.programs.adapters import programs as programs_repo
from services.programs.domain import program as rules
from services.programs.domain.access import SYSTEM_ACTOR, actor_of, require_manager, require_role
from services.programs.domain.schedule import SpaceFacts, check_fits
from services.programs.domain.selection import ACTIVE
from services.programs.service_layer import applying, common, steps, views
from services.programs.service_layer import facts as facts_service

log = logging.getLogger(__name__)
FIXED_ONCE_PUBLISHED = ("selection",)
MAX_REASON = 1000


def create(uow, actor, data, fetch, now: datetime) -> dict:
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    fields = rules.clean(data, creating=True)
    facts = facts_service.load(uow, fields["space_id"], fetch, fresh=True)
    require_manager(actor, facts.operators, "space", facts.space_id)
    if facts.status != "published":
        raise Invalid.field("space_id", f"must be a published space; this one is {facts.status}")
    sessions = _checked_sessions(fields["sessions"], facts, now)
    rules.check_window(fields["application_opens"], fields["application_closes"], sessions[0][0], now)
    program_id = str(uuid.uuid4())
    values = {
        "id": program_id,
        "created_by": actor.id,
        "status": "draft",
        "description_ko": "",
        "description_en": "",
        "fee_note": "",
        "companions": 0,
        **{name: value for name, value in fields.items() if name != "sessions"},
        **_space_values(facts),
    }
    programs_repo.insert(uow.session, values, sessions)
    uow.commit()
    return _view(uow, program_id, now)


def update(db, actor, program_id, changes, reservations, now: datetime) -> dict:
    actor = actor_of(actor)
    with db() as uow:
        program, facts = _managed(uow, actor, program_id, lock=True)
        if program["status"] in ("cancelled", "finished"):
            raise Conflict(f"The program is {program['status']}; it cannot change.", {"status": program["status"]})
        _refuse_during_step(program)
        fields = rules.clean(changes, creating=False)
        sessions = _new_sessions(program, fields, facts, now)
        _check_merged(program, fields, sessions, now)
        if program["status"] == "published" and sessions is not None:
            step = steps.new("move", _actor_dict(actor), facts.space_id, intervals=steps.intervals_out(sessions))
            step["changes"] = changes
            steps.begin(uow, program_id, step, now)
            uow.commit()
        else:
            _apply(uow, program, fields, sessions, facts, now)
            uow.commit()
            return _view(uow, program_id, now)
    steps.finish(db, program_id, step, reservations, now, OUTCOMES)
    with db() as uow:
        return _view(uow, program_id, now)


def publish(db, actor, program_id, fetch, reservations, now: datetime) -> dict:
    actor = actor_of(actor)
    with db() as uow:
        program, facts = _managed(uow, actor, program_id)
        facts = facts_service.load(uow, facts.space_id, fetch, fresh=True)  # may commit: before the lock
        program, facts = _managed(uow, actor, program_id, lock=True)
        if program["step"] and program["step"]["op"] == "publish":
            step = program["step"]  # a publish left unfinished: finish it now
        elif program["status"] == "published":
            return _view(uow, program_id, now)
        else:
            _refuse_during_step(program)
            if program["status"] != "draft":
                raise Conflict(f"The program is {program['status']}.", {"status": program["status"]})
            if facts.status != "published":
                raise Conflict(f"The space is {facts.status}; publish it first.", {"space_status": facts.status})
            sessions = _checked_sessions([(s, e) for _, s, e in program["sessions"]], facts, now)
            rules.check_window(program["application_opens"], program["application_closes"], sessions[0][0], now)
            step = steps.new("publish", _actor_dict(actor), facts.space_id, intervals=steps.intervals_out(sessions))
            steps.begin(uow, program_id, step, now)
            uow.commit()
    steps.finish(db, program_id, step, reservations, now, OUTCOMES)
    with db() as uow:
        return _view(uow, program_id, now)


def cancel(db, actor, program_id, reason, reservations, now: datetime) -> dict:
    actor = actor_of(actor)
    reason = _clean_reason(reason)
    with db() as uow:
        program, facts = _managed(uow, actor, program_id, lock=True)
        if program["status"] == "cancelled":
            return _view(uow, program_id, now)
        if program["status"] == "finished":
            raise Conflict("The program has finished.", {"status": "finished"})
        _refuse_during_step(program)
        step = _cancel(uow, program, reason, _actor_dict(actor), now)
        uow.commit()
    _finish_quietly(db, program_id, step, reservations, now)
    with db() as uow:
        return _view(uow, program_id, now)


def cancel_for_space(db, program_id: str, reason: str, reservations, now: datetime) -> None:
    """A suspended or closed space's published program: cancelled, its applicants told, its time released."""
    with db() as uow:
        program = programs_repo.get(uow.session, program_id, lock=True)
        if program is None or program["status"] != "published" or program["step"]:
            return  # a step under way sees the space's status when its outcome is recorded
        step = _cancel(uow, program, reason, SYSTEM_ACTOR, now)
        uow.commit()
    _finish_quietly(db, program_id, step, reservations, now)


def _cancel(uow, program: dict, reason: str, actor: dict, now: datetime) -> dict | None:
    """Cancel ``program`` (its row held) and its active applications; the release step, if it holds time."""
    cancelled = applications_repo.in_status(uow.session, str(program["id"]), ACTIVE)
    for app in cancelled:
        applications_repo.set_status(uow.session, app["id"], "cancelled", now, status_reason=reason, decided_at=now)
    values = {"status": "cancelled", "status_reason": reason, "accepted_places": 0, "waitlist_count": 0}
    programs_repo.update(uow.session, program["id"], {**values, "pending_count": 0})
    program = {**program, **values}
    whom = [
        {"application_id": str(a["id"]), "citizen_id": str(a["citizen_id"]), "status": a["status"]} for a in cancelled
    ]
    steps.publish_event(uow, "program.cancelled", program, applications=whom)
    if program["block_id"] is None:
        return None
    step = steps.new("release", actor, str(program["space_id"]), block_id=str(program["block_id"]), reason=reason)
    steps.begin(uow, program["id"], step, now)
    return step


def _finish_quietly(db, program_id: str, step: dict | None, reservations, now: datetime) -> None:
    """Release a cancelled program's time now if the reservations service answers, else when ``resume`` runs."""
    if step is None:
        return
    try:
        steps.finish(db, program_id, step, reservations, now, OUTCOMES)
    except Exception as error:  # the program is cancelled either way; the step stays for resume
        log.warning("program %s: its time is not released yet: %r", program_id, error)


# --- what the second transaction of each step records -------------------------------------------


def _published(uow, program: dict, step: dict, answer: dict, now: datetime) -> dict | None:
    values = {"status": "published", "block_id": answer["id"], "published_at": now, "status_reason": None}
    programs_repo.update(uow.session, program["id"], values)
    program = {**program, **values}
    facts = common.stored_facts(uow, program)
    if facts.status != "published":  # suspended or closed while the block was being made
        reason = f"The space was {facts.status} while the program was being published."
        return _cancel(uow, program, reason, SYSTEM_ACTOR, now)
    steps.publish_event(uow, "program.published", program)
    return None


def _moved(uow, program: dict, step: dict, answer: dict, now: datetime) -> None:
    fields = rules.clean(step["changes"], creating=False)
    sessions = [(parse_instant(i["start"], "start"), parse_instant(i["end"], "end")) for i in step["intervals"]]
    programs_repo.update(uow.session, program["id"], {"block_id": answer["id"]})
    _apply(uow, {**program, "block_id": answer["id"]}, fields, sessions, common.stored_facts(uow, program), now)


def _released(uow, program: dict, step: dict, answer: dict | None, now: datetime) -> None:
    programs_repo.update(uow.session, program["id"], {"block_id": None})


OUTCOMES = {"publish": _published, "move": _moved, "release": _released}


# --- helpers ---------------------------------------------------------------------------------------


def _apply(uow, program: dict, fields: dict, sessions, facts: SpaceFacts, now: datetime) -> None:
    """Write ``fields`` (and ``sessions``, if given) to ``program``; tell subscribers if it is published."""
    values = {name: value for name, value in fields.items() if name != "sessions"}
    if values:
        programs_repo.update(uow.session, program["id"], values)
    if sessions is not None:
        programs_repo.replace_sessions(uow.session, program["id"], sessions)
    if program["status"] != "published":
        return
    updated = programs_repo.get(uow.session, program["id"])
    if updated is None:
        raise NotFound(f"No program {program['id']}.", {"program_id": str(program["id"])})
    applying.promote(uow, updated, facts, now)
    steps.publish_event(uow, "program.updated", programs_repo.get(uow.session, program["id"]) or updated)


def _managed(uow, actor, program_id, lock: bool = False) -> tuple[dict, SpaceFacts]:
    program = common.load_program(uow, program_id, lock=lock)
    return program, common.managed_facts(uow, actor, program, program_id)


def _refuse_during_step(program: dict) -> None:
    if program["step"]:
        raise Conflict(
            "Another change of this program is still being made; try again shortly.",
            {"retry_after": 5, "step": program["step"]["op"]},
        )


def _checked_sessions(sessions, facts: SpaceFacts, now: datetime) -> list:
    if isinstance(sessions, rules.Weekly):
        sessions = sessions.expand(facts.zone)
    ordered = rules.check_shape(sessions, now)
    check_fits(facts, sessions)  # as sent, so an error names the session the operator wrote
    return ordered


def _new_sessions(program: dict, fields: dict, facts: SpaceFacts, now: datetime) -> list | None:
    """The changed sessions, checked, or ``None`` if they stay as they are."""
    if "sessions" not in fields:
        return None
    sessions = _checked_sessions(fields["sessions"], facts, now)
    if sessions == [(s, e) for _, s, e in program["sessions"]]:
        return None
    return sessions


def _check_merged(program: dict, fields: dict, sessions, now: datetime) -> None:
    """The rules that tie fields together, on the program as it would be."""
    merged = {**program, **fields}
    if program["status"] == "published":
        for name in FIXED_ONCE_PUBLISHED:
            if name in fields and fields[name] != program[name]:
                raise Invalid.field(name, "cannot change once the program is published")
    if "capacity" in fields:
        rules.check_capacity(fields["capacity"], program["accepted_places"])
    if sessions is not None or "application_opens" in fields or "application_closes" in fields:
        first_start = sessions[0][0] if sessions else program["first_session_start"]
        rules.check_window(merged["application_opens"], merged["application_closes"], first_start, now)


def _view(uow, program_id: str, now: datetime) -> dict:
    program = programs_repo.get(uow.session, program_id)
    if program is None:
        raise NotFound(f"No program {program_id}.", {"program_id": program_id})
    counts = applications_repo.counts_by_status(uow.session, [program_id])[program_id]
    return views.for_operator(program, counts, now)


def _space_values(facts: SpaceFacts) -> dict:
    """What a program keeps of its space, for searches that read programs alone."""
    return {
        "district": facts.district,
        "space_types": list(facts.types),
        "space_name_ko": facts.name_ko,
        "space_name_en": facts.name_en,
    }


def _actor_dict(actor) -> dict:
    return {"id": actor.id, "role": actor.role}


def _clean_reason(reason) -> str:
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= MAX_REASON:
        raise Invalid.field("reason", f"is required: 1 to {MAX_REASON} characters")
    return reason.strip()
