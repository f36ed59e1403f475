"""Operators' and city administrators' routes under ``/api/v1/admin/spaces``.

Operators act on the spaces they run (another's space is a 404, as the service answers);
administrators on every space. Review and moderation are for administrators only.
"""

from uuid import UUID

from gateway.api import Paging, ReasonIn, endpoint
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
    """Close a space for good, with a reason."""
    return act("close", str(space_id), body.reason)


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
    """Suspend a published space, with a reason."""
    return act("suspend", str(space_id), body.reason)


@endpoint(spaces_bp, "POST", f"{SPACE}/reinstate", response=SpaceAdmin, roles=ADMINS, tags=TAGS, errors=RPC_ERRORS)
def reinstate_space(space_id: UUID):
    """Publish a suspended space again."""
    return act("reinstate", str(space_id))
