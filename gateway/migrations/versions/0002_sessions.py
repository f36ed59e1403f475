"""Sessions: one row per sign-in, so that signing out ends its access tokens at once.

A refresh-token family (every rotation of one sign-in) is a session: ``family_id``
now names a row here. Access tokens carry the session's id (the ``sid`` claim) and
the gateway reads the session's ``ended_at`` with the user on every request, so
logout and refresh-token reuse end every access token of that sign-in at once.
Existing families become sessions, ended where every token of theirs is revoked.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
    )
    op.create_index("sessions_user_id_idx", "sessions", ["user_id"])
    op.execute(
        """
        INSERT INTO sessions (id, user_id, created_at, ended_at)
        SELECT family_id, user_id, min(created_at),
               CASE WHEN bool_and(revoked_at IS NOT NULL) THEN max(revoked_at) END
        FROM refresh_tokens GROUP BY family_id, user_id
        """
    )
    op.create_foreign_key(
        "refresh_tokens_family_id_fkey", "refresh_tokens", "sessions", ["family_id"], ["id"], ondelete="CASCADE"
    )


def downgrade() -> None:
    op.drop_constraint("refresh_tokens_family_id_fkey", "refresh_tokens", type_="foreignkey")
    op.drop_table("sessions")
