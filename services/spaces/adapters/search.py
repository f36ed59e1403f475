"""The search query: one statement answers the page, the total and both facets.

Filters other than district and type are counted once per (district, types) pair
(``combos``: a few hundred rows however many spaces match); the total adds both,
the district facet adds only the type filter and the type facet only the district filter,
so each facet is counted under all the other filters. Each filter has an index that
fits it (see ``migrations/versions/0002_spaces.py``), and the count and the page may use
different ones: counts read narrow indexes without the table, radius and amenities
included (``0005_search_counts.py``); the page walks an index in its order.

With no such filter the pairs come counted from ``published_combos``, and with
``open_at`` alone from ``open_combos`` (see ``0003_published_combos.py`` and
``0004_open_combos.py``); with any other filter the matching spaces are counted.

``open_at`` is judged in each space's own zone. The zones that published spaces use are
read first and the local time in each is worked out here, so that the statement carries
each zone's minute and hour of the week as constants: the planner then estimates from the
statistics of ``open_hours`` how many spaces are open, and walks the name order at a busy
hour but collects the few open spaces through the index at night.
"""

import re
from datetime import datetime
from math import asin, cos, degrees, radians, sin

import sqlalchemy as sa

from services.spaces.domain.schedule import local_time, minute_of_week
from services.spaces.domain.search_filters import SearchFilters

PUBLISHED = "s.status = 'published'"
ITEM_COLUMNS = "s.id, s.name_ko, s.name_en, s.types, s.district, s.address_ko, s.address_en, s.capacity, s.lat, s.lng"
HERE = "ll_to_earth(:lat, :lng)"
DISTANCE = f"earth_distance({HERE}, s.earth)"
EARTH_RADIUS_M = 6378168  # the sphere of earthdistance's earth()
# near a point: counted from ``spaces_lat_lng`` within the degrees the radius spans; paged by the
# GiST, which both bounds the box and yields the nearest first (with the degrees too, the planner
# expects so few spaces that it would fetch them all and sort)
NEAR_COUNT = "s.lat BETWEEN :lat_min AND :lat_max AND s.lng BETWEEN :lng_min AND :lng_max"
NEAR_PAGE = f"earth_box({HERE}, :radius_m) @> s.earth"
ZONES = "SELECT DISTINCT timezone FROM open_segments"  # each zone a published space has used
# open_at: the local time in each zone, and the spaces a closure shuts then (read once:
# on a public holiday they are a thousand at 100,000 spaces)
OPEN_AT_CTES = """
    zone_times AS (
        SELECT * FROM unnest(CAST(:zones AS text[]), CAST(:locals AS timestamp[]), CAST(:minutes AS integer[]))
                   AS z(tz, local, minute)),
    closed_now AS MATERIALIZED (
        SELECT s.id, s.status, s.district, s.types, s.timezone, s.weekly_hours, s.open_hours FROM zone_times z
          JOIN closures c ON tsrange(c.starts_at, c.ends_at) @> z.local
          JOIN spaces s ON s.id = c.space_id AND s.timezone = z.tz
         GROUP BY s.id),"""
# amenities: counted by their bits in ``spaces_facets``, paged through the GIN (migration 0005).
# ``>=`` means ``=`` here (the masked bits never exceed the mask), but the planner guesses a third
# of the spaces for it rather than 0.5% for ``=``: on that guess it would group tens of thousands
# of spaces with wifi by sorting them, twice as slow as hashing.
AMENITIES_COUNT = (
    "s.amenity_mask & amenity_mask(CAST(:amenities AS text[])) >= amenity_mask(CAST(:amenities AS text[]))"
)
AMENITIES_PAGE = "s.amenities @> CAST(:amenities AS text[])"
NOT_CLOSED = "s.id NOT IN (SELECT id FROM closed_now)"
# open_at alone: the counts of the segment holding each zone's minute, less the spaces
# within their hours but shut by a closure
OPEN_COMBOS = """
    SELECT district, types, sum(n) AS n FROM (
        SELECT o.district, o.types, o.n FROM zone_times z
          JOIN open_combos o ON o.timezone = z.tz AND o.starts = (
               SELECT max(g.starts) FROM open_segments g WHERE g.timezone = z.tz AND g.starts <= z.minute)
        UNION ALL
        SELECT s.district, s.types, -1 FROM closed_now s WHERE {published} AND {in_hours}) c
     GROUP BY 1, 2 HAVING sum(n) > 0"""
