"""What happens with time: lotteries drawn when their window closes, programs finished after
their last session, and the next session of each program moved on as sessions begin.

Every replica runs the timers; ``SKIP LOCKED`` on the program's row gives each program to one.
"""

import secrets
from datetime import datetime

from chassis.times import iso
from services.programs.adapters import applications as applications_repo
from services.programs.adapters import programs as programs_repo
from services.programs.domain import selection
from services.programs.service_layer import common, steps, views


def draw_due(db, now: datetime) -> int:
    """Draw every lottery whose window has closed; how many were drawn."""
    with db() as uow:
        due = programs_repo.lotteries_due(uow.session, now)
    drawn = 0
    for program_id in due:
        with db() as uow:
            program = programs_repo.get(uow.session, program_id, lock=True, skip_locked=True)
            if program is None or program["lottery"] is not None or program["status"] != "published":
                continue
            draw(uow, program, secrets.token_hex(16), now)
            uow.commit()
            drawn += 1
    return drawn


def draw(uow, program: dict, seed: str, now: datetime) -> dict:
    """Draw ``program``'s pending applications with ``seed``; the lottery as recorded and published."""
    pending = applications_repo.in_status(uow.session, program["id"], ("pending",))
    by_id = {str(a["id"]): a for a in pending}
    order, accepted, waitlisted = selection.draw(
        seed, [selection.Applicant(id_, a["party_size"]) for id_, a in by_id.items()], program["capacity"]
    )
    lottery = {"seed": seed, "algorithm": selection.ALGORITHM, "drawn_at": iso(now), "order": order}
    for rank, app_id in enumerate(order, 1):
        status = "accepted" if app_id in accepted else "waitlisted"
        applications_repo.set_status(uow.session, app_id, status, now, decided_at=now, seq=rank)
    places = sum(by_id[a]["party_size"] for a in accepted)
    values = {
        "lottery": lottery,
        "accepted_places": program["accepted_places"] + places,
        "waitlist_count": len(waitlisted),
        "pending_count": 0,
        "next_seq": max(program["next_seq"], len(order)),
    }
    programs_repo.update(uow.session, program["id"], values)
    program = {**program, **values}
    steps.publish_event(uow, "program.drawn", program, lottery=lottery, accepted=accepted, waitlisted=waitlisted)
    facts = common.stored_facts(uow, program)
    for position, app_id in enumerate(order, 1):
        status = "accepted" if app_id in accepted else "waitlisted"
        app = {**by_id[app_id], "status": status, "decided_at": now}
        data = views.application_event(app, program, facts.operators, position - len(accepted))
        uow.publish(f"application.{status}", f"applications/{app_id}", data)
    return lottery


def finish_due(db, now: datetime) -> int:
    """Mark published programs whose last session has ended as finished; how many."""
    with db() as uow:
        due = programs_repo.ended(uow.session, now)
    finished = 0
    for program_id in due:
        with db() as uow:
            program = programs_repo.get(uow.session, program_id, lock=True, skip_locked=True)
            if program is None or program["status"] != "published" or program["last_session_end"] > now:
                continue
            programs_repo.update(uow.session, program_id, {"status": "finished", "next_session_start": None})
            steps.publish_event(uow, "program.finished", {**program, "status": "finished"})
            uow.commit()
            finished += 1
    return finished


def advance(db, now: datetime) -> int:
    with db() as uow:
        moved = programs_repo.advance_next_sessions(uow.session, now)
        uow.commit()
        return moved


def prune_keys(db) -> int:
    with db() as uow:
        pruned = applications_repo.prune_keys(uow.session)
        uow.commit()
        return pruned
