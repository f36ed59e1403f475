"""The search query: one statement answers the page, the total and both facets.

Filters other than district and type are counted once per (district, types) pair
(``combos``: a few hundred rows however many spaces match; read from the table
``published_combos`` when there are no such filters); the total adds both,
the district facet adds only the type filter and the type facet only the district filter,
so each facet is counted under all the other filters. Each filter has an index that
fits it (see ``migrations/versions/0002_spaces.py``).
"""
import sqlalchemy as sa

from services.spaces.domain.search_filters import SearchFilters

PUBLISHED = "s.status = 'published'"
ITEM_COLUMNS = "s.id, s.name_ko, s.name_en, s.types, s.district, s.address_ko, s.address_en, s.capacity, s.lat, s.lng"
HERE = "ll_to_earth(:lat, :lng)"
DISTANCE = f"earth_distance({HERE}, s.earth)"
# open_at: the local time in each time zone the published spaces use (found by a loose
# index scan, a handful of probes), then one hash lookup and containment test per space
OPEN_AT_CTES = """
    zones(tz) AS (
        (SELECT timezone FROM spaces WHERE status = 'published' ORDER BY timezone LIMIT 1)
        UNION ALL
        SELECT (SELECT timezone FROM spaces WHERE status = 'published' AND timezone > zones.tz
                 ORDER BY timezone LIMIT 1) FROM zones WHERE zones.tz IS NOT NULL),
    zone_times AS MATERIALIZED (
        SELECT z.tz, l.local, (extract(isodow FROM l.local)::int - 1) * 1440
                              + extract(hour FROM l.local)::int * 60 + extract(minute FROM l.local)::int AS minute
          FROM zones z CROSS JOIN LATERAL (
               SELECT date_trunc('minute', CAST(:open_at AS timestamptz) AT TIME ZONE z.tz) AS local) l
         WHERE z.tz IS NOT NULL),
    closed_now AS MATERIALIZED (
        SELECT c.space_id FROM zone_times z
          JOIN closures c ON tsrange(c.starts_at, c.ends_at) @> z.local
          JOIN spaces cs ON cs.id = c.space_id AND cs.timezone = z.tz),"""
OPEN_AT = """
    EXISTS (SELECT 1 FROM zone_times z WHERE z.tz = s.timezone AND s.weekly_hours @> z.minute)
    AND s.id NOT IN (SELECT space_id FROM closed_now)"""
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
    """Every filter but district and type, as SQL over ``spaces s``."""
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
    if f.open_at is not None:
        where.append(OPEN_AT)
        params["open_at"] = f.open_at
    if f.ids is not None:
        where.append("s.id = ANY(CAST(:ids AS uuid[]))")
        params["ids"] = list(f.ids)
    return where, params


def combos_query(where: list[str]) -> str:
    """Published spaces counted per (district, types) under every filter but district and type.

    With no such filter the trigger-kept ``published_combos`` already holds the answer.
    """
    if where == [PUBLISHED]:
        return "SELECT district, types, n FROM published_combos WHERE n > 0"
    return f"SELECT s.district, s.types, count(*) AS n FROM spaces s WHERE {' AND '.join(where)} GROUP BY 1, 2"


def search(session, f: SearchFilters) -> dict:
    where, params = base_conditions(f)
    by_district = "s.district = ANY(CAST(:districts AS text[]))" if f.districts else "true"
    by_type = "s.types && CAST(:types AS text[])" if f.types else "true"
    params.update(districts=list(f.districts), types=list(f.types),
                  limit=f.page_size, offset=(f.page - 1) * f.page_size)
    sort = "name" if f.sort == "relevance" and not f.q else f.sort
    distance = f"{DISTANCE} AS distance_m" if f.near else "NULL AS distance_m"
    keys = ORDERS[sort] + [("s.id", "ASC")]
    key_columns = ", ".join(f"{expr} AS k{i}" for i, (expr, _) in enumerate(keys))
    order_inner = ", ".join(f"k{i} {direction}" for i, (_, direction) in enumerate(keys))
    params["key_names"] = [f"k{i}" for i in range(len(keys))]
    order_outer = ", ".join(f"p.k{i} {direction}" for i, (_, direction) in enumerate(keys))
    statement = f"""
        WITH RECURSIVE {OPEN_AT_CTES if f.open_at is not None else ""}
        combos AS MATERIALIZED ({combos_query(where)})
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
