"""Replicas that start together each run their component's migrations: the database ends at head once."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from chassis import migrations
from chassis.settings import common

pytestmark = pytest.mark.integration


def test_replicas_migrating_a_new_database_at_once_all_succeed(database_url):
    """Four processes, as four pods' init containers run ``python -m chassis.migrations reservations``."""
    database_url("reservations")  # the run's databases, this one included, are dropped by prefix when it ends
    url = common().database_url("reservations") + "_replicas"
    env = {**os.environ, "CS_RESERVATIONS_DATABASE_URL": url}
    replicas = [
        subprocess.Popen(
            [sys.executable, "-m", "chassis.migrations", "reservations"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [replica.communicate(timeout=60)[0] for replica in replicas]
    assert [replica.returncode for replica in replicas] == [0] * 4, "\n".join(outputs)

    head = ScriptDirectory.from_config(migrations.alembic_config("reservations", url)).get_current_head()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalars(sa.text("SELECT version_num FROM alembic_version")).all() == [head]
            assert conn.scalar(sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'")) == 1
    finally:
        engine.dispose()


def test_an_existing_database_is_migrated_without_the_servers_maintenance_database(database_url):
    url = database_url("reservations")
    migrations.ensure_database(url, maintenance_database="cs_no_such_maintenance_database")  # only connects

    with pytest.raises(sa.exc.OperationalError, match="cs_no_such_maintenance_database"):
        migrations.ensure_database(url + "_missing", maintenance_database="cs_no_such_maintenance_database")
