"""Public route: a published space's open and busy time (nothing personal)."""

from uuid import UUID

from gateway.api import endpoint
from gateway.reservations.common import READ_ERRORS, call, reservations_bp
from gateway.reservations.models import AvailabilityOut, AvailabilityQuery


@endpoint(
    reservations_bp,
    "GET",
    "/api/v1/spaces/<uuid:space_id>/availability",
    query=AvailabilityQuery,
    response=AvailabilityOut,
    tags=["spaces", "reservations"],
    errors=READ_ERRORS,
)
def space_availability(space_id: UUID, query: AvailabilityQuery):
    """Open hours (minus closures) and busy periods of a published space over at most 62 days."""
    return call("availability", str(space_id), query.from_.isoformat(), query.to.isoformat())
