"""Every test session gets its own databases and its own RabbitMQ vhost.

The names carry a random suffix, so two runs, or a run beside a local stack
started with ``make up``, never touch each other's data or queues. The
environment is set here, before any project module reads its settings.
"""

import os
import secrets

RUN_ID = secrets.token_hex(4)
os.environ["CS_ENV"] = "test"
os.environ["CS_DB_PREFIX"] = f"cs_test_{RUN_ID}"
os.environ["CS_AMQP_URI"] = f"amqp://guest:guest@127.0.0.1:5672/cs_test_{RUN_ID}"
os.environ["CS_ARGON2_PROFILE"] = "fast"
os.environ.setdefault("CS_RATE_LIMIT_STORAGE", "memory://")
for name in list(os.environ):
    if name.endswith("_DATABASE_URL") and name.startswith("CS_"):
        del os.environ[name]

import pytest  # noqa: E402

from chassis import migrations  # noqa: E402
from chassis.settings import common  # noqa: E402

_migrated: set[str] = set()


@pytest.fixture(scope="session")
def database_url():
    """``database_url("gateway")``: the migrated test database of a component."""

    def url(component: str) -> str:
        if component not in _migrated:
            migrations.upgrade(component)
            _migrated.add(component)
        return common().database_url(component)

    yield url
    migrations.drop_databases(common().db_prefix)


@pytest.fixture(scope="session")
def amqp_uri():
    """The run's own vhost, set up as production's is (quorum queues, retries, dead letters)."""
    from chassis import broker

    uri = common().amqp_uri
    broker.setup(uri)
    yield uri
    broker.teardown(uri)
