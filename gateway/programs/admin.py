"""Operators' and city administrators' routes: write, publish and cancel programs; decide applications.

Operators act on the programs of the spaces they run (another's is a 404, as the service
answers); administrators on every program.
"""

from uuid import UUID

from gateway.api import ReasonIn, endpoint
from gateway.programs.common import READ_ERRORS, RPC_ERRORS, act, programs_bp, with_contacts
from gateway.programs.models import (
    AdminProgramsQuery,
    ApplicantPage,
    ApplicantsQuery,
    ApplicationAdmin,
    AttendanceIn,
    AttendanceOut,
    ProgramAdmin,
    ProgramAdminPage,
    ProgramCreate,
    ProgramUpdate,
)

OPERATORS = ("operator", "admin")
TAGS = ["admin", "programs"]
PROGRAMS = "/api/v1/admin/programs"
PROGRAM = f"{PROGRAMS}/<uuid:program_id>"
APPLICATION = "/api/v1/admin/applications/<uuid:application_id>"


@endpoint(
    programs_bp,
    "POST",
    PROGRAMS,
    body=ProgramCreate,
    response=ProgramAdmin,
    status=201,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def create_program(body: ProgramCreate):
    """Create a draft program at a space the caller runs; sessions are a list or a weekly pattern."""
    return act("create", body.model_dump(mode="json", exclude_none=True))


@endpoint(
    programs_bp,
    "GET",
    PROGRAMS,
    query=AdminProgramsQuery,
    response=ProgramAdminPage,
    roles=OPERATORS,
    tags=TAGS,
    errors=[503, 504],
)
def list_programs_as_operator(query: AdminProgramsQuery):
    """The caller's programs in every status (an administrator's: all), filtered by status and space."""
    return act("list_for_actor", query.model_dump(mode="json", exclude_none=True))


@endpoint(programs_bp, "GET", PROGRAM, response=ProgramAdmin, roles=OPERATORS, tags=TAGS, errors=READ_ERRORS)
def get_program_as_operator(program_id: UUID):
    """A program in any status, with counts by application status and any unfinished step."""
    return act("get_for_actor", str(program_id))


@endpoint(
    programs_bp,
    "PATCH",
    PROGRAM,
    body=ProgramUpdate,
    response=ProgramAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def update_program(program_id: UUID, body: ProgramUpdate):
    """Change some fields; new sessions of a published program move its hold on the space, or change nothing.

    ``null`` clears a description or the fee note (the service keeps them as empty text).
    """
    changes = body.model_dump(mode="json", exclude_unset=True)
    return act("update", str(program_id), {name: "" if value is None else value for name, value in changes.items()})


@endpoint(
    programs_bp, "POST", f"{PROGRAM}/publish", response=ProgramAdmin, roles=OPERATORS, tags=TAGS, errors=RPC_ERRORS
)
def publish_program(program_id: UUID):
    """Publish a draft: every session's time is held at the space, all or none (409 naming the sessions taken)."""
    return act("publish", str(program_id))


@endpoint(
    programs_bp,
    "POST",
    f"{PROGRAM}/cancel",
    body=ReasonIn,
    response=ProgramAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def cancel_program(program_id: UUID, body: ReasonIn):
    """Cancel a program, with a reason: its applications are cancelled and its sessions' time freed."""
    return act("cancel", str(program_id), body.reason)


@endpoint(
    programs_bp,
    "GET",
    f"{PROGRAM}/applications",
    query=ApplicantsQuery,
    response=ApplicantPage,
    roles=OPERATORS,
    tags=TAGS,
    errors=READ_ERRORS,
)
def list_applicants(program_id: UUID, query: ApplicantsQuery):
    """A program's applications with each applicant's name, email and phone, and counts by status."""
    answer = act("applicants", str(program_id), query.model_dump(mode="json", exclude_none=True))
    return {**answer, "items": with_contacts(answer["items"])}


@endpoint(
    programs_bp,
    "POST",
    f"{APPLICATION}/accept",
    response=ApplicationAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def accept_application(application_id: UUID):
    """Accept a pending application of a reviewed program (409 if it would pass the capacity)."""
    return act("accept", str(application_id))


@endpoint(
    programs_bp,
    "POST",
    f"{APPLICATION}/reject",
    body=ReasonIn,
    response=ApplicationAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def reject_application(application_id: UUID, body: ReasonIn):
    """Reject a pending application of a reviewed program, with a reason."""
    return act("reject", str(application_id), body.reason)


@endpoint(
    programs_bp,
    "PUT",
    f"{PROGRAM}/sessions/<int:n>/attendance",
    body=AttendanceIn,
    response=AttendanceOut,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def set_attendance(program_id: UUID, n: int, body: AttendanceIn):
    """Record who came to session ``n`` (the whole list: those left out were absent)."""
    return act("set_attendance", str(program_id), n, [str(application_id) for application_id in body.present])
