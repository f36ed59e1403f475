"""A service's own database: a unit of work per use case, and the outbox relay.

``Database("spaces")`` is a nameko dependency. In a worker, ``self.db()`` opens a unit
of work on a pooled SQLAlchemy ``Connection`` (``uow.session``: the database session,
Core statements only; an ORM ``Session`` cost a fifth of a ``health`` call's CPU and maps
nothing here), rolled back unless the handler calls ``commit()``.
``self.db(read_only=True)`` opens one for queries: its statements run in autocommit,
which saves the BEGIN and ROLLBACK round trips that a search would otherwise pay (a third
of the database work of a search). Events added with ``uow.publish(...)`` are written to
the outbox in the same transaction; after the commit the relay, a thread of the same
service, is woken to publish them.
"""

import logging
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from chassis import events, messaging
from chassis.pool import ping_when_idle
from chassis.relay import BATCH, EventPublisher, EventsRefused, prune_published, relay_pending
from chassis.settings import common

log = logging.getLogger(__name__)
RELAY_IDLE_SECONDS = 1.0
RELAY_RETRY_SECONDS = 2.0
# After a commit wakes the relay, the commits of the next 50 ms join its batch: at 200 bookings
# a second, the reservations service spent a tenth less CPU per booking than with 10 ms.
RELAY_GATHER_SECONDS = 0.05
RELAY_DEADLINE_SECONDS = 15.0  # a batch the broker has not confirmed by then is sent again


def make_engine(url: str, pool_size: int = 10, prepared_statements: bool = True) -> sa.Engine:
    """An engine with bounded waits. ``prepared_statements=False`` plans every query
    with its actual parameters: psycopg otherwise prepares a statement after five
    runs and PostgreSQL may then pick one generic plan for all parameters, which
    for a search by a short text made one query twenty times slower."""
    connect_args = {"connect_timeout": 5, "options": "-c statement_timeout=10000 -c lock_timeout=3000"}
    if not prepared_statements:
        connect_args["prepare_threshold"] = None
    return ping_when_idle(
        sa.create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_timeout=10,
            connect_args=connect_args,
        )
    )


class UnitOfWork:
    session: sa.Connection  # opened on entering

    def __init__(self, sessions: Callable[[], sa.Connection], source: str, on_events_committed=lambda: None):
        self._sessions = sessions
        self._source = source
        self._on_events_committed = on_events_committed

    def __enter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self._committed = False
        self._events = 0
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def publish(self, type: str, subject: str, data: dict) -> dict:
        """Add an event to the outbox; it is published only if this unit commits."""
        event = self.event(type, subject, data)
        messaging.add_to_outbox(self.session, event)
        return event

    def event(self, type: str, subject: str, data: dict) -> dict:
        """An event for the caller's own statement to write to the outbox
        (``messaging.outbox_insert_if``); relayed once this unit commits, as ``publish``'s are."""
        self._events += 1
        return events.envelope(self._source, type, subject, data)

    def first_delivery(self, consumer: str, event: dict) -> bool:
        """False if ``consumer`` already processed ``event`` (a redelivery)."""
        return messaging.first_delivery(self.session, consumer, event)

    def commit(self) -> None:
        self.session.commit()
        self._committed = True
        if self._events:
            self._on_events_committed()


class ReadOnlyUnitOfWork(UnitOfWork):
    """Queries only: no transaction to roll back, and nothing to publish or commit."""

    def __exit__(self, *exc_info) -> None:
        self.session.close()

    def event(self, type: str, subject: str, data: dict) -> dict:
        raise RuntimeError("a read-only unit of work cannot publish events")

    def commit(self) -> None:
        raise RuntimeError("a read-only unit of work cannot commit")


class Database(DependencyProvider):
    """The service's database, and the relay that publishes its outbox."""

    def __init__(
        self, component: str, pool_size: int | None = None, relay: bool = True, prepared_statements: bool = True
    ):
        self.component = component
        self.pool_size = pool_size
        self.relay_enabled = relay
        self.prepared_statements = prepared_statements

    def setup(self):
        settings = common()
        # a connection for each worker, the relay and a timer: none opened and closed under load
        pool_size = self.pool_size or self.container.max_workers + 2
        self.engine = make_engine(settings.database_url(self.component), pool_size, self.prepared_statements)
        self.sessions = self.engine.connect
        self.read_sessions = self.engine.execution_options(isolation_level="AUTOCOMMIT").connect
        self.amqp_uri = self.container.config.get("AMQP_URI", settings.amqp_uri)
        self.relay_enabled = self.relay_enabled and self.container.config.get("OUTBOX_RELAY", True)
        self._wake = threading.Event()
        self._running = False

    def start(self):
        if self.relay_enabled:
            self._running = True
            self.container.spawn_managed_thread(self._relay_forever, identifier="outbox-relay")

    def stop(self):
        self._running = False
        self._wake.set()
        self.engine.dispose()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        def unit_of_work(read_only: bool = False) -> UnitOfWork:
            if read_only:
                return ReadOnlyUnitOfWork(self.read_sessions, self.container.service_name)
            return UnitOfWork(self.sessions, self.container.service_name, self._wake.set)

        return unit_of_work

    def _relay_forever(self):
        publish = _bounded(RELAY_DEADLINE_SECONDS, EventPublisher(self.container.service_name, self.amqp_uri))
        passes = 0
        while self._running:
            self._wake.clear()
            try:
                while self._running and relay_pending(self.engine, publish) == BATCH:
                    pass  # a full batch: more may be waiting; a short one emptied the outbox
                passes += 1
                if passes % 3600 == 0:
                    prune_published(self.engine)
                timeout = RELAY_IDLE_SECONDS
            except Exception:
                log.warning("outbox relay failed; retrying", exc_info=True)
                timeout = RELAY_RETRY_SECONDS
            if self._wake.wait(timeout):
                time.sleep(RELAY_GATHER_SECONDS)


# What a database that is down, restarting or out of connections raises (a statement or lock
# timeout too: PostgreSQL's QueryCanceled and LockNotAvailable are OperationalErrors).
DATABASE_OUTAGES = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, sa.exc.DisconnectionError)


def _bounded(seconds: float, publish):
    """``publish`` that gives up after ``seconds``, whatever it waits for.

    A broker that is still starting accepts connections before it answers them: the relay
    once waited for ever on a ``channel.open`` (or a confirm) from a restarted node, holding
    its claim on the outbox, and no event left the service again. kombu bounds none of those
    waits, and socket timeouts do not reach eventlet's sockets, so the relay's green thread
    runs each batch under an ``eventlet.Timeout``; its rows stay unpublished for the next try.
    """
    import eventlet  # only in a service's process: the gateway imports this module too

    def publish_in_time(envelopes: list[dict]) -> None:
        with eventlet.Timeout(seconds, EventsRefused(f"the broker did not take the events within {seconds} s")):
            publish(envelopes)

    return publish_in_time


def health_of(service: str, db) -> dict:
    """The ``health`` RPC of every service: it answers once its database does."""
    with db(read_only=True) as uow:
        uow.session.execute(sa.text("SELECT 1"))
    return {"service": service, "status": "ok"}
