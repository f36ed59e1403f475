"""The programs service: programs, their sessions, applications, waiting lists and draws.

This is the service's edge: each entrypoint takes the message, calls a use case
and returns plain data. The contract is ``README.md``.
"""

import os

from nameko.rpc import RpcProxy
from nameko.timer import timer

import chassis  # noqa: F401  (makes psycopg cooperative before it is imported)
from chassis.calls import call_in_time
from chassis.db import Database, health_of
from chassis.errors import DOMAIN_ERRORS
from chassis.handlers import event_handler
from chassis.rpc import rpc
from chassis.stop import StopDeadline
from chassis.times import now
from services.programs.adapters.reservations import Reservations
from services.programs.service_layer import applying, authoring, facts, queries, steps, timers

TIMER_SECONDS = float(os.environ.get("CS_PROGRAMS_TIMER_SECONDS", "10"))
RESUME_AFTER_SECONDS = float(os.environ.get("CS_PROGRAMS_RESUME_AFTER_SECONDS", "30"))
FACTS_TIMEOUT_SECONDS = 2.0


def _space_handler(event_type: str):
    """One nameko handler per ``space.*`` type: store the facts; a suspension or closure cancels programs."""
    consumer = f"programs.on_{event_type.replace('.', '_')}"

    @event_handler("spaces", event_type, requeue_on_error=True)
    def handle(self, event):
        with self.db() as uow:
            doomed, reason = facts.on_space_event(uow, consumer, event)
        for program_id in doomed:
            authoring.cancel_for_space(self.db, program_id, reason, self._reservations, now())

    handle.__name__ = f"on_{event_type.replace('.', '_')}"
    return handle


class ProgramsService:
    name = "programs"
    db = Database("programs")
    stop_deadline = StopDeadline()
    spaces = RpcProxy("spaces")
    reservations = RpcProxy("reservations")

    @property
    def _reservations(self) -> Reservations:
        return Reservations(self.reservations)

    def _fetch_facts(self, space_id):
        """The spaces service's facts of a space, or ``FactsUnavailable`` after our own timeout."""
        return call_in_time(
            self.spaces.facts, space_id, timeout=FACTS_TIMEOUT_SECONDS, failure=lambda: facts.FactsUnavailable(space_id)
        )

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def health(self):
        return health_of(self.name, self.db)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def create(self, actor, data):
        with self.db() as uow:
            return authoring.create(uow, actor, data, self._fetch_facts, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def update(self, actor, program_id, changes):
        return authoring.update(self.db, actor, program_id, changes, self._reservations, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def publish(self, actor, program_id):
        return authoring.publish(self.db, actor, program_id, self._fetch_facts, self._reservations, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def cancel(self, actor, program_id, reason):
        return authoring.cancel(self.db, actor, program_id, reason, self._reservations, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get(self, program_id):
        with self.db(read_only=True) as uow:
            return queries.get(uow, program_id, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get_for_actor(self, actor, program_id):
        with self.db(read_only=True) as uow:
            return queries.get_for_actor(uow, actor, program_id, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def search(self, filters=None):
        with self.db(read_only=True) as uow:
            return queries.search(uow, filters, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def list_for_actor(self, actor, filters=None):
        with self.db(read_only=True) as uow:
            return queries.list_for_actor(uow, actor, filters, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def apply(self, actor, program_id, data, idempotency_key):
        with self.db() as uow:
            return applying.apply(uow, actor, program_id, data, idempotency_key, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def withdraw(self, actor, application_id):
        with self.db() as uow:
            return applying.withdraw(uow, actor, application_id, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get_application(self, actor, application_id):
        with self.db(read_only=True) as uow:
            return queries.get_application(uow, actor, application_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def list_for_citizen(self, actor, filters=None):
        with self.db(read_only=True) as uow:
            return queries.list_for_citizen(uow, actor, filters)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def applicants(self, actor, program_id, filters=None):
        with self.db(read_only=True) as uow:
            return queries.applicants(uow, actor, program_id, filters)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def accept(self, actor, application_id):
        with self.db() as uow:
            return applying.accept(uow, actor, application_id, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def reject(self, actor, application_id, reason):
        with self.db() as uow:
            return applying.reject(uow, actor, application_id, reason, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def set_attendance(self, actor, program_id, n, present):
        with self.db() as uow:
            return applying.set_attendance(uow, actor, program_id, n, present)

    @timer(interval=TIMER_SECONDS)
    def keep_time(self):
        """Draw the lotteries due, finish the programs that ended, resume unfinished steps."""
        moment = now()
        timers.draw_due(self.db, moment)
        timers.finish_due(self.db, moment)
        timers.advance(self.db, moment)
        steps.resume(self.db, self._reservations, moment, RESUME_AFTER_SECONDS, authoring.OUTCOMES)
        timers.prune_keys(self.db)

    on_space_registered = _space_handler("space.registered")
    on_space_submitted = _space_handler("space.submitted")
    on_space_published = _space_handler("space.published")
    on_space_updated = _space_handler("space.updated")
    on_space_returned = _space_handler("space.returned")
    on_space_suspended = _space_handler("space.suspended")
    on_space_closed = _space_handler("space.closed")
