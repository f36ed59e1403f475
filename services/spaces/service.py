"""The spaces service: the registry of community spaces: types, districts, amenities, opening hours,
closures, operators and review status.

This is the service's edge: each entrypoint takes the message, calls a use case
and returns plain data. The contract is ``README.md``.
"""

import chassis  # noqa: F401  (makes psycopg cooperative before it is imported)
from chassis.db import Database, health_of
from chassis.errors import DOMAIN_ERRORS
from chassis.rpc import rpc
from chassis.stop import StopDeadline
from services.spaces.service_layer import imports, queries, review
from services.spaces.service_layer import spaces as own_spaces


class SpacesService:
    name = "spaces"
    db = Database("spaces", prepared_statements=False)  # searches need plans for their own parameters
    stop_deadline = StopDeadline()

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def health(self):
        return health_of(self.name, self.db)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def catalogues(self):
        return queries.catalogues()

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def search(self, filters=None):
        with self.db(read_only=True) as uow:
            return queries.search(uow, filters)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get_published(self, space_id):
        with self.db(read_only=True) as uow:
            return queries.get_published(uow, space_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def facts(self, space_id):
        with self.db(read_only=True) as uow:
            return queries.facts(uow, space_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def register(self, actor, data):
        with self.db() as uow:
            return own_spaces.register(uow, actor, data)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def update(self, actor, space_id, changes):
        with self.db() as uow:
            return own_spaces.update(uow, actor, space_id, changes)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def submit(self, actor, space_id):
        with self.db() as uow:
            return own_spaces.submit(uow, actor, space_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def list_for_actor(self, actor, status=None, page=1, page_size=20):
        with self.db(read_only=True) as uow:
            return queries.list_for_actor(uow, actor, status, page, page_size)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def get_for_actor(self, actor, space_id):
        with self.db(read_only=True) as uow:
            return queries.get_for_actor(uow, actor, space_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def review_queue(self, actor, page=1, page_size=20):
        with self.db(read_only=True) as uow:
            return review.review_queue(uow, actor, page, page_size)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def publish(self, actor, space_id):
        with self.db() as uow:
            return review.review(uow, "publish", actor, space_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def return_to_draft(self, actor, space_id, reason):
        with self.db() as uow:
            return review.review(uow, "return_to_draft", actor, space_id, reason)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def suspend(self, actor, space_id, reason):
        with self.db() as uow:
            return review.review(uow, "suspend", actor, space_id, reason)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def reinstate(self, actor, space_id):
        with self.db() as uow:
            return review.review(uow, "reinstate", actor, space_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def close(self, actor, space_id, reason):
        with self.db() as uow:
            return own_spaces.close(uow, actor, space_id, reason)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def add_closure(self, actor, space_id, closure):
        with self.db() as uow:
            return own_spaces.add_closure(uow, actor, space_id, closure)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def remove_closure(self, actor, space_id, closure_id):
        with self.db() as uow:
            return own_spaces.remove_closure(uow, actor, space_id, closure_id)

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def import_published(self, actor, spaces):
        with self.db() as uow:
            return imports.import_published(uow, actor, spaces)
