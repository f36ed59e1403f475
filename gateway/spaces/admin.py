"""Operators' and city administrators' routes under ``/api/v1/admin/spaces``.

Operators act on the spaces they run (another's space is a 404, as the service answers);
administrators on every space. Review and moderation are for administrators only.

Suspending, reinstating and closing a space take effect on bookings at once: before
answering, the route has the reservations service take in the space's new facts
(``reservations.refresh_space``, which cancels what a suspension or closure rules out), as
the space's event would a moment later. If that service does not answer, the space has
changed all the same and its event will still arrive, but the route answers 503 with
``Retry-After``; a repeat is safe: the spaces service refuses it (409, naming the status
the space already has) and the route tells the reservations service again first.
"""

from uuid import UUID

from chassis.errors import Conflict, Unavailable
from gateway.api import Paging, ReasonIn, endpoint
from gateway.reservations.common import act as act_on_reservations
from gateway.rpc import ServiceTimeout, ServiceUnavailable
from gateway.spaces.common import READ_ERRORS, RPC_ERRORS, act, spaces_bp
from gateway.spaces.models import (
    AdminSpacesQuery,
    ClosureIn,
    ClosureOut,
    SpaceAdmin,
    SpaceAdminPage,
    SpaceCreate,
    SpaceUpdate,
)

OPERATORS = ("operator", "admin")
ADMINS = ("admin",)
SPACE = "/api/v1/admin/spaces/<uuid:space_id>"
TAGS = ["admin", "spaces"]
LEADS_TO = {"suspend": "suspended", "reinstate": "published", "close": "closed"}
RETRY_AFTER_SECONDS = 5


# --- operators (and administrators) ------------------------------------------------


@endpoint(
    spaces_bp,
    "POST",
    "/api/v1/admin/spaces",
    body=SpaceCreate,
    response=SpaceAdmin,
    status=201,
    roles=OPERATORS,
    tags=TAGS,
    errors=[503, 504],
)
def create_space(body: SpaceCreate):
    """Register a space as a draft run by the caller."""
    return act("register", body.model_dump(mode="json", exclude_unset=True))


@endpoint(
    spaces_bp,
    "GET",
    "/api/v1/admin/spaces",
    query=AdminSpacesQuery,
    response=SpaceAdminPage,
    roles=OPERATORS,
    tags=TAGS,
    errors=[503, 504],
)
def list_admin_spaces(query: AdminSpacesQuery):
    """The caller's spaces, newest first (an administrator sees every space); filter by status."""
    return act("list_for_actor", status=query.status, page=query.page, page_size=query.page_size)


@endpoint(spaces_bp, "GET", SPACE, response=SpaceAdmin, roles=OPERATORS, tags=TAGS, errors=READ_ERRORS)
def get_admin_space(space_id: UUID):
    """A space in any status."""
    return act("get_for_actor", str(space_id))


@endpoint(
    spaces_bp, "PATCH", SPACE, body=SpaceUpdate, response=SpaceAdmin, roles=OPERATORS, tags=TAGS, errors=RPC_ERRORS
)
def update_space(space_id: UUID, body: SpaceUpdate):
    """Change some fields of a space (not a closed one)."""
    return act("update", str(space_id), body.model_dump(mode="json", exclude_unset=True))


@endpoint(spaces_bp, "POST", f"{SPACE}/submit", response=SpaceAdmin, roles=OPERATORS, tags=TAGS, errors=RPC_ERRORS)
def submit_space(space_id: UUID):
    """Send a draft for review."""
    return act("submit", str(space_id))


