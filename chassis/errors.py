"""Typed domain errors that survive the RPC boundary.

A service raises one of these; nameko serialises it with its args, and because
each class is registered with ``deserialize_to_instance`` the gateway's RPC proxy
raises the same class again. The gateway maps each class to an HTTP problem in
one table (``gateway/problems.py``).

Every error takes a human ``detail`` and optional structured ``extra`` (a dict of
JSON-safe values, for example ``{"errors": [{"field": ..., "message": ...}]}``).
``extra`` travels as a JSON string because nameko turns every non-string value
inside exception args into its ``str()``.
"""

import json

from nameko.exceptions import deserialize_to_instance


class DomainError(Exception):
    code = "error"

    def __init__(self, detail: str, extra: dict | str | None = None):
        if isinstance(extra, str):  # arriving from the other side of an RPC
            extra = json.loads(extra)
        super().__init__(detail, json.dumps(extra or {}, default=str))

    @property
    def detail(self) -> str:
        return self.args[0]

    @property
    def extra(self) -> dict:
        return json.loads(self.args[1])


@deserialize_to_instance
class NotFound(DomainError):
    """No such object, or it is not the caller's to see."""

    code = "not_found"


@deserialize_to_instance
class Conflict(DomainError):
    """The object's state does not allow the action, or the slot is taken."""

    code = "conflict"


@deserialize_to_instance
class Invalid(DomainError):
    """Input that fails validation; ``extra["errors"]`` lists ``{field, message}``."""

    code = "invalid"

    @classmethod
    def field(cls, field: str, message: str) -> "Invalid":
        return cls(f"{field}: {message}", {"errors": [{"field": field, "message": message}]})


@deserialize_to_instance
class Forbidden(DomainError):
    """Signed in, but the caller's role may not do this."""

    code = "forbidden"


@deserialize_to_instance
class RuleBroken(DomainError):
    """A business rule refuses the request; ``extra`` names the rule and allowed values."""

    code = "rule_broken"


@deserialize_to_instance
class Unavailable(DomainError):
    """Another service this one needs did not answer; ``extra`` names it and may say ``retry_after``."""

    code = "unavailable"


DOMAIN_ERRORS = (NotFound, Conflict, Invalid, Forbidden, RuleBroken, Unavailable)
