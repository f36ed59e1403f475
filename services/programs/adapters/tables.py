"""The tables, as SQLAlchemy sees them. Their DDL (checks, the one-active-application
index, the capacity check) is hand-written in ``migrations/versions/0002_programs.py``."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()
ID = UUID(as_uuid=False)
WHEN = sa.DateTime(timezone=True)
SEARCH_TEXT = (  # what a text search matches; the migration generates the column from it
    "lower(title_ko || ' ' || title_en || ' ' || description_ko || ' ' || description_en"
    " || ' ' || space_name_ko || ' ' || space_name_en)"
)

space_facts = sa.Table(
    "space_facts",
    metadata,
    sa.Column("space_id", ID, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("operators", ARRAY(ID), nullable=False),
    sa.Column("name_ko", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text, nullable=False),
    sa.Column("district", sa.Text, nullable=False),
    sa.Column("types", ARRAY(sa.Text), nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    sa.Column("opening_hours", JSONB, nullable=False),
    sa.Column("closures", JSONB, nullable=False),
    sa.Column("fact_time", WHEN, nullable=False),
    sa.Column("updated_at", WHEN, nullable=False, server_default=sa.func.now()),
)

programs = sa.Table(
    "programs",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("space_id", ID, nullable=False),
    sa.Column("district", sa.Text, nullable=False),
    sa.Column("space_types", ARRAY(sa.Text), nullable=False),
    sa.Column("space_name_ko", sa.Text, nullable=False),
    sa.Column("space_name_en", sa.Text, nullable=False),
    sa.Column("created_by", ID, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("status_reason", sa.Text),
    *(
        sa.Column(name, sa.Text, nullable=False)
        for name in ("title_ko", "title_en", "description_ko", "description_en")
    ),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("audience", sa.Text, nullable=False),
    sa.Column("fee_note", sa.Text, nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("companions", sa.Integer, nullable=False),
    sa.Column("selection", sa.Text, nullable=False),
    sa.Column("application_opens", WHEN, nullable=False),
    sa.Column("application_closes", WHEN, nullable=False),
    sa.Column("first_session_start", WHEN, nullable=False),
    sa.Column("last_session_end", WHEN, nullable=False),
    sa.Column("next_session_start", WHEN),
    sa.Column("accepted_places", sa.Integer, nullable=False, server_default="0"),
    sa.Column("waitlist_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pending_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("block_id", ID),
    sa.Column("step", JSONB(none_as_null=True)),  # None is SQL NULL: "no step", as the indexes and queries read it
    sa.Column("step_at", WHEN),
    sa.Column("lottery", JSONB(none_as_null=True)),
    sa.Column("search_text", sa.Text, sa.Computed(SEARCH_TEXT, persisted=True)),
    sa.Column("created_at", WHEN, nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", WHEN, nullable=False, server_default=sa.func.now()),
    sa.Column("published_at", WHEN),
)

program_sessions = sa.Table(
    "program_sessions",
    metadata,
    sa.Column("program_id", ID, primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("starts_at", WHEN, nullable=False),
    sa.Column("ends_at", WHEN, nullable=False),
)

applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("program_id", ID, nullable=False),
    sa.Column("citizen_id", ID, nullable=False),
    sa.Column("party_size", sa.Integer, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("status_reason", sa.Text),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("created_at", WHEN, nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", WHEN, nullable=False, server_default=sa.func.now()),
    sa.Column("decided_at", WHEN),
    sa.Column("decided_by", ID),
)

attendance = sa.Table(
    "attendance",
    metadata,
    sa.Column("application_id", ID, primary_key=True),
    sa.Column("program_id", ID, nullable=False),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("marked_by", ID, nullable=False),
    sa.Column("marked_at", WHEN, nullable=False, server_default=sa.func.now()),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("caller_id", ID, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("response", JSONB, nullable=False),
    sa.Column("created_at", WHEN, nullable=False, server_default=sa.func.now()),
)
