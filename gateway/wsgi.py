"""The WSGI entry point: ``python -m gateway.serve`` serves it.

At import it also creates the first administrator from ``ADMIN_EMAIL`` /
``ADMIN_PASSWORD`` if there is none. A database that is not reachable yet does
not stop the start: the error is logged and ``/readyz`` reports the database.
"""

import logging

from gateway.accounts import bootstrap_admin
from gateway.app import create_app

log = logging.getLogger(__name__)

app = create_app()


def _bootstrap() -> None:
    settings = app.extensions["settings"]
    try:
        if bootstrap_admin(
            app.extensions["db_engine"], settings.admin_email, settings.admin_password, settings.argon2_profile
        ):
            log.warning("created the first administrator %s", settings.admin_email)
    except Exception:
        log.exception("could not bootstrap the first administrator")


_bootstrap()
