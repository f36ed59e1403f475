"""The programs blueprint, the RPC helpers, the ``Idempotency-Key`` check and the applicants' contacts."""

import logging
from uuid import UUID

import sqlalchemy as sa
from flask import Blueprint, current_app
from pydantic import ValidationError

from chassis.errors import DomainError
from gateway import db
from gateway.auth import current_actor
from gateway.reservations.common import check_idempotency_keys
from gateway.rpc import Call, ServiceTimeout, ServiceUnavailable

log = logging.getLogger(__name__)

SERVICE = "programs"
READ_ERRORS = [404, 503, 504]
RPC_ERRORS = [404, 409, 503, 504]  # 409: the status does not allow the action, a slot is taken, the program is full
APPLICANTS_PAGE_SIZE = 1000  # the service's largest page of applicants

programs_bp = Blueprint("programs", __name__)


def call(method: str, *args, **kwargs):
    """Call ``programs.<method>``; domain errors and outages become problems in ``gateway.problems``."""
    return current_app.extensions["rpc"].call(SERVICE, method, *args, **kwargs)


def act(method: str, *args, **kwargs):
    """Call ``programs.<method>`` on behalf of the signed-in user (the actor goes first)."""
    return call(method, current_actor(), *args, **kwargs)


check_idempotency_keys(programs_bp)


def with_contacts(applications: list[dict]) -> list[dict]:
    """Each application with its citizen's ``name``, ``email`` and ``phone`` from the gateway's accounts.

    The programs service knows citizens by id only; their contact details live here, in
    one query for the page. An account that no longer exists leaves the three null.
    """
    ids = {UUID(str(item["citizen_id"])) for item in applications if item.get("citizen_id")}
    users = db.users
    contacts: dict[str, dict] = {}
    if ids:
        with db.reader() as conn:
            rows = conn.execute(
                sa.select(users.c.id, users.c.name, users.c.email, users.c.phone).where(users.c.id.in_(ids))
            )
            contacts = {str(row.id): {"name": row.name, "email": row.email, "phone": row.phone} for row in rows}
    blank = {"name": None, "email": None, "phone": None}
    return [item | contacts.get(str(item.get("citizen_id")), blank) for item in applications]


def all_applicants(program_id: str) -> list[dict]:
    """Every application of a program, with contacts: the service's pages of ``APPLICANTS_PAGE_SIZE`` in turn."""
    items: list[dict] = []
    page = 1
    while True:
        answer = act("applicants", program_id, {"page": page, "page_size": APPLICANTS_PAGE_SIZE})
        items.extend(answer["items"])
        if not answer["items"] or len(items) >= answer["total"]:
            return with_contacts(items)
        page += 1


# --- used by gateway.spaces.public ---------------------------------------------------

UPCOMING_TIMEOUT_SECONDS = 1.0  # the space's page does not wait longer than this for its programs
UPCOMING_COUNT = 5


def upcoming_call(space_id: str) -> Call:
    """The call whose answer ``upcoming_programs`` reads, for the space's page to make with its others."""
    return Call(
        SERVICE, "search", ({"space_id": space_id, "page_size": UPCOMING_COUNT},), timeout=UPCOMING_TIMEOUT_SECONDS
    )


def upcoming_programs(space_id: str, answer) -> list[dict] | None:
    """The space's next published programs for its public page from ``upcoming_call``'s answer
    (or the exception it ended in), or ``None`` when they cannot be had.

    The space comes from the spaces service; a programs service that is down or slow must
    not take the page down with it.
    """
    from gateway.programs.models import ProgramPublic

    try:
        if isinstance(answer, Exception):
            raise answer
        return [ProgramPublic.model_validate(item).model_dump(mode="json") for item in answer["items"]]
    except (ServiceUnavailable, ServiceTimeout, DomainError, ValidationError, KeyError, TypeError) as exc:
        log.info("no upcoming programs for space %s: %r", space_id, exc)
        return None
