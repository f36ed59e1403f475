"""Checking a pooled database connection before use, only once it has sat idle.

SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one more round trip for each
unit of work, a tenth of the database work of a booking. A connection that was in use
a moment ago is alive unless the database went away in that moment, so, as HikariCP
does (``aliveBypassWindowMs``), only a connection idle for longer than ``IDLE_SECONDS``
is pinged. One that fails the ping is replaced before anyone uses it: SQLAlchemy
retries a checkout that raises ``DisconnectionError`` on a fresh connection.
"""

import time

import sqlalchemy as sa
from sqlalchemy import event, exc

IDLE_SECONDS = 1.0


def ping_when_idle(engine: sa.Engine, idle_seconds: float = IDLE_SECONDS) -> sa.Engine:
    """Make ``engine`` ping connections idle for over ``idle_seconds`` as it hands them out."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _note_use(dbapi_connection, record, *_):
        record.info["last_used"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        if time.monotonic() - record.info.get("last_used", float("-inf")) <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # whatever the driver raises for a dead connection
            raise exc.DisconnectionError(f"a pooled connection failed its ping: {error}") from error

    return engine
