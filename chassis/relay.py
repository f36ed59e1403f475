"""The outbox relay: publishes committed events, then marks them published.

It claims unpublished rows with ``FOR UPDATE SKIP LOCKED`` so several replicas
can relay side by side, publishes each with publisher confirms (nameko's
``Publisher`` waits for the broker's confirm and raises without one), and marks
the rows published only after every confirm arrived, in the same transaction.
A crash anywhere before that commit leaves the rows unpublished: they are sent
again, so delivery is at least once and consumers skip repeats by event id.
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


def relay_pending(engine: sa.Engine, publish, batch: int = BATCH) -> int:
    """Publish up to ``batch`` unpublished events; return how many were published."""
    with engine.begin() as conn:
        rows = conn.execute(
            sa.select(outbox.c.id, outbox.c.envelope)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            publish(row.envelope)
        if rows:
            conn.execute(
                outbox.update()
                .where(outbox.c.id.in_([row.id for row in rows]))
                .values(published_at=sa.func.now())
            )
    return len(rows)


def prune_published(engine: sa.Engine, keep_days: int = 7) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            outbox.delete().where(
                outbox.c.published_at < sa.func.now() - sa.text(f"interval '{int(keep_days)} days'")
            )
        )
    return result.rowcount
