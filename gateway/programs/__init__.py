"""Programs through HTTP: the public catalogue, citizens' applications, operators' programs.

Every route is a thin shell over the ``programs`` service's RPC
(``services/programs/README.md``): validate the request with a pydantic model, pass the
caller as the first argument when acting for someone, copy the answer through an output
model. The one thing added here is what only the gateway knows: applicants' contact details.

- ``common``     the blueprint, the RPC helpers, the ``Idempotency-Key`` check, the contacts
- ``models``     request and response models
- ``public``     ``GET /api/v1/programs…``
- ``citizen``    applying, ``/api/v1/me/applications``, ``/api/v1/applications/{id}…``
- ``admin``      ``/api/v1/admin/programs…`` and ``/api/v1/admin/applications/{id}…``
- ``export``     ``GET /api/v1/admin/programs/{id}/applications.csv``
"""

from gateway.programs import admin, citizen, export, public  # noqa: F401  (registers the routes)
from gateway.programs.common import programs_bp

__all__ = ["programs_bp"]
