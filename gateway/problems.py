"""Every error the gateway answers is an RFC 9457 ``application/problem+json`` document.

Exceptions are mapped to HTTP once, in ``PROBLEMS``; a subclass maps like its
parent. A database or a service that is down is a 503 with ``Retry-After``. A
domain error's ``detail`` and ``extra`` (for example the ``errors`` list of an
``Invalid``) go into the document. Anything unmapped is a bug: it is logged with
its traceback and answered as a 500 that says nothing about it.
"""

import json
import logging
import math

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from chassis.db import DATABASE_OUTAGES
from chassis.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, RuleBroken, Unavailable
from gateway.rpc import ServiceTimeout, ServiceUnavailable

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class Unauthenticated(Exception):
    """No valid access token, or wrong credentials: 401 with ``WWW-Authenticate: Bearer``."""

    def __init__(self, detail: str = "A valid access token is required."):
        super().__init__(detail)
        self.detail = detail


# exception class -> (status, code, title)
PROBLEMS: dict[type[BaseException], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    Conflict: (409, "conflict", "Conflict"),
    Invalid: (422, "invalid", "Invalid input"),
    Forbidden: (403, "forbidden", "Forbidden"),
    RuleBroken: (422, "rule-broken", "A rule refuses the request"),
    Unavailable: (503, "service-unavailable", "Service unavailable"),
    Unauthenticated: (401, "unauthenticated", "Not signed in"),
    ServiceUnavailable: (503, "service-unavailable", "Service unavailable"),
    ServiceTimeout: (504, "service-timeout", "Service did not answer in time"),
    **dict.fromkeys(DATABASE_OUTAGES, (503, "database-unavailable", "Database unavailable")),
}
RESERVED = {"type", "title", "status", "detail"}


def problem(
    status: int, code: str, title: str, detail: str, extra: dict | None = None, headers: dict | None = None
) -> Response:
    """A problem document; ``extra`` members are added but never replace the four standard ones."""
    body = {"type": f"/problems/{code}", "title": title, "status": status, "detail": detail}
    body.update({key: value for key, value in (extra or {}).items() if key not in RESERVED})
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    response.headers.update(headers or {})
    if status in (429, 503, 504) and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _lookup(exc: BaseException) -> tuple[int, str, str] | None:
    for cls in type(exc).__mro__:
        if cls in PROBLEMS:
            return PROBLEMS[cls]
    return None


def to_problem(exc: BaseException) -> Response:
    """Turn any exception into its problem response."""
    if isinstance(exc, HTTPException):
        return _http_problem(exc)
    mapped = _lookup(exc)
    if mapped is None:
        log.error("unhandled error", exc_info=exc)
        return problem(500, "internal", "Internal server error", "Something went wrong on our side.")
    status, code, title = mapped
    if isinstance(exc, DomainError):
        return problem(status, code, title, exc.detail, exc.extra, _retry_after(exc))
    if isinstance(exc, Unauthenticated):
        return problem(status, code, title, exc.detail, headers={"WWW-Authenticate": "Bearer"})
    if isinstance(exc, DATABASE_OUTAGES):
        log.warning("the database is unavailable: %s", str(exc).splitlines()[0])
        return problem(status, code, title, "The database is unavailable; please try again shortly.")
    if isinstance(exc, (ServiceUnavailable, ServiceTimeout)):
        verb = "is unavailable" if status == 503 else "did not answer in time"
        detail = f"The {exc.service} service {verb}; please try again shortly."
        return problem(status, code, title, detail, {"service": exc.service})
    return problem(status, code, title, title)


def _retry_after(exc: DomainError) -> dict | None:
    """A ``Conflict`` (an idempotent request in flight) or ``Unavailable`` whose ``extra`` says
    when to retry gets ``Retry-After``."""
    seconds = exc.extra.get("retry_after") if isinstance(exc, (Conflict, Unavailable)) else None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        return None
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


def _http_problem(exc: HTTPException) -> Response:
    """werkzeug's own errors (404 route, 405, 413, 400, 429) keep their status and headers."""
    status = exc.code or 500
    if status >= 500:
        log.error("HTTP %s", status, exc_info=exc)
        return problem(status, "internal", "Internal server error", "Something went wrong on our side.")
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    code = (exc.name or "error").lower().replace(" ", "-")
    return problem(status, code, exc.name, exc.description or exc.name, headers=headers)


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, to_problem)
