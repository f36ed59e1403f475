"""The transactional outbox and the consumer inbox, as tables in each service's database.

A service writes its events to ``outbox`` in the same transaction as the change
(``UnitOfWork.publish``); the relay publishes them later. A consumer records each
event id it has processed in ``inbox`` in the same transaction as the effect, and
skips an id it has already recorded, so an event delivered twice has one effect.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert

metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("envelope", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Index("outbox_unpublished", "id", postgresql_where=sa.text("published_at IS NULL")),
)

inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("consumer", sa.Text, primary_key=True),
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)


def create_tables(connection: sa.Connection) -> None:
    """Used by each service's first migration."""
    metadata.create_all(connection)


def add_to_outbox(session, event: dict) -> None:
    session.execute(outbox.insert().values(event_id=event["id"], type=event["type"], envelope=event))


def outbox_insert_if(condition: sa.ColumnElement[bool]) -> sa.Insert:
    """An insert of the events in the JSON array bound as ``events``, in their order, if
    ``condition`` holds: for a statement that writes a change and the events telling of it
    in one round trip (the events come from ``UnitOfWork.event``)."""
    event = (
        sa.func.jsonb_array_elements(sa.bindparam("events", type_=JSONB))
        .table_valued(sa.column("value", JSONB), with_ordinality="n")
        .render_derived()
    )
    return outbox.insert().from_select(
        ["event_id", "type", "envelope"],
        sa.select(event.c.value["id"].astext.cast(sa.Uuid), event.c.value["type"].astext, event.c.value)
        .where(condition)
        .order_by(event.c.n),
    )


def first_delivery(session, consumer: str, event: dict) -> bool:
    """Record that ``consumer`` processes ``event``; False if it already did.

    Concurrent deliveries of one event wait on each other here: the second
    insert blocks until the first transaction ends, then conflicts and skips.
    """
    key = f"{event['source']}#{event['id']}"
    inserted = session.execute(
        insert(inbox).values(consumer=consumer, event_id=key).on_conflict_do_nothing().returning(inbox.c.event_id)
    )
    return inserted.first() is not None
