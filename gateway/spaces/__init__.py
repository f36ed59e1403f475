"""Spaces through HTTP: the catalogues, public search and detail, operators' and administrators' routes.

Every route is a thin shell over the ``spaces`` service's RPC (``services/spaces/README.md``):
validate the request with a pydantic model, pass the caller as the first argument when acting
for someone, copy the answer through an output model (an allow-list).

- ``common``     the blueprint, the RPC helper and the catalogue cache
- ``models``     request and response models
- ``public``     catalogues, ``GET /api/v1/spaces`` and ``GET /api/v1/spaces/{id}``
- ``admin``      ``/api/v1/admin/spaces…`` for operators and city administrators
"""

from gateway.spaces import admin, public  # noqa: F401  (registers the routes)
from gateway.spaces.common import spaces_bp

__all__ = ["spaces_bp"]
