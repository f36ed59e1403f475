"""What the service answers and publishes about programs and applications: plain JSON-safe dicts."""

from datetime import datetime

from chassis.times import iso
from services.programs.domain.schedule import SpaceFacts

COUNTED = ("pending", "accepted", "waitlisted", "rejected", "withdrawn", "cancelled")


def sessions_out(program: dict) -> list[dict]:
    return [{"n": n, "start": iso(s), "end": iso(e)} for n, s, e in program["sessions"]]


def open_now(program: dict, now: datetime) -> bool:
    return program["status"] == "published" and program["application_opens"] <= now < program["application_closes"]


def space_of(program: dict) -> dict:
    """The program's space as it keeps it (kept current from the space events)."""
    return {
        "id": str(program["space_id"]),
        "name_ko": program["space_name_ko"],
        "name_en": program["space_name_en"],
        "district": program["district"],
        "types": list(program["space_types"]),
    }


def summary(program: dict, now: datetime) -> dict:
    """A program as a list shows it."""
    return {
        "id": str(program["id"]),
        "space_id": str(program["space_id"]),
        "district": program["district"],
        "space": space_of(program),
        "status": program["status"],
        "status_reason": program["status_reason"],
        "title_ko": program["title_ko"],
        "title_en": program["title_en"],
        "category": program["category"],
        "audience": program["audience"],
        "fee_note": program["fee_note"],
        "selection": program["selection"],
        "capacity": program["capacity"],
        "companions": program["companions"],
        "accepted_count": program["accepted_places"],
        "places_left": max(program["capacity"] - program["accepted_places"], 0),
        "waitlist_count": program["waitlist_count"],
        "pending_count": program["pending_count"],
        "application_opens": iso(program["application_opens"]),
        "application_closes": iso(program["application_closes"]),
        "open_for_applications": open_now(program, now),
        "first_session_start": iso(program["first_session_start"]),
        "next_session_start": iso(program["next_session_start"]),
        "last_session_end": iso(program["last_session_end"]),
        "session_count": len(program["sessions"]),
    }


def public(program: dict, now: datetime) -> dict:
    """A program's own page: everything about it, nothing about who runs it or who applied."""
    return {
        **summary(program, now),
        "description_ko": program["description_ko"],
        "description_en": program["description_en"],
        "sessions": sessions_out(program),
        "lottery": program["lottery"],
        "created_at": iso(program["created_at"]),
        "updated_at": iso(program["updated_at"]),
        "published_at": iso(program["published_at"]),
    }


def for_operator(program: dict, counts: dict, now: datetime) -> dict:
    return {
        **public(program, now),
        "created_by": str(program["created_by"]),
        "block_id": str(program["block_id"]) if program["block_id"] else None,
        "step": {"op": program["step"]["op"], "since": iso(program["step_at"])} if program["step"] else None,
        "counts": {status: counts.get(status, 0) for status in COUNTED},
    }


def application(app: dict, program: dict, position: int | None) -> dict:
    return {
        "id": str(app["id"]),
        "program_id": str(app["program_id"]),
        "citizen_id": str(app["citizen_id"]),
        "status": app["status"],
        "status_reason": app["status_reason"],
        "waitlist_position": position if app["status"] == "waitlisted" else None,
        "party_size": app["party_size"],
        "note": app["note"],
        "created_at": iso(app["created_at"]),
        "decided_at": iso(app["decided_at"]),
        "program": {
            "id": str(program["id"]),
            "title_ko": program["title_ko"],
            "title_en": program["title_en"],
            "space_id": str(program["space_id"]),
            "first_session_start": iso(program["first_session_start"]),
            "status": program["status"],
        },
    }


def program_event(program: dict, facts: SpaceFacts, **extra) -> dict:
    """The data of a ``program.*`` event: what a subscriber needs without calling back."""
    return {
        "program_id": str(program["id"]),
        "space_id": str(program["space_id"]),
        "district": program["district"],
        "operators": [str(o) for o in facts.operators],
        "title_ko": program["title_ko"],
        "title_en": program["title_en"],
        "category": program["category"],
        "audience": program["audience"],
        "selection": program["selection"],
        "capacity": program["capacity"],
        "application_opens": iso(program["application_opens"]),
        "application_closes": iso(program["application_closes"]),
        "sessions": sessions_out(program),
        "status": program["status"],
        "status_reason": program["status_reason"],
        **extra,
    }


def application_event(app: dict, program: dict, operators: list, position: int | None = None) -> dict:
    """The data of an ``application.*`` event; ``operators`` are the space's, who may want to know."""
    return {
        "application_id": str(app["id"]),
        "program_id": str(program["id"]),
        "space_id": str(program["space_id"]),
        "citizen_id": str(app["citizen_id"]),
        "operators": [str(o) for o in operators],
        "status": app["status"],
        "status_reason": app["status_reason"],
        "party_size": app["party_size"],
        "waitlist_position": position if app["status"] == "waitlisted" else None,
        "program": {
            "title_ko": program["title_ko"],
            "title_en": program["title_en"],
            "first_session_start": iso(program["first_session_start"]),
        },
    }
