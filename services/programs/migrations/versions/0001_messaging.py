"""The outbox and inbox tables."""

from alembic import op

from chassis import messaging

revision = "0001"
down_revision = None


def upgrade():
    messaging.create_tables(op.get_bind())


def downgrade():
    messaging.metadata.drop_all(op.get_bind())
