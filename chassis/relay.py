"""The outbox relay: publishes committed events, then marks them published.

One statement claims unpublished rows (``FOR UPDATE SKIP LOCKED``, so several
replicas can relay side by side) and marks them published; each is then published
with publisher confirms (nameko's ``Publisher`` waits for the broker's confirm and
raises without one), and the transaction commits only after every confirm arrived.
A failed publish or a crash before that commit leaves the rows unpublished: they
are sent again, so delivery is at least once and consumers skip repeats by event id.
"""
import logging

import sqlalchemy as sa
from nameko.amqp.publish import Publisher
from nameko.standalone.events import get_event_exchange

from chassis.messaging import outbox

log = logging.getLogger(__name__)
BATCH = 100


class EventPublisher:
    """Publishes envelopes on ``<service>.events`` with the event type as routing key."""

    def __init__(self, service: str, amqp_uri: str):
        self.exchange = get_event_exchange(service, {})
        self.publisher = Publisher(amqp_uri, declare=[self.exchange], use_confirms=True)

    def __call__(self, envelope: dict) -> None:
        self.publisher.publish(envelope, exchange=self.exchange, routing_key=envelope["type"])


_CLAIM = (
    outbox.update()
    .where(outbox.c.id.in_(
        sa.select(outbox.c.id).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id)
        .limit(sa.bindparam("batch")).with_for_update(skip_locked=True).scalar_subquery()))
    .values(published_at=sa.func.now())
    .returning(outbox.c.id, outbox.c.envelope)
)


def relay_pending(engine: sa.Engine, publish, batch: int = BATCH) -> int:
    """Publish up to ``batch`` unpublished events, oldest first; return how many were published."""
    with engine.begin() as conn:
        rows = sorted(conn.execute(_CLAIM, {"batch": batch}).all())
        for row in rows:
            publish(row.envelope)
    return len(rows)


def prune_published(engine: sa.Engine, keep_days: int = 7) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            outbox.delete().where(
                outbox.c.published_at < sa.func.now() - sa.text(f"interval '{int(keep_days)} days'")
            )
        )
    return result.rowcount
