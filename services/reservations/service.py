"""The reservations service: reservations and blocks of a space's time, each space's booking policy,
and a local copy of the space facts it needs.

This is the service's edge: each entrypoint takes the message, calls a use case
and returns plain data. The contract is ``README.md``.
"""

import os

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.timer import timer

import chassis  # noqa: F401  (makes psycopg cooperative before it is imported)
from chassis.calls import call_in_time
from chassis.db import Database, health_of
from chassis.errors import DOMAIN_ERRORS
from chassis.handlers import event_handler
from chassis.rpc import rpc
from chassis.stop import StopDeadline
from services.reservations.domain.times import now
from services.reservations.service_layer import availability, blocks, booking, facts, lifecycle, policies, queries

EXPIRY_SECONDS = float(os.environ.get("CS_RESERVATIONS_EXPIRY_SECONDS", "30"))
FACTS_TIMEOUT_SECONDS = 2.0
SPACE_EVENTS = (
    "space.registered",
    "space.submitted",
    "space.published",
    "space.updated",
    "space.returned",
    "space.suspended",
    "space.closed",
)


def _space_handler(event_type: str):
    """One nameko handler per ``space.*`` type, all recording the facts the same way."""
    consumer = f"reservations.on_{event_type.replace('.', '_')}"

    @event_handler("spaces", event_type, requeue_on_error=True)
    def handle(self, event):
        with self.db() as uow:
            facts.on_space_event(uow, consumer, event)

    handle.__name__ = f"on_{event_type.replace('.', '_')}"
    return handle


class ReservationsService:
    name = "reservations"
    db = Database("reservations")
    stop_deadline = StopDeadline()
    spaces = RpcProxy("spaces")
    config = Config()

    def _fetch_facts(self, space_id):
        """The spaces service's facts of a space, or ``FactsUnavailable`` after our own timeout."""
        return call_in_time(
            self.spaces.facts, space_id, timeout=FACTS_TIMEOUT_SECONDS, failure=lambda: facts.FactsUnavailable(space_id)
        )

    @property
    def _pending_ttl_minutes(self) -> int:
        return int(self.config.get("PENDING_TTL_MINUTES", 2880))

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def health(self):
        return health_of(self.name, self.db)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def request(self, actor, data, idempotency_key):
        with self.db() as uow:
            return booking.request(
                uow, actor, data, idempotency_key, now(), self._fetch_facts, self._pending_ttl_minutes
            )

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def refresh_space(self, actor, space_id):
        with self.db() as uow:
            return facts.refresh(uow, actor, space_id, self._fetch_facts, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get(self, actor, reservation_id):
        with self.db() as uow:
            return queries.get(uow, actor, reservation_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def list_for_citizen(self, actor, filters=None):
        with self.db() as uow:
            return queries.list_for_citizen(uow, actor, filters, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def calendar(self, actor):
        with self.db() as uow:
            return queries.calendar(uow, actor, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def inbox(self, actor, filters=None):
        with self.db() as uow:
            return queries.inbox(uow, actor, filters, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def approve(self, actor, reservation_id):
        with self.db() as uow:
            return lifecycle.decide(uow, "approve", actor, reservation_id, now())

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def reject(self, actor, reservation_id, reason):
        with self.db() as uow:
            return lifecycle.decide(uow, "reject", actor, reservation_id, now(), reason)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def cancel(self, actor, reservation_id, reason=None):
        with self.db() as uow:
            return lifecycle.cancel(uow, actor, reservation_id, now(), reason)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def availability(self, space_id, start, end):
        with self.db() as uow:
            return availability.availability(uow, space_id, start, end, self._fetch_facts)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def free_spaces(self, start, end, space_ids=None):
        with self.db() as uow:
            return availability.free_spaces(uow, start, end, space_ids)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get_policy(self, space_id, actor=None):
        return policies.get_policy(self.db, space_id, self._fetch_facts, actor)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def set_policy(self, actor, space_id, policy):
        with self.db() as uow:
            return policies.set_policy(uow, actor, space_id, policy, self._fetch_facts)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def platform_capacity(self):
        with self.db() as uow:
            return policies.platform_capacity(uow)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def set_platform_capacity(self, actor, percent, reason=None):
        with self.db() as uow:
            return policies.set_platform_capacity(uow, actor, percent, reason)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def block(self, actor, space_id, intervals, program_ref):
        with self.db() as uow:
            return blocks.block(uow, actor, space_id, intervals, program_ref, self._fetch_facts)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def unblock(self, actor, block_id, reason=None):
        with self.db() as uow:
            return blocks.unblock(uow, actor, block_id, reason)

    @timer(interval=EXPIRY_SECONDS)
    def expire_pending(self):
        """Every replica runs it; ``SKIP LOCKED`` gives each row to one of them."""
        while True:
            with self.db() as uow:
                if lifecycle.expire_due(uow, now()) < lifecycle.EXPIRY_BATCH:
                    break
        with self.db() as uow:
            lifecycle.prune_keys(uow)

    on_space_registered = _space_handler("space.registered")
    on_space_submitted = _space_handler("space.submitted")
    on_space_published = _space_handler("space.published")
    on_space_updated = _space_handler("space.updated")
    on_space_returned = _space_handler("space.returned")
    on_space_suspended = _space_handler("space.suspended")
    on_space_closed = _space_handler("space.closed")
