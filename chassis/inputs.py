"""What no component takes in: text PostgreSQL cannot store, deep nesting, instants out of range.

PostgreSQL's ``text`` cannot hold NUL, and psycopg cannot encode a lone UTF-16 surrogate
(JSON's ``"\\ud800"`` decodes to one in Python): either reaches the database as a crash,
not a refusal. The gateway checks every body and query with ``unstorable`` before its
models; every service checks its RPC arguments the same way (``chassis.rpc``), so what
slips past the gateway is still an ``Invalid``.

Instants are taken between ``EARLIEST`` and ``LATEST``: wide enough for any booking and
any history a filter may ask about, narrow enough that shifting one by an offset, a
horizon or a time zone never leaves what Python and PostgreSQL represent (year 1 at
+14:00 does).
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from chassis.errors import Invalid

MAX_DEPTH = 32  # nesting of arrays and objects in one input; the deepest model needs 4
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
TEXT_MESSAGE = "must not contain NUL or unpaired surrogate characters"
DEPTH_MESSAGE = f"is nested more than {MAX_DEPTH} levels deep"
RANGE_MESSAGE = "must be between 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z"


def unstorable(value, field: str = "") -> Iterator[dict]:
    """``{field, message}`` for each string (or key) in ``value`` that cannot be stored, and for
    nesting deeper than ``MAX_DEPTH``; fields are named as ``gateway.api.field_name`` names them."""
    stack = [(value, field, 0)]
    while stack:
        item, name, depth = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                yield {"field": name or "body", "message": TEXT_MESSAGE}
            continue
        if isinstance(item, (dict, list, tuple)) and depth >= MAX_DEPTH:
            yield {"field": name or "body", "message": DEPTH_MESSAGE}
            continue
        if isinstance(item, dict):
            for key, child in item.items():
                child_name = f"{name}.{key}" if name else str(key)
                if isinstance(key, str) and UNSTORABLE.search(key):
                    yield {"field": name or "body", "message": f"has a key that {TEXT_MESSAGE}"}
                    continue
                stack.append((child, child_name, depth + 1))
        elif isinstance(item, (list, tuple)):
            stack.extend((child, f"{name}[{i}]", depth + 1) for i, child in enumerate(item))


def refuse(errors: list[dict]) -> None:
    """Raise one ``Invalid`` naming every field in ``errors``, if there are any."""
    if errors:
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise Invalid(f"Invalid input: {fields}", {"errors": errors})


def check_rpc_arguments(args, kwargs) -> None:
    """A service's RPC arguments: a dict argument's fields are named by their keys."""
    errors: list[dict] = []
    for i, arg in enumerate(args):
        errors += unstorable(arg, "" if isinstance(arg, dict) else f"argument {i + 1}")
    refuse(errors + list(unstorable(kwargs)))


def in_range(instant: datetime) -> bool:
    """Whether an aware instant lies in ``[EARLIEST, LATEST]`` (compared without conversion overflow)."""
    return EARLIEST <= instant <= LATEST
