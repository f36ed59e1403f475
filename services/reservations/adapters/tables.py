"""The tables, as SQLAlchemy sees them. Their DDL (the exclusion constraint, checks,
indexes) is hand-written in ``migrations/versions/0002_reservations.py``."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()
ID = UUID(as_uuid=False)
WHEN = sa.DateTime(timezone=True)

space_facts = sa.Table(
    "space_facts",
    metadata,
    sa.Column("space_id", ID, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("operators", ARRAY(ID), nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    sa.Column("opening_hours", JSONB, nullable=False),
    sa.Column("closures", JSONB, nullable=False),
    sa.Column("fact_time", WHEN, nullable=False),  # the time of the event (or fetch) they came from
    sa.Column("updated_at", WHEN, nullable=False, server_default=sa.func.now()),
)

booking_policies = sa.Table(
    "booking_policies",
    metadata,
    sa.Column("space_id", ID, primary_key=True),
    sa.Column("approval", sa.Text, nullable=False),
    *(
        sa.Column(name, sa.Integer, nullable=False)
        for name in (
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "notice_minutes",
            "horizon_days",
            "active_quota",
            "cancel_deadline_minutes",
            "capacity_percent",
        )
    ),
    sa.Column("max_party_size", sa.Integer),
    sa.Column("updated_by", ID, nullable=False),
    sa.Column("updated_at", WHEN, nullable=False, server_default=sa.func.now()),
)

platform_limits = sa.Table(
    "platform_limits",
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("capacity_percent", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("set_by", ID, nullable=False),
    sa.Column("set_at", WHEN, nullable=False, server_default=sa.func.now()),
)

holds = sa.Table(
    "holds",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),  # reservation | block
    sa.Column("space_id", ID, nullable=False),
    sa.Column("starts_at", WHEN, nullable=False),
    sa.Column("ends_at", WHEN, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("status_reason", sa.Text),
    sa.Column("citizen_id", ID),
    sa.Column("party_size", sa.Integer),
    sa.Column("purpose", sa.Text),
    sa.Column("block_id", ID),
    sa.Column("program_ref", sa.Text),
    sa.Column("created_at", WHEN, nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", WHEN, nullable=False, server_default=sa.func.now()),
    sa.Column("decided_at", WHEN),
    sa.Column("decided_by", ID),
    sa.Column("expires_at", WHEN),
)

citizens = sa.Table("citizens", metadata, sa.Column("citizen_id", ID, primary_key=True))

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("caller_id", ID, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("response", JSONB, nullable=False),
    sa.Column("created_at", WHEN, nullable=False, server_default=sa.func.now()),
)
