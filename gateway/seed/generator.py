"""Demo spaces, generated deterministically: pure functions, no I/O.

``generate_spaces(count, operators, catalogue)`` yields ``count`` spaces as the spaces
service's ``import_published`` takes them (``register``'s data plus ``operators`` and
``external_ref``). One ``random.Random(SEED)`` is drawn from in order and nothing
depends on ``count``, so the same count always gives the same spaces and the first
600 of 100,000 are the 600 of 600. Spaces are generated lazily: 100,000 never sit
in memory at once.

Space ``i`` (from 0) is in district ``i % 25`` (catalogue order), so every district
gets its share, and is run by ``operators[i % len(operators)]``.
"""

import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gateway.seed import places

SEED = 20_261_125
MAX_SPACES = 100_000
RADIUS_M = 1_200  # how far from its district's centre a space may be
EARTH_RADIUS_M = 6_371_000
TIMEZONE = "Asia/Seoul"
EMAIL_DOMAIN = "demo.community-space.kr"

WEEKDAYS = [1, 2, 3, 4, 5]
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


@dataclass(frozen=True)
class Catalogue:
    """The spaces service's catalogues, as the JSON files hold them."""

    districts: list[dict]
    space_types: list[dict]
    amenities: list[dict]


def generate_spaces(count: int, operators: Sequence[str], catalogue: Catalogue, seed: int = SEED) -> Iterator[dict]:
    """The spaces, one at a time; bad arguments raise ``ValueError`` at once, not at the first space."""
    if not 0 <= count <= MAX_SPACES:
        raise ValueError(f"count must be 0 to {MAX_SPACES}")
    if not operators:
        raise ValueError("at least one operator is needed")
    missing = [d["code"] for d in catalogue.districts if not places.DONGS.get(d["code"])]
    if missing:
        raise ValueError(f"no neighbourhoods known for districts {', '.join(missing)}")
    return _generate(count, list(operators), catalogue, seed)


def _generate(count: int, operators: list[str], catalogue: Catalogue, seed: int) -> Iterator[dict]:
    rng = random.Random(seed)
    names_used: Counter[tuple[str, str]] = Counter()
    types = {t["code"]: t for t in catalogue.space_types}
    type_codes = list(types)
    type_weights = [places.TYPE_WEIGHTS.get(code, 1) for code in type_codes]
    amenity_codes = [a["code"] for a in catalogue.amenities]
    for i in range(count):
        district = catalogue.districts[i % len(catalogue.districts)]
        yield _space(
            i, rng, district, types, type_codes, type_weights, amenity_codes, operators[i % len(operators)], names_used
        )


def _space(i, rng, district, types, type_codes, type_weights, amenity_codes, operator, names_used) -> dict:
    dong_ko, dong_en, roads = rng.choice(places.DONGS[district["code"]])
    primary = rng.choices(type_codes, type_weights)[0]
    space_types = [primary]
    companions = [code for code in places.COMPANION_TYPES.get(primary, []) if code in types]
    if rng.random() < 0.3 and companions:
        space_types.append(rng.choice(companions))
    name_ko, name_en = _name(rng, dong_ko, dong_en, types[primary], district["code"], names_used)
    address_ko, address_en = _address(rng, district, roads)
    lat, lng = _point_near(rng, district["center"]["lat"], district["center"]["lng"])
    capacity = _capacity(rng)
    description_ko, description_en = _description(rng, primary, dong_ko, dong_en, capacity)
    return {
        "external_ref": f"seed-{i + 1}",
        "operators": [operator],
        "name_ko": name_ko,
        "name_en": name_en,
        "description_ko": description_ko,
        "description_en": description_en,
        "address_ko": address_ko,
        "address_en": address_en,
        "types": space_types,
        "district": district["code"],
        "lat": lat,
        "lng": lng,
        "capacity": capacity,
        "floor_area_m2": round(capacity * rng.uniform(2.2, 4.0) + rng.uniform(10, 40), 1),
        "amenities": _amenities(rng, space_types, amenity_codes),
        "opening_hours": _opening_hours(rng),
        "closures": _closures(rng),
        "timezone": TIMEZONE,
        "photos": [],
        "phone": f"02-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
        "email": f"{dong_en.lower()}{i + 1}@{EMAIL_DOMAIN}",
        "fee_per_hour": 0 if rng.random() < 0.88 else rng.choice([3000, 5000, 5000, 10000, 15000, 20000]),
        "currency": "KRW",
    }


