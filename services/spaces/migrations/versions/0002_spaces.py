"""Spaces, their opening intervals and closures, and an index for each search filter.

Search reads published spaces only, so its indexes are partial on ``status = 'published'``:
a trigram GIN over a generated lower-cased text of names, descriptions and addresses in
both languages (``q``), a GiST over ``ll_to_earth(lat, lng)`` (distance), GINs over the
type and amenity arrays, and b-trees for district, capacity and name order.

``earth`` is ``ll_to_earth(lat, lng)`` stored, so distance neither recomputes the
trigonometry per row nor needs an expression index; ``ORDER BY earth <-> point`` (the
straight-line distance, in the same order as the great-circle one) walks the GiST index.
``weekly_hours`` repeats the opening intervals as minutes of the ISO week
(``(weekday - 1) * 1440 + minute``), written by the repository with the intervals, so
``open_at`` is one containment test per space instead of a lookup per space.
Relevance orders by ``word_similarity`` against the names through a GiST trigram index
(``<<->``), so a broad ``q`` does not rank every match.
"""

from alembic import op

revision = "0002"
down_revision = "0001"

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS cube",
    "CREATE EXTENSION IF NOT EXISTS earthdistance",
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    CREATE TABLE spaces (
        id uuid PRIMARY KEY,
        external_ref text UNIQUE,
        status text NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'suspended', 'closed')),
        status_reason text,
        operators uuid[] NOT NULL,
        name_ko text NOT NULL CHECK (char_length(name_ko) BETWEEN 1 AND 200),
        name_en text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
        description_ko text NOT NULL DEFAULT '' CHECK (char_length(description_ko) <= 5000),
        description_en text NOT NULL DEFAULT '' CHECK (char_length(description_en) <= 5000),
        address_ko text NOT NULL,
        address_en text NOT NULL,
        types text[] NOT NULL CHECK (cardinality(types) >= 1),
        district text NOT NULL,
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
        floor_area_m2 double precision CHECK (floor_area_m2 > 0),
        amenities text[] NOT NULL DEFAULT '{}',
        timezone text NOT NULL DEFAULT 'Asia/Seoul',
        photos text[] NOT NULL DEFAULT '{}',
        phone text,
        email text,
        fee_per_hour numeric(12, 2) NOT NULL DEFAULT 0 CHECK (fee_per_hour >= 0),
        currency text NOT NULL DEFAULT 'KRW',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        published_at timestamptz,
        weekly_hours int4multirange NOT NULL DEFAULT '{}',
        earth earth GENERATED ALWAYS AS (ll_to_earth(lat, lng)) STORED,
        name_search text GENERATED ALWAYS AS (lower(name_ko || ' ' || name_en)) STORED,
        search_text text GENERATED ALWAYS AS (lower(
            name_ko || ' ' || name_en || ' ' || address_ko || ' ' || address_en || ' '
            || description_ko || ' ' || description_en)) STORED
    )
    """,
    """
    CREATE TABLE opening_intervals (
        space_id uuid NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        opens_minute smallint NOT NULL CHECK (opens_minute >= 0),
        closes_minute smallint NOT NULL CHECK (closes_minute <= 1440 AND closes_minute > opens_minute),
        PRIMARY KEY (space_id, weekday, opens_minute),
        EXCLUDE USING gist (space_id WITH =, weekday WITH =, int4range(opens_minute, closes_minute) WITH &&)
    )
    """,
    """
    CREATE TABLE closures (
        id uuid PRIMARY KEY,
        space_id uuid NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
        starts_at timestamp NOT NULL,
        ends_at timestamp NOT NULL CHECK (ends_at > starts_at),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 200)
    )
    """,
    "CREATE INDEX closures_by_space ON closures (space_id, starts_at)",
    "CREATE INDEX closures_by_time ON closures USING gist (tsrange(starts_at, ends_at))",
    "CREATE INDEX spaces_name_trgm ON spaces USING gist (name_search gist_trgm_ops) WHERE status = 'published'",
    "CREATE INDEX spaces_timezone ON spaces (timezone) WHERE status = 'published'",
    "CREATE INDEX spaces_text_trgm ON spaces USING gin (search_text gin_trgm_ops) WHERE status = 'published'",
    "CREATE INDEX spaces_earth ON spaces USING gist (earth) WHERE status = 'published'",
    # facets and counts by district and type read this narrow index, not the wide rows
    "CREATE INDEX spaces_facets ON spaces (district, capacity) INCLUDE (types, amenities) WHERE status = 'published'",
    "CREATE INDEX spaces_types ON spaces USING gin (types) WHERE status = 'published'",
    "CREATE INDEX spaces_amenities ON spaces USING gin (amenities) WHERE status = 'published'",
    "CREATE INDEX spaces_status_district ON spaces (status, district)",
    "CREATE INDEX spaces_capacity ON spaces (capacity DESC, id) WHERE status = 'published'",
    "CREATE INDEX spaces_name ON spaces (name_ko, id) WHERE status = 'published'",
    "CREATE INDEX spaces_operators ON spaces USING gin (operators)",
    "CREATE INDEX spaces_created ON spaces (created_at DESC, id)",
    "CREATE INDEX spaces_review_queue ON spaces (submitted_at, id) WHERE status = 'submitted'",
]


def upgrade():
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    for table in ("closures", "opening_intervals", "spaces"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
