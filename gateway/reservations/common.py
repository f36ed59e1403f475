"""The reservations blueprint, the RPC helpers, and what the spaces routes borrow from here."""

import logging

from flask import Blueprint, current_app, request
from pydantic import ValidationError

from chassis.errors import Conflict, NotFound, Unavailable
from gateway.auth import current_actor, require_user
from gateway.problems import problem
from gateway.rpc import Call, ServiceTimeout, ServiceUnavailable

log = logging.getLogger(__name__)

SERVICE = "reservations"
READ_ERRORS = [404, 503, 504]
RPC_ERRORS = [404, 409, 503, 504]  # 409: the status does not allow the action, or the slot is taken
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 200
POLICY_TIMEOUT_SECONDS = 2.0  # the space detail does not wait longer than this for its booking policy

reservations_bp = Blueprint("reservations", __name__)


def call(method: str, *args, **kwargs):
    """Call ``reservations.<method>``; domain errors and outages become problems in ``gateway.problems``."""
    return current_app.extensions["rpc"].call(SERVICE, method, *args, **kwargs)


def act(method: str, *args, **kwargs):
    """Call ``reservations.<method>`` on behalf of the signed-in user (the actor goes first)."""
    return call(method, current_actor(), *args, **kwargs)


def idempotency_key_problem():
    """``None`` if the request carries a usable ``Idempotency-Key``, else the 400 problem naming the header."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key:
        message = "is required"
    elif len(key) > IDEMPOTENCY_KEY_MAX:
        message = f"must be at most {IDEMPOTENCY_KEY_MAX} characters"
    else:
        return None
    return problem(
        400,
        "missing-header",
        "Bad request",
        f"The {IDEMPOTENCY_HEADER} header {message}.",
        {"errors": [{"field": IDEMPOTENCY_HEADER, "message": message}]},
    )


def idempotency_key() -> str:
    return request.headers[IDEMPOTENCY_HEADER].strip()


IDEMPOTENT_ENDPOINTS: set[str] = set()  # filled by the modules that register such routes, of any blueprint


def check_idempotency_keys(blueprint: Blueprint) -> None:
    """Check the ``Idempotency-Key`` of ``blueprint``'s routes in ``IDEMPOTENT_ENDPOINTS``, before the
    body is parsed: 401/403 first (as every route), then the header (400), then the body."""

    @blueprint.before_request
    def _check_idempotency_key():
        if request.endpoint in IDEMPOTENT_ENDPOINTS:
            require_user()
            return idempotency_key_problem()
        return None


check_idempotency_keys(reservations_bp)


# --- used by gateway.spaces.public ---------------------------------------------------


def free_space_ids(start: str, end: str) -> list[str]:
    """The published spaces open and unheld for all of ``[start, end)`` (``free_spaces``)."""
    return list(call("free_spaces", start, end)["free"])


def policy_call(space_id: str) -> Call:
    """The call whose answer ``booking_policy`` reads, for the space's page to make with its others."""
    return Call(SERVICE, "get_policy", (space_id,), timeout=POLICY_TIMEOUT_SECONDS)


def booking_policy(space_id: str, answer) -> dict | None:
    """The space's booking policy for its public page from ``policy_call``'s answer (or the
    exception it ended in), or ``None`` when it cannot be had.

    The space itself comes from the spaces service; a reservations service that is down,
    slow, or does not know the space must not take the page down with it.
    """
    from gateway.reservations.models import BookingPolicyOut

    if isinstance(answer, (ServiceUnavailable, ServiceTimeout, NotFound, Conflict, Unavailable)):
        log.info("no booking policy for space %s: %r", space_id, answer)
        return None
    if isinstance(answer, Exception):
        raise answer
    try:
        return BookingPolicyOut.model_validate(answer).model_dump(mode="json")
    except ValidationError:
        log.warning("reservations.get_policy(%s) answered something that is not a policy", space_id)
        return None
