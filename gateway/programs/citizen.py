"""Citizens' routes: apply to a program, read and list one's applications, withdraw.

Any signed-in role may use them (an operator applies like anyone); ``GET
/api/v1/applications/{id}`` is also how a program's operators read one application, as the
service allows them.
"""

from uuid import UUID

from gateway.api import ANYONE, endpoint
from gateway.programs.common import READ_ERRORS, RPC_ERRORS, act, programs_bp
from gateway.programs.models import ApplicationOut, ApplicationPage, ApplyIn, MyApplicationsQuery
from gateway.reservations.common import IDEMPOTENCY_HEADER, IDEMPOTENT_ENDPOINTS, idempotency_key

TAGS = ["programs"]
APPLICATION = "/api/v1/applications/<uuid:application_id>"


@endpoint(
    programs_bp,
    "POST",
    "/api/v1/programs/<uuid:program_id>/applications",
    body=ApplyIn,
    response=ApplicationOut,
    status=201,
    roles=ANYONE,
    tags=TAGS,
    errors=[400, 404, 409, 503, 504],
    headers=[IDEMPOTENCY_HEADER],
)
def apply_to_program(program_id: UUID, body: ApplyIn):
    """Apply to a program (header Idempotency-Key required; a repeat replays the first answer).

    ``status`` is ``accepted`` or ``waitlisted`` (first come, first served) or ``pending``
    (reviewed, or drawn by lot). A 409 with ``Retry-After`` means the same key is still
    being processed; without it, the program does not take this application.
    """
    return act("apply", str(program_id), body.model_dump(mode="json", exclude_none=True), idempotency_key())


IDEMPOTENT_ENDPOINTS.add(f"{programs_bp.name}.{apply_to_program.__name__}")


@endpoint(
    programs_bp,
    "GET",
    "/api/v1/me/applications",
    query=MyApplicationsQuery,
    response=ApplicationPage,
    roles=ANYONE,
    tags=TAGS,
    errors=[503, 504],
)
def list_my_applications(query: MyApplicationsQuery):
    """The caller's applications, filtered by status."""
    return act("list_for_citizen", query.model_dump(mode="json", exclude_none=True))


@endpoint(programs_bp, "GET", APPLICATION, response=ApplicationOut, roles=ANYONE, tags=TAGS, errors=READ_ERRORS)
def get_application(application_id: UUID):
    """An application, for the citizen who made it and the program's operators."""
    return act("get_application", str(application_id))


@endpoint(
    programs_bp,
    "POST",
    f"{APPLICATION}/withdraw",
    response=ApplicationOut,
    roles=ANYONE,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def withdraw_application(application_id: UUID):
    """Withdraw one's own application; the first on the waiting list may take the place."""
    return act("withdraw", str(application_id))
