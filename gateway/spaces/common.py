"""The spaces blueprint, the RPC helper and the gateway's cache of the catalogues."""

import threading
import time

from flask import Blueprint, current_app

from gateway.auth import current_actor
from gateway.rpc import ServiceTimeout, ServiceUnavailable

SERVICE = "spaces"
CATALOGUE_TTL_SECONDS = 60.0
CATALOGUE_RETRY_SECONDS = 5.0  # after a failed refresh, keep serving the stale copy this long
READ_ERRORS = [404, 503, 504]
RPC_ERRORS = [404, 409, 503, 504]  # 409: the status does not allow the action

spaces_bp = Blueprint("spaces", __name__)


def call(method: str, *args, **kwargs):
    """Call ``spaces.<method>``; domain errors and outages become problems in ``gateway.problems``."""
    return current_app.extensions["rpc"].call(SERVICE, method, *args, **kwargs)


def act(method: str, *args, **kwargs):
    """Call ``spaces.<method>`` on behalf of the signed-in user (the actor goes first)."""
    return call(method, current_actor(), *args, **kwargs)


class CatalogueCache:
    """The service's ``catalogues()`` answer, kept for ``ttl`` seconds (they change only with a deploy).

    One refresh at a time: concurrent requests wait for it instead of each calling the
    service. If a refresh fails while an older copy exists, the older copy is served and
    the next refresh is tried ``retry`` seconds later; with no copy at all the error goes up.
    """

    def __init__(
        self, ttl: float = CATALOGUE_TTL_SECONDS, retry: float = CATALOGUE_RETRY_SECONDS, clock=time.monotonic
    ):
        self.ttl, self.retry, self.clock = ttl, retry, clock
        self._lock = threading.Lock()
        self._value: dict | None = None
        self._expires = 0.0

    def get(self, fetch) -> dict:
        with self._lock:
            now = self.clock()
            if self._value is not None and now < self._expires:
                return self._value
            try:
                value = fetch()
            except (ServiceUnavailable, ServiceTimeout):
                if self._value is None:
                    raise
                self._expires = now + self.retry
                return self._value
            self._value, self._expires = value, now + self.ttl
            return value

    def clear(self) -> None:
        with self._lock:
            self._value, self._expires = None, 0.0


def catalogues() -> dict:
    """``{"districts": [...], "space_types": [...], "amenities": [...]}``, from the cache when fresh."""
    cache = current_app.extensions.setdefault("spaces_catalogues", CatalogueCache())
    return cache.get(lambda: call("catalogues"))


def codes(kind: str) -> list[str]:
    """The valid codes of one catalogue (``districts``, ``space_types`` or ``amenities``)."""
    return [entry["code"] for entry in catalogues().get(kind, [])]
