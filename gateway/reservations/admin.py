"""Operators' and city administrators' routes: the inbox, decisions, booking policies, the capacity cap.

Operators act on the spaces they run (another's reservation or space is a 404, as the
service answers); administrators on every space. The platform-wide cap is for
administrators only.
"""

from uuid import UUID

from gateway.api import ReasonIn, endpoint
from gateway.auth import current_actor
from gateway.reservations.common import READ_ERRORS, RPC_ERRORS, act, call, reservations_bp
from gateway.reservations.models import (
    BookingPolicyIn,
    BookingPolicyOut,
    CapacityLimitIn,
    CapacityLimitOut,
    InboxPage,
    InboxQuery,
    ReservationAdmin,
)

OPERATORS = ("operator", "admin")
ADMINS = ("admin",)
TAGS = ["admin", "reservations"]
RESERVATION = "/api/v1/admin/reservations/<uuid:reservation_id>"
POLICY = "/api/v1/admin/spaces/<uuid:space_id>/booking-policy"


@endpoint(
    reservations_bp,
    "GET",
    "/api/v1/admin/reservations",
    query=InboxQuery,
    response=InboxPage,
    roles=OPERATORS,
    tags=TAGS,
    errors=[503, 504],
)
def reservation_inbox(query: InboxQuery):
    """The reservations of the caller's spaces (an administrator's: all), soonest first, with counts by status.

    ``status`` is ``pending`` unless given; ``all`` lists every status.
    """
    filters = query.model_dump(mode="json", by_alias=True, exclude_none=True)
    if filters["status"] == "all":
        filters["status"] = None
    return act("inbox", filters)


@endpoint(
    reservations_bp,
    "POST",
    f"{RESERVATION}/approve",
    response=ReservationAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def approve_reservation(reservation_id: UUID):
    """Approve a pending reservation."""
    return act("approve", str(reservation_id))


@endpoint(
    reservations_bp,
    "POST",
    f"{RESERVATION}/reject",
    body=ReasonIn,
    response=ReservationAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def reject_reservation(reservation_id: UUID, body: ReasonIn):
    """Reject a pending reservation, with a reason."""
    return act("reject", str(reservation_id), body.reason)


@endpoint(
    reservations_bp,
    "POST",
    f"{RESERVATION}/cancel",
    body=ReasonIn,
    response=ReservationAdmin,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def cancel_reservation_as_operator(reservation_id: UUID, body: ReasonIn):
    """Cancel a pending or approved reservation, with a reason."""
    return act("cancel", str(reservation_id), body.reason)


@endpoint(
    reservations_bp, "GET", POLICY, response=BookingPolicyOut, roles=OPERATORS, tags=TAGS, errors=READ_ERRORS + [409]
)
def get_booking_policy(space_id: UUID):
    """A space's booking policy, with its capacity, the platform cap and the capacity they leave."""
    # the one method whose actor comes last (it is optional there: the public page reads without one)
    return call("get_policy", str(space_id), actor=current_actor())


@endpoint(
    reservations_bp,
    "PUT",
    POLICY,
    body=BookingPolicyIn,
    response=BookingPolicyOut,
    roles=OPERATORS,
    tags=TAGS,
    errors=RPC_ERRORS,
)
def set_booking_policy(space_id: UUID, body: BookingPolicyIn):
    """Replace a space's booking policy; fields left out take the defaults."""
    return act("set_policy", str(space_id), body.model_dump(mode="json", exclude_unset=True))


@endpoint(
    reservations_bp,
    "PUT",
    "/api/v1/admin/capacity-limit",
    body=CapacityLimitIn,
    response=CapacityLimitOut,
    roles=ADMINS,
    tags=TAGS,
    errors=[503, 504],
)
def set_capacity_limit(body: CapacityLimitIn):
    """Cap every space's capacity at a percentage (as during COVID-19); 100 lifts the cap."""
    return act("set_platform_capacity", body.percent, body.reason)
