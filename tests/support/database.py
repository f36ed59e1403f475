"""Looks into a test database from outside the process that uses it."""


def sleeping_queries(engine) -> int:
    """How many sessions other than ours are inside ``pg_sleep``: a call that has reached the database."""
    with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND pid <> pg_backend_pid()"
        return conn.exec_driver_sql(query).scalar()
