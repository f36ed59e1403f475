"""Accounts: users and their refresh tokens.

Emails are stored lowercased (a CHECK holds us to it), so the plain unique
constraint is case-insensitive. Refresh tokens are stored only as sha256 hashes;
``family_id`` ties together the rotations of one sign-in so that reuse of a
revoked token can revoke them all.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text),
        sa.Column("locale", sa.Text, nullable=False, server_default="ko"),
        sa.Column("role", sa.Text, nullable=False, server_default="citizen"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("email", name="users_email_key"),
        sa.CheckConstraint("email = lower(email)", name="users_email_lowercase"),
        sa.CheckConstraint("role IN ('citizen', 'operator', 'admin')", name="users_role_valid"),
        sa.CheckConstraint("locale IN ('ko', 'en')", name="users_locale_valid"),
    )
    op.create_index("users_role_idx", "users", ["role"])
    op.create_table(
        "refresh_tokens",
        sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.Text, nullable=False),
        sa.Column("family_id", UUID(as_uuid=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("replaced_by", UUID(as_uuid=True), sa.ForeignKey("refresh_tokens.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("token_hash", name="refresh_tokens_token_hash_key"),
        sa.CheckConstraint("token_hash ~ '^[0-9a-f]{64}$'", name="refresh_tokens_hash_is_sha256"),
    )
    op.create_index("refresh_tokens_family_id_idx", "refresh_tokens", ["family_id"])
    op.create_index("refresh_tokens_user_id_idx", "refresh_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_table("refresh_tokens")
    op.drop_table("users")
