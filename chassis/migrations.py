"""Alembic per component: each service and the gateway keep their own ``migrations/``.

``upgrade("spaces")`` creates the database if it is missing and migrates it to
head; a component's ``migrations/env.py`` is one call to ``run_env``. Every replica
of a component may run it as it starts (compose runs it in each container's command,
Kubernetes in each pod's init container): upgrades of one database take turns under
an advisory lock, and whoever comes second finds the database at head.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy.engine import make_url

from chassis.settings import common

ROOT = Path(__file__).resolve().parent.parent
MIGRATION_LOCK = 0x6373_6D69  # pg_advisory_xact_lock key, the same in every component's database


def migrations_dir(component: str) -> Path:
    base = ROOT / "gateway" if component == "gateway" else ROOT / "services" / component
    return base / "migrations"


def ensure_database(url: str, maintenance_database: str = "postgres") -> None:
    """Create the database named in ``url`` if the server does not have it yet.

    A database that exists is only connected to, so a component's role needs no access
    to ``maintenance_database``, which hardened servers close to all but administrators.
    One that is missing is created from there.
    """
    target = make_url(url)
    if _connects(target):
        return
    server = sa.create_engine(target.set(database=maintenance_database), isolation_level="AUTOCOMMIT")
    exists = sa.text("SELECT 1 FROM pg_database WHERE datname = :name").bindparams(name=target.database)
    try:
        with server.connect() as conn:
            if not conn.scalar(exists):
                try:
                    conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
                except sa.exc.DBAPIError:  # 42P04 or a unique violation when another replica created it first
                    if not conn.scalar(exists):
                        raise
    finally:
        server.dispose()


def _connects(url) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        engine.connect().close()
        return True
    except sa.exc.OperationalError:  # missing, or the server is down: the maintenance database will say which
        return False
    finally:
        engine.dispose()


def drop_databases(prefix: str) -> None:
    """Drop every database named ``<prefix>_*``: a test run's or a benchmark's, afterwards."""
    server = sa.create_engine(f"{common().pg_url.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            names = conn.scalars(
                sa.text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                {"pattern": prefix.replace("_", r"\_") + r"\_%"},
            ).all()
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        server.dispose()


def alembic_config(component: str, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir(component)))
    config.set_main_option("sqlalchemy.url", url or common().database_url(component))
    return config


def upgrade(component: str, url: str | None = None) -> None:
    url = url or common().database_url(component)
    ensure_database(url)
    command.upgrade(alembic_config(component, url), "head")


def run_env(target_metadata: sa.MetaData) -> None:
    """The body of every ``migrations/env.py``: migrate online, in one transaction."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no sqlalchemy.url to migrate: run migrations with chassis.migrations.upgrade")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            # Before Alembic reads the current revision: a second upgrade waits here, then reads head.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            context.run_migrations()
    engine.dispose()


def main() -> None:
    """``python -m chassis.migrations [component ...]``: migrate the named components (all by default)."""
    import sys

    from chassis.settings import COMPONENTS

    for component in sys.argv[1:] or COMPONENTS:
        upgrade(component)
        print(f"migrated {component}")


if __name__ == "__main__":
    main()
