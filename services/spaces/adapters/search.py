"""The search query: one statement answers the page, the total and both facets.

Filters other than district and type are counted once per (district, types) pair
(``combos``: a few hundred rows however many spaces match); the total adds both,
the district facet adds only the type filter and the type facet only the district filter,
so each facet is counted under all the other filters. Each filter has an index that
fits it (see ``migrations/versions/0002_spaces.py``).

With no such filter the pairs come counted from ``published_combos``, and with
``open_at`` alone from ``open_combos`` (see ``0003_published_combos.py`` and
``0004_open_combos.py``); with any other filter the matching spaces are counted.

``open_at`` is judged in each space's own zone. The zones that published spaces use are
read first and the local time in each is worked out here, so that the statement carries
each zone's minute and hour of the week as constants: the planner then estimates from the
statistics of ``open_hours`` how many spaces are open, and walks the name order at a busy
hour but collects the few open spaces through the index at night.
"""
from datetime import datetime

import sqlalchemy as sa

from services.spaces.domain.schedule import local_time, minute_of_week
from services.spaces.domain.search_filters import SearchFilters

PUBLISHED = "s.status = 'published'"
ITEM_COLUMNS = "s.id, s.name_ko, s.name_en, s.types, s.district, s.address_ko, s.address_en, s.capacity, s.lat, s.lng"
HERE = "ll_to_earth(:lat, :lng)"
DISTANCE = f"earth_distance({HERE}, s.earth)"
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
    "distance": [(f"s.earth <-> {HERE}", "ASC")],  # chord length: same order, walks the GiST index
    "relevance": [(":q <<-> s.name_search", "ASC"), ("s.name_ko", "ASC")],
}


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def base_conditions(f: SearchFilters) -> tuple[list[str], dict]:
    """Every filter but district, type and open_at, as SQL over ``spaces s``."""
    where, params = [PUBLISHED], {}
    if f.q:
        where.append("s.search_text LIKE '%' || :q_like || '%'")  # both sides lower-cased
        params.update(q=f.q, q_like=escape_like(f.q))
    if f.amenities:
        where.append("s.amenities @> CAST(:amenities AS text[])")
        params["amenities"] = list(f.amenities)
    if f.min_capacity is not None:
        where.append("s.capacity >= :min_capacity")
        params["min_capacity"] = f.min_capacity
    if f.near:
        where.append(f"earth_box({HERE}, :radius_m) @> s.earth AND {DISTANCE} <= :radius_m")
        params.update(lat=f.lat, lng=f.lng, radius_m=f.radius_m)
    if f.ids is not None:
        where.append("s.id = ANY(CAST(:ids AS uuid[]))")
        params["ids"] = list(f.ids)
    return where, params


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
    for i, ((zone, _), minute) in enumerate(zip(zones, minutes)):
        conditions.append(f"(s.timezone = :zone_{i} AND s.open_hours @> ARRAY[CAST(:hour_{i} AS integer)]"
                          f" AND s.weekly_hours @> CAST(:minute_{i} AS integer))")
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
    ctes, combos = "", combos_query(where)
    if f.open_at is not None:
        open_hours, zone_params = in_hours(local_times(session, f.open_at))
        ctes, combos = OPEN_AT_CTES, open_combos_query(where, open_hours)
        where = [*where, open_hours, NOT_CLOSED]
        params.update(zone_params)
    by_district, district_params = district_filter(f)
    by_type = "s.types && CAST(:types AS text[])" if f.types else "true"
    params.update(district_params, types=list(f.types), limit=f.page_size, offset=(f.page - 1) * f.page_size)
    sort = "name" if f.sort == "relevance" and not f.q else f.sort
    distance = f"{DISTANCE} AS distance_m" if f.near else "NULL AS distance_m"
    keys = ORDERS[sort] + [("s.id", "ASC")]
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
                FROM spaces s WHERE {' AND '.join(where)} AND {by_district} AND {by_type}
               ORDER BY {order_inner} LIMIT :limit OFFSET :offset) p) AS items
    """
    row = session.execute(sa.text(statement), params).one()
    return {
        "items": [_item(item, f.near) for item in row.items],
        "total": int(row.total), "page": f.page, "page_size": f.page_size,
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
