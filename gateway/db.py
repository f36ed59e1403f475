"""The gateway's own database: accounts, their sessions and refresh tokens.

The tables are SQLAlchemy Core; the constraints that matter (unique lowercased
email, the role CHECK, unique token hashes) live in the migration too, so the
database is the guarantee. A ``sessions`` row is one sign-in, not a database
session. Each request gets one database session, created on first use and closed
at teardown; closing rolls back whatever the handler did not commit. Single reads
(the signed-in user with their sign-in, on every authenticated request) go through
``reader()`` instead: autocommit, so no BEGIN and ROLLBACK round trips around them.
"""

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session, sessionmaker

from chassis.pool import ping_when_idle

ROLES = ("citizen", "operator", "admin")
LOCALES = ("ko", "en")

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("phone", sa.Text),
    sa.Column("locale", sa.Text, nullable=False, server_default="ko"),
    sa.Column("role", sa.Text, nullable=False, server_default="citizen", index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("email", name="users_email_key"),
    sa.CheckConstraint("email = lower(email)", name="users_email_lowercase"),
    sa.CheckConstraint("role IN ('citizen', 'operator', 'admin')", name="users_role_valid"),
    sa.CheckConstraint("locale IN ('ko', 'en')", name="users_locale_valid"),
)

sessions = sa.Table(  # one sign-in; its refresh tokens are one family, its access tokens name it (``sid``)
    "sessions",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
    sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
    sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("token_hash", sa.Text, nullable=False),
    sa.Column(
        "family_id", UUID(as_uuid=True), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("replaced_by", UUID(as_uuid=True), sa.ForeignKey("refresh_tokens.id", ondelete="SET NULL")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("token_hash", name="refresh_tokens_token_hash_key"),
)


def make_engine(url: str, statement_timeout_ms: int = 5000, threads: int = 16) -> sa.Engine:
    """A connection for each request thread, kept: a pool smaller than the threads closed
    the connections it could not keep and opened new ones under load (112 new PostgreSQL
    sessions for 500 signed-in requests, each a backend to fork and a sign-in)."""
    return ping_when_idle(
        sa.create_engine(
            url,
            pool_size=threads,
            max_overflow=4,  # for a request that reads while it holds its session
            pool_timeout=5,
            connect_args={"connect_timeout": 3, "options": f"-c statement_timeout={int(statement_timeout_ms)}"},
        )
    )


def init_app(app: Flask, url: str, statement_timeout_ms: int, threads: int) -> None:
    engine = make_engine(url, statement_timeout_ms, threads)
    app.extensions["db_engine"] = engine
    app.extensions["db_reader"] = engine.execution_options(isolation_level="AUTOCOMMIT")
    app.extensions["db_sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> sa.Engine:
    return current_app.extensions["db_engine"]


def reader() -> sa.Connection:
    """A connection for one read outside any transaction; use it in a ``with`` block."""
    return current_app.extensions["db_reader"].connect()


def session() -> Session:
    """The request's session; nothing is kept unless the handler calls ``commit()``."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessions"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
