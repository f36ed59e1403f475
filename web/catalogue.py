"""Districts, space types and amenities: read from the gateway, kept for a few minutes.

They change when the city adds a district or a type, not per request; a page that
names twenty spaces' districts asks for them once.
"""

import threading
import time

from flask import current_app

from web.account import api
from web.i18n import local

KINDS = {"districts": "/api/v1/districts", "types": "/api/v1/space-types", "amenities": "/api/v1/amenities"}

_lock = threading.Lock()
_kept: dict[str, tuple[float, list[dict]]] = {}


def items(kind: str) -> list[dict]:
    """``[{code, name_ko, name_en}]`` in the gateway's order."""
    now = time.monotonic()
    with _lock:
        kept = _kept.get(kind)
    if kept and now - kept[0] < current_app.extensions["settings"].catalogue_seconds:
        return kept[1]
    answer = api("GET", KINDS[kind])
    with _lock:
        _kept[kind] = (now, answer)
    return answer


def label(kind: str, code: str | None) -> str:
    """The name of ``code`` in the page's language (the code itself if the catalogue lacks it)."""
    for item in items(kind):
        if item["code"] == code:
            return local(item, "name")
    return code or ""
