"""Calling another service from inside a nameko service, with a timeout of our own.

nameko's in-service RPC proxy waits for an answer for ever; a service that is down, or a
request lost with a broker, would hold the worker (and its caller) as long. A domain error
of the other service passes through as it came; anything else (no answer in time, the
broker away) is logged and becomes the caller's own exception.
"""

import logging
from collections.abc import Callable

import eventlet

from chassis.errors import DOMAIN_ERRORS

log = logging.getLogger(__name__)


def call_in_time(method, *args, timeout: float, failure: Callable[[], Exception]):
    """``method(*args)`` (a nameko ``RpcProxy`` method) answered within ``timeout`` seconds, or ``failure()`` raised."""
    try:
        with eventlet.Timeout(timeout):
            return method.call_async(*args).result()
    except DOMAIN_ERRORS:
        raise
    except (eventlet.Timeout, Exception) as error:
        log.warning("%s%r failed: %r", getattr(method, "identifier", method), args, error)
        raise failure() from None
