"""A test-only nameko service built on the chassis exactly as the real services are.

It lets the integration tests drive the chassis's mechanisms through a real
service process: the outbox (``record``), the inbox (``on_note_recorded``),
bounded retries and dead-lettering (``on_note_poisoned``), and cooperative
database access under eventlet (``sleep_in_database``).
"""

import sqlalchemy as sa

import chassis  # noqa: F401  (makes psycopg cooperative before it is imported)
from chassis.db import Database, health_of
from chassis.errors import DOMAIN_ERRORS, NotFound
from chassis.handlers import event_handler
from chassis.rpc import rpc
from chassis.stop import StopDeadline

metadata = sa.MetaData()
notes = sa.Table("notes", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("text", sa.Text))
effects = sa.Table("effects", metadata, sa.Column("event_id", sa.Text), sa.Column("text", sa.Text))
attempts = sa.Table("attempts", metadata, sa.Column("event_id", sa.Text))


class ProbeService:
    name = "probe"
    db = Database("probe")
    stop_deadline = StopDeadline()

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def health(self):
        return health_of(self.name, self.db)

    @rpc
    def record(self, text: str) -> dict:
        with self.db() as uow:
            note_id = uow.session.execute(notes.insert().values(text=text).returning(notes.c.id)).scalar()
            event = uow.publish("note.recorded", f"notes/{note_id}", {"note_id": note_id, "text": text})
            uow.commit()
        return {"note_id": note_id, "event_id": event["id"]}

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def missing(self, note_id: int):
        raise NotFound(f"No note {note_id}.", {"note_id": note_id})

    @rpc
    def sleep_in_database(self, seconds: float) -> list[str]:
        with self.db() as uow:
            row = uow.session.execute(
                sa.text("SELECT clock_timestamp(), pg_sleep(:s), clock_timestamp()"), {"s": seconds}
            ).one()
        return [row[0].isoformat(), row[2].isoformat()]

    @event_handler("probe", "note.recorded", requeue_on_error=True)
    def on_note_recorded(self, event: dict) -> None:
        with self.db() as uow:
            if uow.first_delivery("probe.on_note_recorded", event):
                uow.session.execute(effects.insert().values(event_id=event["id"], text=event["data"]["text"]))
            uow.commit()

    @event_handler("probe", "note.poisoned", requeue_on_error=True)
    def on_note_poisoned(self, event: dict) -> None:
        with self.db() as uow:
            uow.session.execute(attempts.insert().values(event_id=event["id"]))
            uow.commit()
        raise RuntimeError("this handler always fails")
