"""Programs, their sessions, applications, attendance, idempotency keys, and the space
facts copied from the spaces events.

Two guarantees live here rather than in the code: a citizen has at most one active
application per program (a partial unique index), and a program never holds more
accepted places than its capacity (a check on the counter that every acceptance
updates under the program's row lock).

A program carries its space's district, types and names (kept current from the space
events), so a search reads one table. Text search matches partial words as spaces' does:
trigrams for three characters or more, and ``hangul_bigrams`` for the two-syllable words
most Korean words are (a ``LIKE '%그림%'`` holds no whole trigram): the search requires the
query's syllable pairs through that index, then checks the ``LIKE`` on what it found.
"""

from alembic import op

from services.programs.adapters.tables import SEARCH_TEXT

revision = "0002"
down_revision = "0001"

# the distinct pairs of adjacent Hangul syllables in a text: 그림책모임 → {그림, 림책, 책모, 모임}
HANGUL_BIGRAMS = """
    CREATE FUNCTION hangul_bigrams(t text) RETURNS text[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(array_agg(DISTINCT substr(word, i, 2)), '{}')
      FROM regexp_split_to_table(t, '[^가-힣]+') word, generate_series(1, length(word) - 1) i $$"""
PUBLISHED = "WHERE status = 'published'"

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    HANGUL_BIGRAMS,
    """
    CREATE TABLE space_facts (
        space_id uuid PRIMARY KEY,
        status text NOT NULL,
        operators uuid[] NOT NULL,
        name_ko text NOT NULL DEFAULT '',
        name_en text NOT NULL DEFAULT '',
        district text NOT NULL,
        types text[] NOT NULL,
        timezone text NOT NULL,
        opening_hours jsonb NOT NULL,
        closures jsonb NOT NULL,
        fact_time timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    "CREATE INDEX space_facts_operators ON space_facts USING gin (operators)",
    f"""
    CREATE TABLE programs (
        id uuid PRIMARY KEY,
        space_id uuid NOT NULL,
        district text NOT NULL,
        space_types text[] NOT NULL,
        space_name_ko text NOT NULL,
        space_name_en text NOT NULL,
        created_by uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'published', 'cancelled', 'finished')),
        status_reason text,
        title_ko text NOT NULL,
        title_en text NOT NULL,
        description_ko text NOT NULL DEFAULT '',
        description_en text NOT NULL DEFAULT '',
        category text NOT NULL CHECK (category IN ('lecture', 'workshop', 'club', 'exhibition', 'visit', 'other')),
        audience text NOT NULL CHECK (audience IN ('all', 'children', 'youth', 'adults', 'seniors')),
        fee_note text NOT NULL DEFAULT '',
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
        companions integer NOT NULL DEFAULT 0 CHECK (companions BETWEEN 0 AND 10),
        selection text NOT NULL CHECK (selection IN ('first_come', 'review', 'lottery')),
        application_opens timestamptz NOT NULL,
        application_closes timestamptz NOT NULL,
        first_session_start timestamptz NOT NULL,
        last_session_end timestamptz NOT NULL,
        next_session_start timestamptz,
        accepted_places integer NOT NULL DEFAULT 0,
        waitlist_count integer NOT NULL DEFAULT 0,
        pending_count integer NOT NULL DEFAULT 0,
        next_seq bigint NOT NULL DEFAULT 0,
        block_id uuid,
        step jsonb,
        step_at timestamptz,
        lottery jsonb,
        search_text text GENERATED ALWAYS AS ({SEARCH_TEXT}) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        CHECK (application_opens < application_closes),
        CHECK (first_session_start < last_session_end),
        CONSTRAINT programs_capacity_holds CHECK (accepted_places BETWEEN 0 AND capacity),
        CHECK (waitlist_count >= 0 AND pending_count >= 0)
    )
    """,
    "CREATE INDEX programs_space ON programs (space_id, status)",
    "CREATE INDEX programs_created_by ON programs (created_by, created_at)",
    "CREATE INDEX programs_listing ON programs (status, next_session_start, id)",
    "CREATE INDEX programs_by_district ON programs (status, district, next_session_start, id)",
    "CREATE INDEX programs_by_category ON programs (status, category, next_session_start, id)",
    f"CREATE INDEX programs_by_type ON programs USING gin (space_types) {PUBLISHED}",
    "CREATE INDEX programs_steps ON programs (step_at) WHERE step IS NOT NULL",
    f"CREATE INDEX programs_text_trgm ON programs USING gin (search_text gin_trgm_ops) {PUBLISHED}",
    f"CREATE INDEX programs_text_bigrams ON programs USING gin (hangul_bigrams(search_text)) {PUBLISHED}",
    """
    CREATE TABLE program_sessions (
        program_id uuid NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
        n integer NOT NULL CHECK (n BETWEEN 1 AND 50),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        PRIMARY KEY (program_id, n),
        CHECK (starts_at < ends_at)
    )
    """,
    "CREATE INDEX program_sessions_period ON program_sessions (starts_at, ends_at)",
    """
    CREATE TABLE applications (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES programs (id),
        citizen_id uuid NOT NULL,
        party_size integer NOT NULL CHECK (party_size BETWEEN 1 AND 11),
        note text,
        status text NOT NULL
            CHECK (status IN ('pending', 'accepted', 'waitlisted', 'rejected', 'withdrawn', 'cancelled')),
        status_reason text,
        seq bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid
    )
    """,
    """
    CREATE UNIQUE INDEX applications_one_active ON applications (program_id, citizen_id)
        WHERE status IN ('pending', 'accepted', 'waitlisted')
    """,
    "CREATE INDEX applications_queue ON applications (program_id, status, seq)",
    "CREATE INDEX applications_citizen ON applications (citizen_id, created_at)",
    """
    CREATE TABLE attendance (
        application_id uuid NOT NULL REFERENCES applications (id),
        program_id uuid NOT NULL,
        n integer NOT NULL,
        marked_by uuid NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, n)
    )
    """,
    "CREATE INDEX attendance_program ON attendance (program_id, n)",
    """
    CREATE TABLE idempotency_keys (
        caller_id uuid NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller_id, key)
    )
    """,
]


def upgrade():
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    for table in ("idempotency_keys", "attendance", "applications", "program_sessions", "programs", "space_facts"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("DROP FUNCTION IF EXISTS hangul_bigrams(text)")
