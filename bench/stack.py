"""A platform of the benchmark's own: its own databases and vhost, torn down afterwards."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import sqlalchemy as sa

from chassis import broker, migrations
from chassis.messaging import outbox
from chassis.settings import CommonSettings
from tests.support.processes import start_gateway, start_service
from tests.support.tcp_proxy import free_port


@contextmanager
def bench_stack(name: str, services=("spaces",), gateway_workers: int = 2, extra_env: dict | None = None):
    """Start ``services`` and the gateway on databases ``cs_bench_<name>_*``; yield (base URL, env)."""
    base = CommonSettings()
    env = {
        "CS_ENV": "development",
        "CS_DB_PREFIX": f"cs_bench_{name}",
        "CS_AMQP_URI": base.amqp_uri.rsplit("/", 1)[0] + f"/cs_bench_{name}",
        "CS_RATE_LIMIT_DEFAULT": "10000000/minute",
        "CS_GATEWAY_WORKERS": str(gateway_workers),
        "CS_LOG_LEVEL": "WARNING",
        **_redis_settings(),
        **(extra_env or {}),
    }
    os.environ.update(env)
    settings = CommonSettings()
    broker.setup(settings.amqp_uri)
    processes = []
    try:
        for component in (*services, "gateway"):
            migrations.upgrade(component, settings.database_url(component))
        processes = [start_service(s, f"services.{s}.service", f"services/{s}/config.yaml", env=env) for s in services]
        port = free_port()
        processes.append(start_gateway(port, env))
        yield f"http://127.0.0.1:{port}", env
    finally:
        for process in processes:
            process.kill()
        broker.teardown(settings.amqp_uri)
        migrations.drop_databases(settings.db_prefix)


def _redis_settings() -> dict:
    """Rate limits and the search cache in Redis, as in production, when one answers here."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return {
                "CS_RATE_LIMIT_STORAGE": "redis://127.0.0.1:6379/15",
                "CS_SEARCH_CACHE_URL": "redis://127.0.0.1:6379/15",
            }
    except OSError:
        return {"CS_RATE_LIMIT_STORAGE": "memory://"}


def seed(env: dict, spaces: int) -> None:
    """Seed, then wait until the spaces service has published every event the import wrote
    (the relay draining 100,000 events would otherwise compete with the searches measured)
    and let PostgreSQL gather statistics on the new rows."""
    subprocess.run(
        [sys.executable, "-m", "gateway", "seed", "--spaces", str(spaces), "--no-programs"],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    engine = sa.create_engine(
        CommonSettings(db_prefix=env["CS_DB_PREFIX"]).database_url("spaces"), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            while conn.scalar(sa.select(sa.func.count()).where(outbox.c.published_at.is_(None))):
                time.sleep(1)
            conn.exec_driver_sql("VACUUM ANALYZE")  # statistics, as a database that has been running has
    finally:
        engine.dispose()