def _title(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def _name(rng, dong_ko, dong_en, space_type, district_code, names_used) -> tuple[str, str]:
    """``망원 작은도서관``, sometimes with a word (``망원 햇살 작은도서관``, ``햇살 작은도서관``).

    A name already taken in the district is tried once more with a word; if that is
    taken too it gets a number (``망원 작은도서관 2관`` / ``Mangwon Small Library Annex 2``).
    """
    type_ko, type_en = space_type["name_ko"], _title(space_type["name_en"])
    roll = rng.random()
    word_ko, word_en = rng.choice(places.NAME_WORDS)
    if roll < 0.65 or word_ko in type_ko:
        name_ko, name_en = f"{dong_ko} {type_ko}", f"{dong_en} {type_en}"
    elif roll < 0.88:
        name_ko, name_en = f"{dong_ko} {word_ko} {type_ko}", f"{dong_en} {word_en} {type_en}"
    else:
        name_ko, name_en = f"{word_ko} {type_ko}", f"{word_en} {type_en}"
    if (district_code, name_ko) in names_used:
        word_ko, word_en = rng.choice(places.NAME_WORDS)
        if word_ko not in type_ko:
            name_ko, name_en = f"{dong_ko} {word_ko} {type_ko}", f"{dong_en} {word_en} {type_en}"
    names_used[(district_code, name_ko)] += 1
    n = names_used[(district_code, name_ko)]
    if n > 1:
        name_ko, name_en = f"{name_ko} {n}관", f"{name_en} Annex {n}"
    return name_ko, name_en


def _address(rng, district, roads) -> tuple[str, str]:
    """``서울특별시 마포구 망원로12길 34`` / ``34, Mangwon-ro 12-gil, Mapo-gu, Seoul``."""
    road_ko, road_en = rng.choice(roads)
    if not road_ko.endswith("길") and rng.random() < 0.55:
        gil = rng.randint(1, 40)
        road_ko, road_en = f"{road_ko}{gil}길", f"{road_en} {gil}-gil"
        number = rng.randint(1, 60)
    else:
        number = rng.randint(1, 300)
    address_ko = f"서울특별시 {district['name_ko']} {road_ko} {number}"
    address_en = f"{number}, {road_en}, {district['name_en']}, Seoul"
    if rng.random() < 0.4:
        floor = rng.choice([1, 2, 2, 3, 3, 4, 5])
        address_ko, address_en = f"{address_ko}, {floor}층", f"{floor}F, {address_en}"
    return address_ko, address_en


def _point_near(rng, lat: float, lng: float) -> tuple[float, float]:
    """A point uniformly spread over the disc of ``RADIUS_M`` around (lat, lng), kept a little inside."""
    distance = (RADIUS_M - 20) * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / EARTH_RADIUS_M
    dlng = distance * math.sin(bearing) / (EARTH_RADIUS_M * math.cos(math.radians(lat)))
    return round(lat + math.degrees(dlat), 6), round(lng + math.degrees(dlng), 6)


def _capacity(rng) -> int:
    """4 to 120 people, mostly small (median about 16): a skewed draw, rounded to fives above 20."""
    capacity = 4 + int(117 * rng.random() ** 3.2)
    if capacity > 20:
        capacity = min(120, 5 * round(capacity / 5))
    return capacity


def _description(rng, space_type, dong_ko, dong_en, capacity) -> tuple[str, str]:
    first = rng.choice(places.DESCRIPTIONS.get(space_type) or places.DESCRIPTIONS["community_space"])
    second = rng.choice(places.GENERIC_DESCRIPTIONS)
    values = {"dong": dong_ko, "dong_en": dong_en, "capacity": capacity}
    return (f"{first[0]} {second[0]}".format(**values), f"{first[1]} {second[1]}".format(**values))


def _amenities(rng, space_types, amenity_codes) -> list[str]:
    """2 to 7 distinct amenities, drawn by weight (a shared kitchen nearly always has a kitchen)."""
    weights = {code: places.AMENITY_WEIGHTS.get(code, 1) for code in amenity_codes}
    for space_type in space_types:
        for code, extra in places.AMENITIES_BY_TYPE.get(space_type, {}).items():
            if code in weights:
                weights[code] += extra
    wanted = rng.choices([2, 3, 4, 5, 6, 7], [10, 22, 26, 20, 14, 8])[0]
    chosen = set()
    while len(chosen) < min(wanted, len(weights)):
        codes = [code for code in weights if code not in chosen]
        chosen.add(rng.choices(codes, [weights[code] for code in codes])[0])
    return [code for code in amenity_codes if code in chosen]


def _hours(days, *intervals) -> list[dict]:
    return [{"weekday": day, "opens": opens, "closes": closes} for day in days for opens, closes in intervals]


OPENING_PATTERNS = [  # (weight, opening hours)
    (30, _hours(WEEKDAYS, ("09:00", "18:00"))),
    (14, _hours(EVERY_DAY, ("10:00", "22:00"))),
    (13, _hours(WEEKDAYS, ("09:00", "12:00"), ("13:00", "18:00")) + _hours([6], ("10:00", "14:00"))),
    (14, _hours([1, 2, 3, 4, 5, 6], ("10:00", "20:00"))),  # closed on Sundays
    (10, _hours([2, 3, 4, 5, 6, 7], ("10:00", "19:00"))),  # closed on Mondays, as libraries often are
    (9, _hours(WEEKDAYS, ("14:00", "21:00")) + _hours([6, 7], ("10:00", "18:00"))),  # after school
    (3, _hours(EVERY_DAY, ("09:00", "24:00"))),
    (7, _hours(WEEKDAYS, ("09:30", "12:30"), ("13:30", "17:30"))),
]


def _opening_hours(rng) -> list[dict]:
    pattern = rng.choices([p for _, p in OPENING_PATTERNS], [w for w, _ in OPENING_PATTERNS])[0]
    return [dict(interval) for interval in pattern]


def _closures(rng) -> list[dict]:
    """About one space in ten has a closure: a public holiday, or a few days of works."""
    roll = rng.random()
    if roll < 0.05:
        starts_at, ends_at, reason = rng.choice(places.HOLIDAY_CLOSURES)
        return [{"starts_at": starts_at, "ends_at": ends_at, "reason": reason}]
    if roll < 0.10:
        start = date(2027, 3, 2) + timedelta(days=rng.randint(0, 120))
        end = start + timedelta(days=rng.randint(1, 10))
        return [
            {
                "starts_at": f"{start.isoformat()}T00:00",
                "ends_at": f"{end.isoformat()}T00:00",
                "reason": rng.choice(places.RENOVATION_REASONS),
            }
        ]
    return []
