"""Reservations through HTTP: citizens' bookings, operators' inbox and policies, public availability.

Every route is a thin shell over the ``reservations`` service's RPC
(``services/reservations/README.md``): validate the request with a pydantic model, pass the
caller as the first argument when acting for someone, copy the answer through an output model.

- ``common``     the blueprint, the RPC helpers and the ``Idempotency-Key`` check
- ``models``     request and response models
- ``citizen``    ``/api/v1/reservations…`` and ``/api/v1/me/reservations…``
- ``admin``      ``/api/v1/admin/reservations…``, booking policies and the platform capacity cap
- ``public``     ``GET /api/v1/spaces/{id}/availability``

``GET /api/v1/spaces`` (``available_from``/``available_to``) and ``GET /api/v1/spaces/{id}``
(``booking_policy``) stay in ``gateway.spaces.public`` and use ``common.free_space_ids`` and
``common.booking_policy``.
"""

from gateway.reservations import admin, citizen, public  # noqa: F401  (registers the routes)
from gateway.reservations.common import reservations_bp

__all__ = ["reservations_bp"]
