"""The reservations service: reservations and blocks of a space's time, each space's booking policy, and a local copy of the space facts it needs.

This is the service's edge: each entrypoint takes the message, calls a use case
and returns plain data.
"""
import chassis  # noqa: F401  (makes psycopg cooperative before it is imported)

from chassis.db import Database, health_of
from chassis.errors import DOMAIN_ERRORS
from chassis.rpc import rpc


class ReservationsService:
    name = "reservations"
    db = Database("reservations")

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def health(self):
        return health_of(self.name, self.db)
