"""Counting the spaces near a point, with amenities and a capacity, or with a short Korean word;
counts emptied with the spaces.

A search counts every published space that matches it per (district, types), for its
total and facets. Three kinds were slow at 100,000 spaces:

- Near a point. Through the GiST over ``earth`` the count read a heap page for each space
  in the box (cube's GiST cannot answer from the index alone): about 120 ms for the
  13,000 spaces within 5 km of a district's centre. ``spaces_lat_lng`` holds what the
  count needs, with the capacity and amenities a search may add: the search bounds
  latitude and longitude by the degrees the radius spans and keeps the spaces whose
  stored ``earth`` lies within it, about 25 ms. The page of the nearest still walks the
  GiST in distance order.
- Amenities with a minimum capacity. ``spaces_facets`` led with the district, which such a
  search does not filter on, and carried the amenity arrays, so every count read the
  whole index and compared arrays: about 30 ms for wifi and parking for 20 people or
  more. It is now led by the capacity and carries ``amenity_mask``, a bit per amenity
  (``amenity_mask()``), which a count tests with one ``&``: 10 ms. The page still finds
  its spaces through the GIN over ``amenities``. ``amenity_mask()`` refuses a code it has
  no bit for, so no space is ever stored with a mask that misses one: an amenity added
  to the catalogue needs its bit here first, and a test compares the two.
- A word of two Hangul syllables (카페, 마을, 도서: most Korean words are this short). The
  trigram index cannot serve a ``LIKE '%카페%'`` (a two-character pattern holds no whole
  trigram), so every published space was read: about 400 ms. ``spaces_text_bigrams``
  indexes the pairs of adjacent syllables in ``search_text`` (``hangul_bigrams``, about
  10 MB at 100,000 spaces against 134 MB for the trigrams); the search requires the
  query's pairs, then checks the ``LIKE`` on the spaces found: 35 ms for 카페's 8,700.

The counts of 0003 and 0004 are kept by row and statement triggers, which ``TRUNCATE``
does not fire: ``spaces_truncated`` empties them with the spaces.
"""

from alembic import op

revision = "0005"
down_revision = "0004"

PUBLISHED = "WHERE status = 'published'"
# bit i stands for the amenity at position i + 1; a new amenity takes the next position
AMENITY_MASK = """
    CREATE FUNCTION amenity_mask(codes text[]) RETURNS bigint IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
    DECLARE
        known CONSTANT text[] := ARRAY['wifi', 'projector', 'screen', 'kitchen', 'wheelchair_access',
            'accessible_toilet', 'parking', 'piano', 'whiteboard', 'sound_system', 'air_conditioning', 'lockers',
            'baby_changing', 'elevator', 'printer', 'tables_chairs', 'outdoor_space', 'tools'];
        mask bigint := 0;
        code text;
    BEGIN
        FOREACH code IN ARRAY codes LOOP
            IF array_position(known, code) IS NULL THEN
                RAISE EXCEPTION 'amenity_mask() has no bit for the amenity %', code;
            END IF;
            mask := mask | (1::bigint << (array_position(known, code) - 1));
        END LOOP;
        RETURN mask;
    END $$"""
# the distinct pairs of adjacent Hangul syllables in a text: 작은도서관 → {도서, 서관, 은도, 작은}
HANGUL_BIGRAMS = """
    CREATE FUNCTION hangul_bigrams(t text) RETURNS text[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(array_agg(DISTINCT substr(word, i, 2)), '{}')
      FROM regexp_split_to_table(t, '[^가-힣]+') word, generate_series(1, length(word) - 1) i $$"""

FORGET_COUNTS = """
    CREATE FUNCTION forget_space_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE published_combos, open_combos, open_segments;
        RETURN NULL;
    END $$"""


def upgrade():
    op.execute(AMENITY_MASK)
    op.execute("ALTER TABLE spaces ADD COLUMN amenity_mask bigint GENERATED ALWAYS AS (amenity_mask(amenities)) STORED")
    op.execute(
        "CREATE INDEX spaces_lat_lng ON spaces (lat, lng)"
        f" INCLUDE (district, types, earth, capacity, amenity_mask) {PUBLISHED}"
    )
    op.execute("DROP INDEX spaces_facets")
    op.execute(f"CREATE INDEX spaces_facets ON spaces (capacity) INCLUDE (district, types, amenity_mask) {PUBLISHED}")
    op.execute(HANGUL_BIGRAMS)
    op.execute(f"CREATE INDEX spaces_text_bigrams ON spaces USING gin (hangul_bigrams(search_text)) {PUBLISHED}")
    op.execute(FORGET_COUNTS)
    op.execute(
        "CREATE TRIGGER spaces_truncated AFTER TRUNCATE ON spaces"
        " FOR EACH STATEMENT EXECUTE FUNCTION forget_space_counts()"
    )


def downgrade():
    op.execute("DROP TRIGGER spaces_truncated ON spaces")
    op.execute("DROP FUNCTION forget_space_counts()")
    op.execute("DROP INDEX spaces_text_bigrams")
    op.execute("DROP FUNCTION hangul_bigrams(text)")
    op.execute("DROP INDEX spaces_lat_lng")
    op.execute("DROP INDEX spaces_facets")
    op.execute("ALTER TABLE spaces DROP COLUMN amenity_mask")
    op.execute("DROP FUNCTION amenity_mask(text[])")
    op.execute(f"CREATE INDEX spaces_facets ON spaces (district, capacity) INCLUDE (types, amenities) {PUBLISHED}")
