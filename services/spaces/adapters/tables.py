"""The tables, as SQLAlchemy sees them. Their DDL (constraints, generated column,
indexes) is hand-written in ``migrations/versions/0002_spaces.py``."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, INT4MULTIRANGE, UUID

metadata = sa.MetaData()

spaces = sa.Table(
    "spaces",
    metadata,
    sa.Column("id", UUID(as_uuid=False), primary_key=True),
    sa.Column("external_ref", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("status_reason", sa.Text),
    sa.Column("operators", ARRAY(UUID(as_uuid=False)), nullable=False),
    *(
        sa.Column(name, sa.Text, nullable=False)
        for name in ("name_ko", "name_en", "description_ko", "description_en", "address_ko", "address_en")
    ),
    sa.Column("types", ARRAY(sa.Text), nullable=False),
    sa.Column("district", sa.Text, nullable=False),
    sa.Column("lat", sa.Double, nullable=False),
    sa.Column("lng", sa.Double, nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("floor_area_m2", sa.Double),
    sa.Column("amenities", ARRAY(sa.Text), nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    sa.Column("photos", ARRAY(sa.Text), nullable=False),
    sa.Column("phone", sa.Text),
    sa.Column("email", sa.Text),
    sa.Column("fee_per_hour", sa.Numeric(12, 2), nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True)),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("weekly_hours", INT4MULTIRANGE, nullable=False),  # opening hours as minutes of the week
)

opening_intervals = sa.Table(
    "opening_intervals",
    metadata,
    sa.Column("space_id", UUID(as_uuid=False), primary_key=True),
    sa.Column("weekday", sa.SmallInteger, primary_key=True),
    sa.Column("opens_minute", sa.SmallInteger, primary_key=True),
    sa.Column("closes_minute", sa.SmallInteger, nullable=False),
)

closures = sa.Table(
    "closures",
    metadata,
    sa.Column("id", UUID(as_uuid=False), primary_key=True),
    sa.Column("space_id", UUID(as_uuid=False), nullable=False),
    sa.Column("starts_at", sa.DateTime(timezone=False), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=False), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)
