"""Holds of a space's time (reservations and program blocks), booking policies, the
platform-wide capacity cap, the space facts copied from the spaces events, the
per-citizen rows that quota checks lock, and idempotency keys.

Reservations and blocks share one ``holds`` table so that one exclusion constraint
guarantees that nothing that holds a slot overlaps anything else that does: a
reservation holds while ``pending`` or ``approved``, a block while ``approved``
(released blocks become ``cancelled``). ``[)`` bounds let 10:00–12:00 and
12:00–13:00 coexist. The application's pre-check only makes messages friendly.
"""

from alembic import op

revision = "0002"
down_revision = "0001"

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    CREATE TABLE space_facts (
        space_id uuid PRIMARY KEY,
        status text NOT NULL,
        operators uuid[] NOT NULL,
        capacity integer NOT NULL CHECK (capacity >= 1),
        timezone text NOT NULL,
        opening_hours jsonb NOT NULL,
        closures jsonb NOT NULL,
        fact_time timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    "CREATE INDEX space_facts_operators ON space_facts USING gin (operators)",
    """
    CREATE TABLE booking_policies (
        space_id uuid PRIMARY KEY,
        approval text NOT NULL CHECK (approval IN ('manual', 'automatic')),
        slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 1440),
        min_minutes integer NOT NULL CHECK (min_minutes >= slot_minutes),
        max_minutes integer NOT NULL CHECK (max_minutes >= min_minutes),
        notice_minutes integer NOT NULL CHECK (notice_minutes >= 0),
        horizon_days integer NOT NULL CHECK (horizon_days >= 1),
        max_party_size integer CHECK (max_party_size >= 1),
        active_quota integer NOT NULL CHECK (active_quota >= 1),
        cancel_deadline_minutes integer NOT NULL CHECK (cancel_deadline_minutes >= 0),
        capacity_percent integer NOT NULL CHECK (capacity_percent BETWEEN 0 AND 100),
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE platform_limits (
        id smallint PRIMARY KEY CHECK (id = 1),
        capacity_percent integer NOT NULL CHECK (capacity_percent BETWEEN 0 AND 100),
        reason text,
        set_by uuid NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE holds (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('reservation', 'block')),
        space_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled', 'expired')),
        status_reason text,
        citizen_id uuid,
        party_size integer CHECK (party_size >= 1),
        purpose text,
        block_id uuid,
        program_ref text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid,
        expires_at timestamptz,
        CHECK (ends_at > starts_at),
        CHECK (kind = 'block' OR (citizen_id IS NOT NULL AND party_size IS NOT NULL)),
        CHECK (kind = 'reservation' OR (block_id IS NOT NULL AND status IN ('approved', 'cancelled'))),
        CONSTRAINT holds_no_overlap EXCLUDE USING gist (
            space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (status IN ('pending', 'approved'))
    )
    """,
    "CREATE INDEX holds_citizen ON holds (citizen_id, starts_at) WHERE kind = 'reservation'",
    "CREATE INDEX holds_space_status ON holds (space_id, status, starts_at)",
    "CREATE INDEX holds_expiring ON holds (expires_at) WHERE status = 'pending'",
    "CREATE INDEX holds_block ON holds (block_id) WHERE kind = 'block'",
    """
    CREATE TABLE citizens (
        citizen_id uuid PRIMARY KEY
    )
    """,
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
    "CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)",
]


def upgrade():
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    for table in ("idempotency_keys", "citizens", "holds", "platform_limits", "booking_policies", "space_facts"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
