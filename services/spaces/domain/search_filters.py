"""The filters of ``search``, checked before any query runs: a bad filter is ``Invalid`` naming it."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from chassis.inputs import RANGE_MESSAGE, in_range
from services.spaces.domain.catalogues import catalogues
from services.spaces.domain.errors import Problems

MAX_Q = 200
MAX_RADIUS_M = 50_000
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
MAX_IDS = 1_000
SORTS = ("relevance", "name", "distance", "capacity")
CODE_FILTERS = {"districts": "districts", "types": "space_types", "amenities": "amenities"}
KEYS = {"q", *CODE_FILTERS, "min_capacity", "open_at", "lat", "lng", "radius_m", "ids", "sort", "page", "page_size"}


@dataclass(frozen=True)
class SearchFilters:
    q: str | None = None
    districts: tuple = ()
    types: tuple = ()
    amenities: tuple = ()
    min_capacity: int | None = None
    open_at: datetime | None = None
    lat: float | None = None
    lng: float | None = None
    radius_m: float | None = None
    ids: tuple | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    @property
    def circle(self) -> tuple[float, float, float] | None:
        """``(lat, lng, radius_m)`` of a search near a point (the three come together, or none)."""
        if self.lat is None or self.lng is None or self.radius_m is None:
            return None
        return self.lat, self.lng, self.radius_m

    @property
    def near(self) -> bool:
        return self.circle is not None


def search_filters(raw) -> SearchFilters:
    problems = Problems()
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.add("filters", "must be an object")
        problems.raise_if_any()
    raw = {key: value for key, value in raw.items() if value is not None}
    for key in sorted(set(raw) - KEYS):
        problems.add(key, f"unknown filter; known: {', '.join(sorted(KEYS))}")
    values = {
        "q": _q(raw.get("q"), problems),
        **{key: _codes(raw.get(key), kind, problems, key) for key, kind in CODE_FILTERS.items()},
        "min_capacity": _integer(raw.get("min_capacity"), 1, 10_000, problems, "min_capacity"),
        "open_at": _instant(raw.get("open_at"), problems),
        "ids": _ids(raw.get("ids"), problems),
        "page": _integer(raw.get("page", 1), 1, MAX_PAGE, problems, "page"),
        "page_size": _integer(raw.get("page_size", 20), 1, MAX_PAGE_SIZE, problems, "page_size"),
        **_place(raw, problems),
    }
    values["sort"] = _sort(raw.get("sort", "relevance"), values["lat"] is not None, "lat" in raw, problems)
    problems.raise_if_any()
    return SearchFilters(**values)


def _q(value, problems):
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_Q:
        problems.add("q", f"must be text of at most {MAX_Q} characters")
        return None
    return value.strip().lower() or None


def _codes(value, kind, problems, field):
    if value is None:
        return ()
    valid = catalogues().codes[kind]
    if not isinstance(value, list) or len(value) > len(valid):
        problems.add(field, f"must be a list of codes: {', '.join(valid)}")
        return ()
    unknown = [code for code in value if not catalogues().knows(kind, code)]
    if unknown:
        problems.add(field, f"unknown codes {', '.join(map(str, unknown))}; valid codes: {', '.join(valid)}")
        return ()
    return tuple(dict.fromkeys(value))


def _integer(value, low, high, problems, field):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(field, f"must be an integer from {low} to {high}")
        return low
    return value


def _number(value, low, high, problems, field):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        problems.add(field, f"must be a number from {low} to {high}")
        return None
    return float(value)


def _instant(value, problems):
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems.add("open_at", "must be an ISO 8601 instant with an offset, e.g. 2026-05-04T19:00:00+09:00")
        return None
    if not in_range(parsed):
        problems.add("open_at", RANGE_MESSAGE)
        return None
    return parsed


def _ids(value, problems):
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_IDS:
        problems.add("ids", f"must be a list of at most {MAX_IDS} space ids")
        return None
    try:
        return tuple(str(uuid.UUID(str(item))) for item in value)
    except ValueError:
        problems.add("ids", "must be a list of UUIDs")
        return None


def _place(raw, problems) -> dict:
    """``lat``, ``lng`` and ``radius_m`` come together or not at all."""
    given = [key for key in ("lat", "lng", "radius_m") if key in raw]
    if not given:
        return {"lat": None, "lng": None, "radius_m": None}
    for key in ("lat", "lng", "radius_m"):
        if key not in raw:
            problems.add(key, f"is required with {' and '.join(given)} (lat, lng and radius_m go together)")
    place = {
        "lat": _number(raw["lat"], -90, 90, problems, "lat") if "lat" in raw else None,
        "lng": _number(raw["lng"], -180, 180, problems, "lng") if "lng" in raw else None,
        "radius_m": _number(raw["radius_m"], 1, MAX_RADIUS_M, problems, "radius_m") if "radius_m" in raw else None,
    }
    return place if len(given) == 3 else {"lat": None, "lng": None, "radius_m": None}


def _sort(value, near: bool, lat_given: bool, problems):
    if value not in SORTS:
        problems.add("sort", f"must be one of {', '.join(SORTS)}")
        return "relevance"
    if value == "distance" and not near and not lat_given:
        problems.add("sort", "distance needs lat, lng and radius_m")
    return value
