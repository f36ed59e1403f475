"""The outbox relay: publishes committed events, then marks them published.

One statement claims unpublished rows (``FOR UPDATE SKIP LOCKED``, so several
replicas can relay side by side) and marks them published; the batch is then
published under publisher confirms, and the transaction commits only after the
broker confirmed every event. A failed publish or a crash before that commit leaves
the rows unpublished: they are sent again, so delivery is at least once and
consumers skip repeats by event id.
"""

import logging
import time

import sqlalchemy as sa
from kombu import Connection, Producer
from nameko.constants import PERSISTENT
from nameko.standalone.events import get_event_exchange

from chassis.messaging import outbox

log = logging.getLogger(__name__)
BATCH = 100
CONFIRM_TIMEOUT = 10.0


class EventsRefused(Exception):
    """The broker refused (nacked) an event, or did not confirm one in time."""


class EventPublisher:
    """Publishes envelopes on ``<service>.events`` with the event type as routing key.

    A batch goes out under publisher confirms with one wait: every event is sent, then the
    broker's acknowledgements are read until each event has one. (nameko's ``Publisher``
    waits for each event's confirm before sending the next.) A refusal, a timeout or a
    broken connection raises, and the next batch opens a new connection.
    """

    def __init__(self, service: str, amqp_uri: str, confirm_timeout: float = CONFIRM_TIMEOUT):
        self.exchange = get_event_exchange(service, {})
        self.amqp_uri = amqp_uri
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None

    def __call__(self, envelopes: list[dict]) -> None:
        """Return once the broker confirmed every envelope; raise otherwise."""
        try:
            self._publish(envelopes)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken; nothing to tidy
                log.debug("closing a broken relay connection", exc_info=True)

    def _publish(self, envelopes: list[dict]) -> None:
        connection = self._connection if self._connection is not None else self._open()
        for envelope in envelopes:
            self._producer.publish(envelope, routing_key=envelope["type"], delivery_mode=PERSISTENT)
            self._sent += 1
            self._unconfirmed.add(self._sent)  # delivery tags count the channel's publishes from 1
        deadline = time.monotonic() + self.confirm_timeout
        while self._unconfirmed and not self._refused:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EventsRefused(f"{len(self._unconfirmed)} events unconfirmed after {self.confirm_timeout} s")
            connection.drain_events(timeout=remaining)
        if self._refused:
            raise EventsRefused("the broker refused an event")

    def _open(self) -> Connection:
        connection = Connection(self.amqp_uri)
        channel = connection.channel()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        self._producer = Producer(channel, exchange=self.exchange, serializer="json")
        self._producer.declare()
        self._sent = 0
        self._unconfirmed: set[int] = set()
        self._refused = False
        self._connection = connection
        return connection

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._unconfirmed -= {tag for tag in self._unconfirmed if tag <= delivery_tag} if multiple else {delivery_tag}

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._refused = True
        self._on_ack(delivery_tag, multiple)


_CLAIM = (
    outbox.update()
    .where(
        outbox.c.id.in_(
            sa.select(outbox.c.id)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.id)
            .limit(sa.bindparam("batch"))
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
    )
    .values(published_at=sa.func.now())
    .returning(outbox.c.id, outbox.c.envelope)
)


def relay_pending(engine: sa.Engine, publish, batch: int = BATCH) -> int:
    """Publish up to ``batch`` unpublished events, oldest first, with ``publish(envelopes)``;
    return how many were published."""
    with engine.begin() as conn:
        rows = sorted(conn.execute(_CLAIM, {"batch": batch}).all())
        if rows:
            publish([row.envelope for row in rows])
    return len(rows)


def prune_published(engine: sa.Engine, keep_days: int = 7) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            outbox.delete().where(outbox.c.published_at < sa.func.now() - sa.text(f"interval '{int(keep_days)} days'"))
        )
    return result.rowcount
