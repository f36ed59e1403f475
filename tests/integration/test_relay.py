"""Several relays over one outbox: each event is published once, none is skipped."""
import threading
import time

import pytest
import sqlalchemy as sa

from chassis import events, messaging
from chassis.relay import relay_pending


def test_two_relays_side_by_side_publish_every_event_exactly_once(probe_engine):
    with probe_engine.begin() as conn:
        conn.execute(messaging.outbox.delete())
    with probe_engine.begin() as conn:
        for n in range(40):
            messaging.add_to_outbox(conn, events.envelope("probe", "note.recorded", f"notes/{n}", {"n": n}))

    published, lock = [], threading.Lock()

    def publish(envelope):
        time.sleep(0.005)  # a broker round trip, so the two relays overlap
        with lock:
            published.append(envelope["id"])

    def relay():
        while relay_pending(probe_engine, publish, batch=5):
            pass

    relays = [threading.Thread(target=relay) for _ in range(2)]
    for thread in relays:
        thread.start()
    for thread in relays:
        thread.join()

    assert len(published) == 40
    assert len(set(published)) == 40
    with probe_engine.connect() as conn:
        left = conn.scalar(sa.select(sa.func.count()).where(messaging.outbox.c.published_at.is_(None)))
    assert left == 0


def test_a_failed_publish_leaves_the_batch_unpublished_for_the_next_try(probe_engine):
    with probe_engine.begin() as conn:
        conn.execute(messaging.outbox.delete())
        messaging.add_to_outbox(conn, events.envelope("probe", "note.recorded", "notes/1", {"n": 1}))

    def broker_gone(envelope):
        raise ConnectionError("no confirm from the broker")

    with pytest.raises(ConnectionError):
        relay_pending(probe_engine, broker_gone)
    sent = []
    assert relay_pending(probe_engine, sent.append) == 1
    assert len(sent) == 1