# sort: its keys, each (expression, direction); the id breaks ties so pages are stable
ORDERS = {
    "name": [("s.name_ko", "ASC")],
    "capacity": [("s.capacity", "DESC")],
    # chord length: the same order, walked by the GiST. Alone, because an index order with a
    # tie-breaker after it is a sort of every space in the radius (50 ms at 13,000 of them);
    # the walk is the same for the same index, so equally distant spaces keep their order.
    "distance": [(f"s.earth <-> {HERE}", "ASC")],
    "relevance": [(":q <<-> s.name_search", "ASC"), ("s.name_ko", "ASC")],
}


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


HANGUL_WORD = re.compile("[가-힣]+")


def hangul_bigrams(text: str) -> list[str]:
    """The pairs of adjacent Hangul syllables in ``text``, as the SQL function of migration 0005 finds them."""
    return sorted({word[i : i + 2] for word in HANGUL_WORD.findall(text) for i in range(len(word) - 1)})


def base_conditions(f: SearchFilters, page: bool = False) -> tuple[list[str], dict]:
    """Every filter but district, type and open_at, as SQL over ``spaces s``; for counting,
    or for the ``page``: the two find amenities and the spaces near a point by different indexes."""
    where = [PUBLISHED]
    params: dict[str, object] = {}
    if f.q:
        where.append("s.search_text LIKE '%' || :q_like || '%'")  # both sides lower-cased
        params.update(q=f.q, q_like=escape_like(f.q))
        # words too short for a whole trigram: their syllable pairs, which the LIKE implies, come from an index
        if max(map(len, f.q.split()), default=0) < 3 and (bigrams := hangul_bigrams(f.q)):
            where.append("hangul_bigrams(s.search_text) @> CAST(:q_bigrams AS text[])")
            params["q_bigrams"] = bigrams
    if f.amenities:
        where.append(AMENITIES_PAGE if page else AMENITIES_COUNT)
        params["amenities"] = list(f.amenities)
    if f.min_capacity is not None:
        where.append("s.capacity >= :min_capacity")
        params["min_capacity"] = f.min_capacity
    if (circle := f.circle) is not None:
        lat, lng, radius_m = circle
        where.append(f"{NEAR_PAGE if page else NEAR_COUNT} AND {DISTANCE} <= :radius_m")
        params.update(degree_box(lat, lng, radius_m), lat=lat, lng=lng, radius_m=radius_m)
    if f.ids is not None:
        where.append("s.id = ANY(CAST(:ids AS uuid[]))")
        params["ids"] = list(f.ids)
    return where, params


def degree_box(lat: float, lng: float, radius_m: float) -> dict:
    """Bounds in degrees that every point within ``radius_m`` of (lat, lng) meets, for
    ``spaces_lat_lng`` (migration 0005), a hair wider than the circle, never narrower. Where
    the circle holds a pole or crosses the antimeridian, longitude is not bounded."""
    angle = radius_m / EARTH_RADIUS_M * 1.000001
    box = {"lat_min": lat - degrees(angle), "lat_max": lat + degrees(angle), "lng_min": -180, "lng_max": 180}
    reach = sin(angle) / cos(radians(lat)) if abs(lat) < 90 else 1
    if reach < 1 and -180 <= lng - (spread := degrees(asin(reach))) and lng + spread <= 180:
        box.update(lng_min=lng - spread, lng_max=lng + spread)
    return box


def local_times(session, instant: datetime) -> list[tuple[str, datetime]]:
    """Each zone published spaces use, with its wall-clock time at ``instant``."""
    return [(zone, local_time(instant, zone)) for zone in session.scalars(sa.text(ZONES))]


