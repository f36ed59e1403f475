"""Citizens' routes: request, read, list and cancel reservations; the calendar feed.

Any signed-in role may use them (an operator books like anyone); ``GET
/api/v1/reservations/{id}`` is also how operators and administrators read one reservation,
as the service allows them.
"""

from uuid import UUID

from flask import Response

from gateway.api import ANYONE, endpoint
from gateway.reservations.common import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENT_ENDPOINTS,
    READ_ERRORS,
    RPC_ERRORS,
    act,
    idempotency_key,
    reservations_bp,
)
from gateway.reservations.models import CancelIn, MyReservationsQuery, ReservationIn, ReservationOut, ReservationPage

TAGS = ["reservations"]
RESERVATION = "/api/v1/reservations/<uuid:reservation_id>"


@endpoint(
    reservations_bp,
    "POST",
    "/api/v1/reservations",
    body=ReservationIn,
    response=ReservationOut,
    status=201,
    roles=ANYONE,
    tags=TAGS,
    errors=[400, 404, 409, 503, 504],
    headers=[IDEMPOTENCY_HEADER],
)
def create_reservation(body: ReservationIn):
    """Request a space for a period (header Idempotency-Key required; a repeat replays the first answer).

    ``status`` is ``pending``, or ``approved`` when the space books automatically. A 409 with
    ``Retry-After`` means the same key is still being processed, or a lock was busy.
    """
    return act("request", body.model_dump(mode="json", exclude_none=True), idempotency_key())


IDEMPOTENT_ENDPOINTS.add(f"{reservations_bp.name}.{create_reservation.__name__}")


@endpoint(
    reservations_bp,
    "GET",
    "/api/v1/me/reservations",
    query=MyReservationsQuery,
    response=ReservationPage,
    roles=ANYONE,
    tags=TAGS,
    errors=[503, 504],
)
def list_my_reservations(query: MyReservationsQuery):
    """The caller's reservations; filter by status, period (overlap) and upcoming or past."""
    return act("list_for_citizen", query.model_dump(mode="json", by_alias=True, exclude_none=True))


@endpoint(reservations_bp, "GET", "/api/v1/me/reservations.ics", roles=ANYONE, tags=TAGS, errors=[503, 504])
def my_calendar():
    """The caller's approved reservations as an iCalendar feed (text/calendar)."""
    body = act("calendar")
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return Response(body, status=200, content_type="text/calendar; charset=utf-8")


@endpoint(reservations_bp, "GET", RESERVATION, response=ReservationOut, roles=ANYONE, tags=TAGS, errors=READ_ERRORS)
def get_reservation(reservation_id: UUID):
    """A reservation, for the citizen who made it, the space's operators and administrators."""
    return act("get", str(reservation_id))


@endpoint(
    reservations_bp,
    "POST",
    f"{RESERVATION}/cancel",
    body=CancelIn,
    response=ReservationOut,
    roles=ANYONE,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def cancel_reservation(reservation_id: UUID, body: CancelIn):
    """Cancel one's own reservation (an approved one only before the space's cancellation deadline)."""
    return act("cancel", str(reservation_id), body.reason)
