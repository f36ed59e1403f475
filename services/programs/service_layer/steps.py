"""The steps a program takes with the reservations service: publish (block its sessions), move
(block new sessions in place of the old), release (unblock).

Each step is recorded on the program and committed before the reservations service is
called, and the outcome is committed after it answers, in a second transaction that also
clears the step. A crash, a timeout or a lost answer in between leaves the step recorded;
``resume`` (a timer in every replica) finishes it later. That is safe because both calls
are idempotent on the other side: ``block`` with the same program reference and intervals
answers the block already made, and ``unblock`` of a released block answers the same. So
a program is never published without its block, and a block outlives its program's
publication only until the step is resumed.
"""

import logging
import uuid
from datetime import datetime, timedelta

from chassis.errors import Conflict, DomainError, NotFound, Unavailable
from chassis.times import iso, parse_instant
from services.programs.adapters import programs as programs_repo
from services.programs.adapters.reservations import NoAnswer
from services.programs.service_layer import common, views

log = logging.getLogger(__name__)


def new(op: str, actor: dict, space_id: str, **details) -> dict:
    return {"id": str(uuid.uuid4()), "op": op, "actor": actor, "space_id": space_id, **details}


def intervals_out(sessions: list[tuple[datetime, datetime]]) -> list[dict]:
    return [{"start": iso(s), "end": iso(e)} for s, e in sessions]


def begin(uow, program_id: str, step: dict, now: datetime) -> None:
    """Record ``step`` on the program, whose row the caller holds; it is taken once the caller commits."""
    programs_repo.update(uow.session, program_id, {"step": step, "step_at": now})


def finish(db, program_id: str, step: dict, reservations, now: datetime, outcomes) -> None:
    """Ask the reservations service for ``step``, then record its outcome; then any step that outcome began.

    ``outcomes[op](uow, program, step, answer, now)`` records a successful answer and may
    begin a follow-up step (it answers it, or ``None``). A refusal clears the step and is
    raised, with a taken slot named by session; no answer leaves the step for ``resume``.
    """
    while step is not None:
        try:
            answer = _ask(reservations, program_id, step)
        except DomainError as refused:
            _clear(db, program_id, step)
            raise _named(refused, step) from None
        except NoAnswer:
            raise Unavailable(
                "The reservations service did not answer; the change completes by itself shortly.",
                {"service": "reservations", "retry_after": 5, "program_id": program_id},
            ) from None
        with db() as uow:
            program = programs_repo.get(uow.session, program_id, lock=True)
            if program is None or not program["step"] or program["step"]["id"] != step["id"]:
                return  # another replica finished it
            programs_repo.update(uow.session, program_id, {"step": None, "step_at": None})
            step = outcomes[step["op"]](uow, program, step, answer, now)
            uow.commit()


def _ask(reservations, program_id: str, step: dict) -> dict | None:
    if step["op"] == "release":
        try:
            return reservations.unblock(step["actor"], step["block_id"], step.get("reason"))
        except NotFound:
            return None  # nothing left to release
    return reservations.block(step["actor"], step["space_id"], step["intervals"], f"programs/{program_id}")


def _clear(db, program_id: str, step: dict) -> None:
    with db() as uow:
        program = programs_repo.get(uow.session, program_id, lock=True)
        if program is not None and program["step"] and program["step"]["id"] == step["id"]:
            programs_repo.update(uow.session, program_id, {"step": None, "step_at": None})
            uow.commit()


def _named(refused: DomainError, step: dict) -> DomainError:
    """A taken slot, told by the sessions it takes; other refusals as they came."""
    if not isinstance(refused, Conflict) or "conflicts" not in refused.extra:
        return refused
    taken = [
        (parse_instant(c["start"], "start"), parse_instant(c["end"], "end"), c.get("kind", "reservation"))
        for c in refused.extra["conflicts"]
    ]
    named = []
    for n, interval in enumerate(step["intervals"], 1):
        start, end = parse_instant(interval["start"], "start"), parse_instant(interval["end"], "end")
        kinds = sorted({kind for s, e, kind in taken if s < end and start < e})
        if kinds:
            named.append({"n": n, "start": iso(start), "end": iso(end), "kind": kinds[0]})
    listed = ", ".join(str(c["n"]) for c in named) or "some"
    return Conflict(
        f"The space is already taken during session(s) {listed}; nothing was blocked.",
        {"conflicts": named, "holds": refused.extra["conflicts"]},
    )


def resume(db, reservations, now: datetime, older_than: float, outcomes) -> int:
    """Finish the steps left unfinished for longer than ``older_than`` seconds; how many were tried."""
    with db() as uow:
        due = programs_repo.with_steps_older_than(uow.session, now - timedelta(seconds=older_than))
    for program_id in due:
        with db() as uow:
            program = programs_repo.get(uow.session, program_id)
        if program is None or not program["step"]:
            continue
        try:
            finish(db, program_id, program["step"], reservations, now, outcomes)
        except (DomainError, Unavailable) as error:
            log.warning("program %s: its %s step did not finish: %r", program_id, program["step"]["op"], error)
    return len(due)


def publish_event(uow, event_type: str, program: dict, **extra) -> None:
    facts = common.stored_facts(uow, program)
    uow.publish(event_type, f"programs/{program['id']}", views.program_event(program, facts, **extra))
