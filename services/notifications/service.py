"""The notifications service: each user's inbox, deliveries by email, SMS and webhook, preferences and
webhook subscriptions.

This is the service's edge: each entrypoint takes the message, calls a use case
and returns plain data.
"""

import chassis  # noqa: F401  (makes psycopg cooperative before it is imported)
from chassis.db import Database, health_of
from chassis.errors import DOMAIN_ERRORS
from chassis.rpc import rpc
from chassis.stop import StopDeadline


class NotificationsService:
    name = "notifications"
    db = Database("notifications")
    stop_deadline = StopDeadline()

    @rpc(expected_exceptions=DOMAIN_ERRORS)
    def health(self):
        return health_of(self.name, self.db)