@endpoint(
    spaces_bp,
    "POST",
    f"{SPACE}/closures",
    body=ClosureIn,
    response=ClosureOut,
    status=201,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def add_closure(space_id: UUID, body: ClosureIn):
    """Close a space for a period (local times in its zone), with a reason."""
    return act("add_closure", str(space_id), body.model_dump(mode="json"))


@endpoint(
    spaces_bp,
    "DELETE",
    f"{SPACE}/closures/<uuid:closure_id>",
    status=204,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def remove_closure(space_id: UUID, closure_id: UUID):
    """Remove a closed period."""
    act("remove_closure", str(space_id), str(closure_id))


@endpoint(
    spaces_bp,
    "POST",
    f"{SPACE}/close",
    body=ReasonIn,
    response=SpaceAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def close_space(space_id: UUID, body: ReasonIn):
    """Close a space for good, with a reason; its pending and future approved reservations are
    cancelled before the answer. A 503 means the space is closed but bookings may not know yet:
    repeat the request."""
    return _change_and_tell_reservations("close", space_id, body.reason)


# --- city administrators -------------------------------------------------------------


@endpoint(
    spaces_bp,
    "GET",
    "/api/v1/admin/review/spaces",
    query=Paging,
    response=SpaceAdminPage,
    roles=ADMINS,
    tags=TAGS,
    errors=[503, 504],
)
def review_queue(query: Paging):
    """The submitted spaces, oldest submission first."""
    return act("review_queue", page=query.page, page_size=query.page_size)


@endpoint(spaces_bp, "POST", f"{SPACE}/publish", response=SpaceAdmin, roles=ADMINS, tags=TAGS, errors=RPC_ERRORS)
def publish_space(space_id: UUID):
    """Publish a submitted space."""
    return act("publish", str(space_id))


@endpoint(
    spaces_bp, "POST", f"{SPACE}/return", body=ReasonIn, response=SpaceAdmin, roles=ADMINS, tags=TAGS, errors=RPC_ERRORS
)
def return_space(space_id: UUID, body: ReasonIn):
    """Return a submitted space to its operators as a draft, with a reason."""
    return act("return_to_draft", str(space_id), body.reason)


@endpoint(
    spaces_bp,
    "POST",
    f"{SPACE}/suspend",
    body=ReasonIn,
    response=SpaceAdmin,
    roles=ADMINS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def suspend_space(space_id: UUID, body: ReasonIn):
    """Suspend a published space, with a reason. Once this answers, the space takes no booking, and
    its pending and future approved reservations are cancelled. A 503 means the space is suspended
    but bookings may not know yet: repeat the request (a 409 naming the status `suspended` then
    says it is done)."""
    return _change_and_tell_reservations("suspend", space_id, body.reason)


@endpoint(spaces_bp, "POST", f"{SPACE}/reinstate", response=SpaceAdmin, roles=ADMINS, tags=TAGS, errors=RPC_ERRORS)
def reinstate_space(space_id: UUID):
    """Publish a suspended space again; it takes bookings as soon as this answers. A 503 means it is
    published but bookings may not know yet: repeat the request."""
    return _change_and_tell_reservations("reinstate", space_id)


def _change_and_tell_reservations(action: str, space_id: UUID, *args) -> dict:
    """``spaces.<action>``, then ``reservations.refresh_space``; a repeat (the spaces service's
    ``Conflict`` names the status the action leads to) tells the reservations service again."""
    try:
        space = act(action, str(space_id), *args)
    except Conflict as refused:
        if refused.extra.get("status") == LEADS_TO[action]:
            _tell_reservations(space_id, LEADS_TO[action])
        raise
    _tell_reservations(space_id, space["status"])
    return space


def _tell_reservations(space_id: UUID, status: str) -> None:
    try:
        act_on_reservations("refresh_space", str(space_id))
    except (ServiceUnavailable, ServiceTimeout, Unavailable):
        raise Unavailable(
            f"The space is {status}, but the reservations service has not taken that in yet, so bookings "
            "may follow its former status for a while; repeat the request (it is safe to repeat).",
            {
                "service": "reservations",
                "space_id": str(space_id),
                "space_status": status,
                "retry_after": RETRY_AFTER_SECONDS,
            },
        ) from None
