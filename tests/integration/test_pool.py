"""Pooled connections: pinged only after sitting idle, and a dead one never reaches a caller."""

import time

import pytest
import sqlalchemy as sa

from chassis.db import make_engine
from chassis.pool import IDLE_SECONDS


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url("gateway"), pool_size=1)
    yield engine
    engine.dispose()


def backend_of(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT pg_backend_pid()"))


def statements_run(engine) -> list[str]:
    seen = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_connection_killed_while_idle_is_replaced_before_use(engine, database_url):
    first = backend_of(engine)
    admin = sa.create_engine(database_url("gateway"), poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        assert conn.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    time.sleep(IDLE_SECONDS + 0.2)

    assert backend_of(engine) != first  # no error: the ping found it dead and a new one took its place


def test_a_connection_in_steady_use_is_not_pinged(engine):
    backend_of(engine)
    seen = statements_run(engine)
    for _ in range(5):
        backend_of(engine)
    assert seen == ["SELECT pg_backend_pid()"] * 5