def in_hours(zones: list[tuple[str, datetime]]) -> tuple[str, dict]:
    """Within its weekly hours at the local minute of its zone, as SQL over ``spaces s``; and
    the parameters of that and of ``zone_times``.

    The hour of the week is for the planner: ``open_hours`` has statistics and an index.
    """
    minutes = [minute_of_week(local) for _, local in zones]
    params = {"zones": [zone for zone, _ in zones], "locals": [local for _, local in zones], "minutes": minutes}
    conditions = []
    for i, ((zone, _), minute) in enumerate(zip(zones, minutes, strict=True)):
        conditions.append(
            f"(s.timezone = :zone_{i} AND s.open_hours @> ARRAY[CAST(:hour_{i} AS integer)]"
            f" AND s.weekly_hours @> CAST(:minute_{i} AS integer))"
        )
        params.update({f"zone_{i}": zone, f"hour_{i}": minute // 60, f"minute_{i}": minute})
    return f"({' OR '.join(conditions)})" if conditions else "false", params


def combos_query(where: list[str]) -> str:
    """Published spaces counted per (district, types) under every filter but district and type."""
    if where == [PUBLISHED]:
        return "SELECT district, types, n FROM published_combos WHERE n > 0"
    return f"SELECT s.district, s.types, count(*) AS n FROM spaces s WHERE {' AND '.join(where)} GROUP BY 1, 2"


def open_combos_query(where: list[str], open_hours: str) -> str:
    """``combos_query`` with ``open_at`` too: read from the segment counts when it is the only other filter."""
    if where == [PUBLISHED]:
        return OPEN_COMBOS.format(published=PUBLISHED, in_hours=open_hours)
    return combos_query([*where, open_hours, NOT_CLOSED])


def district_filter(f: SearchFilters) -> tuple[str, dict]:
    """One district is an equality, so that its page walks ``spaces_district_name`` in name order."""
    if not f.districts:
        return "true", {}
    if len(f.districts) == 1:
        return "s.district = :district", {"district": f.districts[0]}
    return "s.district = ANY(CAST(:districts AS text[]))", {"districts": list(f.districts)}


def search(session, f: SearchFilters) -> dict:
    where, params = base_conditions(f)
    page_where, _ = base_conditions(f, page=True)
    ctes, combos = "", combos_query(where)
    if f.open_at is not None:
        open_hours, zone_params = in_hours(local_times(session, f.open_at))
        ctes, combos = OPEN_AT_CTES, open_combos_query(where, open_hours)
        page_where = [*page_where, open_hours, NOT_CLOSED]
        params.update(zone_params)
    by_district, district_params = district_filter(f)
    by_type = "s.types && CAST(:types AS text[])" if f.types else "true"
    params.update(district_params, types=list(f.types), limit=f.page_size, offset=(f.page - 1) * f.page_size)
    sort = "name" if f.sort == "relevance" and not f.q else f.sort
    distance = f"{DISTANCE} AS distance_m" if f.near else "NULL AS distance_m"
    keys = ORDERS[sort] + ([] if sort == "distance" else [("s.id", "ASC")])
    key_columns = ", ".join(f"{expr} AS k{i}" for i, (expr, _) in enumerate(keys))
    order_inner = ", ".join(f"k{i} {direction}" for i, (_, direction) in enumerate(keys))
    params["key_names"] = [f"k{i}" for i in range(len(keys))]
    order_outer = ", ".join(f"p.k{i} {direction}" for i, (_, direction) in enumerate(keys))
    statement = f"""
        WITH {ctes}
        combos AS MATERIALIZED ({combos})
        SELECT
          (SELECT coalesce(sum(n), 0) FROM combos s WHERE {by_district} AND {by_type}) AS total,
          (SELECT coalesce(jsonb_object_agg(district, n), '{{}}') FROM (
              SELECT s.district, sum(n) AS n FROM combos s WHERE {by_type} GROUP BY 1) d) AS district_facet,
          (SELECT coalesce(jsonb_object_agg(type, n), '{{}}') FROM (
              SELECT t.type, sum(n) AS n FROM combos s CROSS JOIN LATERAL unnest(s.types) AS t(type)
               WHERE {by_district} GROUP BY 1) t) AS type_facet,
          (SELECT coalesce(jsonb_agg(to_jsonb(p) - CAST(:key_names AS text[]) ORDER BY {order_outer}), '[]') FROM (
              SELECT {ITEM_COLUMNS}, {distance}, {key_columns}
                FROM spaces s WHERE {" AND ".join(page_where)} AND {by_district} AND {by_type}
               ORDER BY {order_inner} LIMIT :limit OFFSET :offset) p) AS items
    """
    row = session.execute(sa.text(statement), params).one()
    return {
        "items": [_item(item, f.near) for item in row.items],
        "total": int(row.total),
        "page": f.page,
        "page_size": f.page_size,
        "facets": {"district": _counts(row.district_facet), "type": _counts(row.type_facet)},
    }


def _item(item: dict, near: bool) -> dict:
    distance = item.pop("distance_m")
    item["type"] = item["types"][0]
    if near:
        item["distance_m"] = round(distance, 1)
    return item


def _counts(facet: dict) -> dict:
    return {code: int(n) for code, n in facet.items()}
