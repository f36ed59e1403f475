"""The space's input, copied through an allow-list and checked field by field.

``clean_space(data)`` checks what ``register`` takes (every required field present);
``clean_space(changes, partial=True)`` checks what ``update`` takes (any subset). Both
answer normalised values or raise one ``Invalid`` listing every problem by field.
"""

import functools
import math
import re
from zoneinfo import available_timezones

from services.spaces.domain.catalogues import catalogues
from services.spaces.domain.errors import Problems
from services.spaces.domain.schedule import clean_closures, clean_opening_hours

DEFAULT_TIMEZONE = "Asia/Seoul"
MAX_PHOTOS = 20
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{4,22}[0-9]$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
CURRENCY = re.compile(r"^[A-Z]{3}$")

# field: (min length, max length, required)
TEXTS = {
    "name_ko": (1, 200, True),
    "name_en": (1, 200, True),
    "description_ko": (0, 5000, False),
    "description_en": (0, 5000, False),
    "address_ko": (1, 300, True),
    "address_en": (1, 300, True),
}
REQUIRED = [*(f for f, (_, _, required) in TEXTS.items() if required), "types", "district", "lat", "lng", "capacity"]
DEFAULTS: dict[str, object] = {
    "description_ko": "",
    "description_en": "",
    "floor_area_m2": None,
    "amenities": [],
    "opening_hours": [],
    "closures": [],
    "timezone": DEFAULT_TIMEZONE,
    "photos": [],
    "phone": None,
    "email": None,
    "fee_per_hour": 0,
    "currency": "KRW",
}
READ_ONLY = {"id", "status", "status_reason", "operators", "created_at", "updated_at", "submitted_at", "published_at"}


def clean_space(data, partial: bool = False, prefix: str = "") -> dict:
    problems = Problems(prefix)
    if not isinstance(data, dict):
        problems.add("data" if not prefix else "", "must be an object")
        problems.raise_if_any()
    data = _fold_primary_type(dict(data), problems)
    for name in sorted(set(data) - set(CLEANERS)):
        problems.add(name, "may not be set" if name in READ_ONLY else "unknown field")
    if not partial:
        for name in REQUIRED:
            if data.get(name) is None:
                problems.add(name, "is required")
    cleaned = {}
    for name, value in data.items():
        if name not in CLEANERS:
            continue
        if value is None and name in REQUIRED:
            if partial:
                problems.add(name, "is required and may not be null")
            continue
        cleaned[name] = CLEANERS[name](value, problems, name)
    problems.raise_if_any()
    return cleaned if partial else {**DEFAULTS, **cleaned}


def _fold_primary_type(data: dict, problems: Problems) -> dict:
    """``type`` (the primary type) is accepted when it agrees with ``types``, or stands for it."""
    if "type" not in data:
        return data
    primary = data.pop("type")
    if data.get("types") is None:
        data["types"] = [primary]
    elif not isinstance(data["types"], list) or data["types"][:1] != [primary]:
        problems.add("type", "must be the first of types (the primary type)")
    return data


def _text(value, problems, field):
    low, high, _ = TEXTS[field]
    if value is None and low == 0:
        return ""
    if not isinstance(value, str) or not low <= len(value.strip()) <= high:
        problems.add(field, f"must be text of {low} to {high} characters")
        return None
    return value.strip()


def _codes(kind, minimum):
    def clean(value, problems, field):
        valid = catalogues().codes[kind]
        if not isinstance(value, list) or len(value) < minimum or len(value) > len(valid):
            problems.add(
                field, f"must be a list of {'at least one' if minimum else ''} known codes: {', '.join(valid)}"
            )
            return None
        unknown = [code for code in value if not catalogues().knows(kind, code)]
        if unknown:
            problems.add(field, f"unknown codes {', '.join(map(str, unknown))}; valid codes: {', '.join(valid)}")
            return None
        return list(dict.fromkeys(value))

    return clean


def _district(value, problems, field):
    if not catalogues().knows("districts", value):
        problems.add(field, f"unknown district {value!r}; valid codes: {', '.join(catalogues().codes['districts'])}")
        return None
    return value


def _number(low, high, integer=False, low_open=False, nullable=False):
    def clean(value, problems, field):
        if value is None and nullable:
            return None
        kind = int if integer else (int, float)
        ok = isinstance(value, kind) and not isinstance(value, bool) and math.isfinite(value)
        ok = ok and (value > low if low_open else value >= low) and value <= high
        if not ok:
            what = "an integer" if integer else "a number"
            lower = f"greater than {low}" if low_open else f"at least {low}"
            problems.add(field, f"must be {what} {lower} and at most {high}")
            return None
        return value

    return clean


def _timezone(value, problems, field):
    if not isinstance(value, str) or value not in _zones():
        problems.add(field, "must be an IANA time zone such as Asia/Seoul")
        return None
    return value


@functools.cache
def _zones() -> set[str]:
    return available_timezones()


def _photos(value, problems, field):
    if not isinstance(value, list) or len(value) > MAX_PHOTOS:
        problems.add(field, f"must be a list of at most {MAX_PHOTOS} http(s) URLs")
        return None
    for i, url in enumerate(value):
        if not isinstance(url, str) or len(url) > 2000 or not URL.match(url):
            problems.add(f"{field}[{i}]", "must be an http(s) URL")
    return list(value)


def _pattern(regex, message, max_length):
    def clean(value, problems, field):
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > max_length or not regex.match(value.strip()):
            problems.add(field, message)
            return None
        return value.strip()

    return clean


def _currency(value, problems, field):
    if not isinstance(value, str) or not CURRENCY.match(value):
        problems.add(field, "must be an ISO 4217 code such as KRW")
        return None
    return value


CLEANERS = {
    **{name: _text for name in TEXTS},
    "types": _codes("space_types", 1),
    "district": _district,
    "lat": _number(-90, 90),
    "lng": _number(-180, 180),
    "capacity": _number(1, 10_000, integer=True),
    "floor_area_m2": _number(0, 1_000_000, low_open=True, nullable=True),
    "amenities": _codes("amenities", 0),
    "opening_hours": clean_opening_hours,
    "closures": clean_closures,
    "timezone": _timezone,
    "photos": _photos,
    "phone": _pattern(PHONE, "must be a phone number such as 02-123-4567 or +82 2 123 4567", 30),
    "email": _pattern(EMAIL, "must be an email address", 254),
    "fee_per_hour": _number(0, 10_000_000),
    "currency": _currency,
}
